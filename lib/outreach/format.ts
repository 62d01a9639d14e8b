import type { TMessageKey, Translate } from "@/lib/i18n/messages";
import { categoryLabel, schemeLabel } from "@/lib/registry/labels";
import type { LedgerRow } from "./queries";
import type { LedgerFilter } from "./schema";

// The ledger's cells as the clerk reads them (Chinese labels from the catalogue, never a code),
// shared by the list page, the printed A4 list and the XLSX export, so that all three say the same.

const join = (items: string[], t: Translate) => (items.length ? items.join("、") : t("outreach.none"));

export function reasonLabel(t: Translate, code: string): string {
  const key = `survey.reason.${code}`;
  return t(key as TMessageKey) === key ? code : t(key as TMessageKey);
}

export interface LedgerCells {
  name: string;
  id: string;
  community: string;
  category: string;
  missing: string;
  interrupted: string;
  phone: string;
  address: string;
  reason: string;
  lastContact: string;
  promised: string;
}

export function ledgerCells(t: Translate, r: LedgerRow): LedgerCells {
  return {
    name: r.name,
    id: r.shownId,
    community: r.regionName ?? r.regionCode ?? "",
    category: categoryLabel(t, r.category),
    missing: join(r.missingSchemes.map((s) => schemeLabel(t, s)), t),
    interrupted: r.interruptedSchemes.length ? r.interruptedSchemes.map((s) => schemeLabel(t, s)).join("、") : "",
    phone: r.phone,
    address: r.address,
    reason: r.reasons.map((c) => reasonLabel(t, c)).join("、"),
    lastContact: r.lastContactOn ? `${r.lastContactOn} ${r.lastOutcome ? t(`outreach.outcome.${r.lastOutcome}` as TMessageKey) : ""}`.trim() : "",
    promised: r.promisedOn ? `${r.promisedOn}${r.overdue ? `（${t("outreach.overdue")}）` : ""}` : "",
  };
}

/** The header of the export and the print, in the cells' order. */
export function ledgerHeader(t: Translate): string[] {
  return [
    t("outreach.col.name"),
    t("outreach.col.idNumber"),
    t("outreach.col.community"),
    t("outreach.col.category"),
    t("outreach.col.missing"),
    t("outreach.col.interrupted"),
    t("outreach.col.phone"),
    t("outreach.col.address"),
    t("outreach.col.reason"),
    t("outreach.col.lastContact"),
    t("outreach.col.promised"),
  ];
}

export function cellList(c: LedgerCells): string[] {
  return [c.name, c.id, c.community, c.category, c.missing, c.interrupted, c.phone, c.address, c.reason, c.lastContact, c.promised];
}

/** The filter as a query string (for links to the next page, print and export). */
export function filterQuery(f: LedgerFilter, extra: Record<string, string | number> = {}): string {
  const p = new URLSearchParams();
  if (f.q) p.set("q", f.q);
  if (f.region) p.set("region", f.region);
  if (f.overdue) p.set("overdue", "1");
  if (f.status) p.set("status", f.status);
  for (const [k, v] of Object.entries(extra)) p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : "";
}
