import { writeAudit } from "@/lib/audit/log";
import { pool } from "@/lib/db/client";
import { env } from "@/lib/env";
import { maskIdNumber, maskPhone } from "@/lib/ids/id-number";
import { type Actor, NotFoundError, scopePrefix } from "@/lib/policy";
import { type LedgerFilter, todayCst } from "./schema";
import { ensureSettled } from "./settle";

// Reads of the outreach ledger (工作台账), every one scoped in the query by the actor's region
// (lib/policy): an entry is in scope when the community the person is counted in starts with the
// actor's region code; entries without a community (non-local insured, no region) are the city's.
//
// Contact data: street clerks and community surveyors work the list (they call and visit), so they
// see the full ID, phone and address of their own region. District and city posts supervise: they
// see IDs and phones masked and the address cut to its beginning (as on the other list pages).

export interface LedgerRow {
  entryId: number;
  idNumber: string;
  /** the ID as shown to this actor (masked above the street) */
  shownId: string;
  name: string;
  regionCode: string | null;
  regionName: string | null;
  category: string;
  status: string;
  source: string;
  missingSchemes: string[];
  interruptedSchemes: string[];
  phone: string;
  address: string;
  reasons: string[];
  contacts: number;
  lastContactOn: string | null;
  lastOutcome: string | null;
  promisedOn: string | null;
  overdue: boolean;
  settledAt: Date | null;
}

/** Roles that see contact data unmasked (in their own region). */
export function seesFullContact(actor: Actor): boolean {
  return actor.role === "STREET_CLERK" || actor.role === "COMMUNITY_SURVEYOR";
}

function maskAddress(a: string | null): string {
  if (!a) return "";
  return a.length <= 6 ? a : `${a.slice(0, 6)}…`;
}

function isCityWide(prefix: string): boolean {
  return prefix.length <= env().CITY_CODE.length;
}

/** The WHERE clause of the ledger for `actor` (scope first, then the filters). */
function ledgerWhere(actor: Actor, f: LedgerFilter & { entryId?: number; anyStatus?: boolean }, params: unknown[]): string {
  const prefix = scopePrefix(actor, "outreach:view");
  const where: string[] = [];
  if (!isCityWide(prefix)) {
    params.push(`${prefix}%`);
    where.push(`o.region_code LIKE $${params.length}`);
  }
  if (f.region) {
    if (!f.region.startsWith(prefix) && !prefix.startsWith(f.region)) throw new NotFoundError("region");
    params.push(`${f.region}%`);
    where.push(`o.region_code LIKE $${params.length}`);
  }
  if (!f.anyStatus) {
    params.push(f.status ?? "OPEN");
    where.push(`o.status = $${params.length}`);
  }
  if (f.entryId !== undefined) {
    params.push(f.entryId);
    where.push(`o.id = $${params.length}`);
  }
  if (f.q) {
    if (/^[0-9Xx]+$/.test(f.q)) {
      params.push(`%${f.q.toUpperCase()}%`);
      where.push(`o.id_number LIKE $${params.length}`);
    } else {
      params.push(`${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      where.push(`p.name LIKE $${params.length}`);
    }
  }
  if (f.overdue) {
    params.push(todayCst());
    where.push(`o.status = 'OPEN' AND lc.promised_on < $${params.length}::date`);
  }
  return where.length ? where.join(" AND ") : "true";
}

const PERSON_JOIN = `LEFT JOIN person p ON p.id_number = o.id_number::char(18)`;
/** The entry's latest contact (its promise decides "overdue"). */
const LAST_CONTACT_JOIN = `LEFT JOIN LATERAL (
    SELECT to_char(c.contacted_on, 'YYYY-MM-DD') AS contacted_on, c.outcome, c.promised_on
      FROM outreach_contact c WHERE c.entry_id = o.id
     ORDER BY c.contacted_on DESC, c.id DESC LIMIT 1) lc ON true`;

/** FROM for a WHERE clause: the person and latest-contact joins only when the clause needs them. */
function fromFor(where: string): string {
  return `FROM outreach_entry o ${where.includes("p.") ? PERSON_JOIN : ""} ${where.includes("lc.") ? LAST_CONTACT_JOIN : ""}`;
}

interface RawRow {
  id: number;
  id_number: string;
  name: string | null;
  region_code: string | null;
  region_name: string | null;
  category: string;
  status: string;
  source: string;
  missing_schemes: string[];
  interrupted_schemes: string[];
  phone: string | null;
  address: string | null;
  reasons: string[] | null;
  contacts: number;
  contacted_on: string | null;
  outcome: string | null;
  promised_on: string | null;
  overdue: boolean;
  settled_at: Date | null;
}

/** One page of the ledger (no audit: see openLedger). */
export async function ledgerPage(actor: Actor, f: LedgerFilter & { entryId?: number; anyStatus?: boolean }, page: number, pageSize = 50): Promise<{ rows: LedgerRow[]; total: number }> {
  await ensureSettled();
  const params: unknown[] = [];
  const where = ledgerWhere(actor, f, params);
  const total = (await pool().query<{ n: number }>(`SELECT count(*)::int AS n ${fromFor(where)} WHERE ${where}`, params)).rows[0].n;
  params.push(todayCst());
  const today = params.length;
  // The page's entries first (sorted, limited), then their person, reasons and contacts: the
  // per-row lookups run for the page only, whatever the size of the ledger.
  const { rows } = await pool().query<RawRow>(
    `WITH page AS (
       SELECT o.id ${fromFor(where)} WHERE ${where}
        ORDER BY o.region_code NULLS LAST, o.id_number
        LIMIT ${Math.trunc(pageSize)} OFFSET ${Math.max(0, Math.trunc(page)) * Math.trunc(pageSize)}
     )
     SELECT o.id, o.id_number, p.name, o.region_code, g.name AS region_name, o.category, o.status, o.source,
            o.missing_schemes, o.interrupted_schemes, p.phone,
            coalesce(nullif(p.residence_address, ''), p.hukou_address) AS address,
            (SELECT array(SELECT jsonb_array_elements_text(CASE WHEN jsonb_typeof(f.data -> 'reasons') = 'array' THEN f.data -> 'reasons' ELSE '[]'::jsonb END))
               FROM survey_task t JOIN survey_form f ON f.task_id = t.id
              WHERE t.id_number = o.id_number AND t.state = 'DISTRICT_APPROVED'
              ORDER BY t.updated_at DESC, t.id DESC LIMIT 1) AS reasons,
            (SELECT count(*)::int FROM outreach_contact c WHERE c.entry_id = o.id) AS contacts,
            lc.contacted_on, lc.outcome, to_char(lc.promised_on, 'YYYY-MM-DD') AS promised_on,
            (o.status = 'OPEN' AND coalesce(lc.promised_on < $${today}::date, false)) AS overdue,
            o.settled_at
       FROM page JOIN outreach_entry o ON o.id = page.id
       ${PERSON_JOIN}
       ${LAST_CONTACT_JOIN}
       LEFT JOIN region g ON g.code = o.region_code
      ORDER BY o.region_code NULLS LAST, o.id_number`,
    params,
  );
  const full = seesFullContact(actor);
  return {
    total,
    rows: rows.map((r) => ({
      entryId: r.id,
      idNumber: r.id_number,
      shownId: full ? r.id_number : maskIdNumber(r.id_number),
      name: r.name ?? "",
      regionCode: r.region_code,
      regionName: r.region_name,
      category: r.category,
      status: r.status,
      source: r.source,
      missingSchemes: r.missing_schemes,
      interruptedSchemes: r.interrupted_schemes,
      phone: full ? (r.phone ?? "") : maskPhone(r.phone),
      address: full ? (r.address ?? "") : maskAddress(r.address),
      reasons: r.reasons ?? [],
      contacts: r.contacts,
      lastContactOn: r.contacted_on,
      lastOutcome: r.outcome,
      promisedOn: r.promised_on,
      overdue: r.overdue,
      settledAt: r.settled_at,
    })),
  };
}

/**
 * Opening a ledger page with contact data (list, print): the page of rows, and an audit row saying
 * who opened which filter and how many rows they were shown.
 */
export async function openLedger(actor: Actor, f: LedgerFilter, page: number, purpose: "view" | "print", pageSize = 50): Promise<{ rows: LedgerRow[]; total: number }> {
  const result = await ledgerPage(actor, f, page, pageSize);
  await writeAudit(actor, {
    action: `outreach.${purpose}`,
    entity: "outreach_entry",
    regionCode: f.region ?? actor.regionCode,
    detail: { ...f, page, rows: result.rows.length, total: result.total },
  });
  return result;
}

/** Every row of a filtered ledger, in batches (for the export; the route audits it). */
export async function* iterateLedger(actor: Actor, f: LedgerFilter): AsyncGenerator<LedgerRow[]> {
  for (let page = 0; ; page++) {
    const { rows } = await ledgerPage(actor, f, page, 5000);
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < 5000) return;
  }
}

export interface LedgerSummary {
  entries: number;
  open: number;
  enrolled: number;
  closed: number;
  overdue: number;
  /** enrolled / entries, 0 when there are none */
  conversion: number;
}

/** The ledger's figures in the actor's scope (optionally one region of it). */
export async function ledgerSummary(actor: Actor, region?: string): Promise<LedgerSummary> {
  await ensureSettled();
  const params: unknown[] = [];
  const where = ledgerWhere(actor, { region, anyStatus: true }, params);
  params.push(todayCst());
  // The latest contact of every entry in one pass (a hash join), not a lookup per entry.
  const { rows } = await pool().query<Omit<LedgerSummary, "conversion">>(
    `SELECT count(*)::int AS entries,
            count(*) FILTER (WHERE o.status = 'OPEN')::int AS open,
            count(*) FILTER (WHERE o.status = 'ENROLLED')::int AS enrolled,
            count(*) FILTER (WHERE o.status = 'CLOSED')::int AS closed,
            count(*) FILTER (WHERE o.status = 'OPEN' AND lp.promised_on < $${params.length}::date)::int AS overdue
       FROM outreach_entry o
       LEFT JOIN (SELECT DISTINCT ON (entry_id) entry_id, promised_on FROM outreach_contact ORDER BY entry_id, contacted_on DESC, id DESC) lp ON lp.entry_id = o.id
      WHERE ${where}`,
    params,
  );
  const s = rows[0];
  return { ...s, conversion: s.entries ? s.enrolled / s.entries : 0 };
}

export interface EnrolledCount {
  regionCode: string | null;
  regionName: string | null;
  month: string;
  enrolled: number;
  entries: number;
}

/**
 * Enrolled (促进参保) per community and month (the as-of month of the run that found them insured),
 * with the entries of that community for the conversion rate; newest month first.
 */
export async function enrolledByCommunity(actor: Actor, region?: string, limit = 200): Promise<EnrolledCount[]> {
  await ensureSettled();
  const params: unknown[] = [];
  const where = ledgerWhere(actor, { region, anyStatus: true }, params);
  const { rows } = await pool().query<{ region_code: string | null; region_name: string | null; month: string; enrolled: number; entries: number }>(
    `WITH scoped AS (SELECT o.* FROM outreach_entry o WHERE ${where}),
          per AS (SELECT region_code, count(*)::int AS entries FROM scoped GROUP BY region_code)
     SELECT s.region_code, g.name AS region_name, to_char(r.as_of, 'YYYY-MM') AS month, count(*)::int AS enrolled, per.entries
       FROM scoped s
       JOIN comparison_run r ON r.id = s.settled_run_id
       JOIN per ON per.region_code IS NOT DISTINCT FROM s.region_code
       LEFT JOIN region g ON g.code = s.region_code
      WHERE s.status = 'ENROLLED'
      GROUP BY s.region_code, g.name, month, per.entries
      ORDER BY month DESC, s.region_code NULLS LAST
      LIMIT ${Math.trunc(limit)}`,
    params,
  );
  return rows.map((r) => ({ regionCode: r.region_code, regionName: r.region_name, month: r.month, enrolled: r.enrolled, entries: r.entries }));
}

export interface ContactRow {
  id: number;
  contactedOn: string;
  channel: string;
  outcome: string;
  promisedOn: string | null;
  note: string | null;
  recordedBy: string | null;
  createdAt: Date;
}

export interface EntryDetail extends LedgerRow {
  entryMissing: string[];
  runId: number;
  lastRunId: number;
  contactList: ContactRow[];
}

/** One entry with its contacts; out of the actor's scope (or unknown) answers "not found". */
export async function getEntry(actor: Actor, entryId: number): Promise<EntryDetail> {
  if (!Number.isSafeInteger(entryId) || entryId <= 0) throw new NotFoundError("outreach entry");
  // The list's query (scope, masking, reasons) restricted to the one entry, whatever its status.
  const [row] = (await ledgerPage(actor, { entryId, anyStatus: true }, 0, 1)).rows;
  if (!row) throw new NotFoundError("outreach entry");
  const { rows } = await pool().query<{ entry_missing: string[]; run_id: number; last_run_id: number }>(`SELECT entry_missing, run_id, last_run_id FROM outreach_entry WHERE id = $1`, [entryId]);
  const contacts = await pool().query<{ id: number; contacted_on: string; channel: string; outcome: string; promised_on: string | null; note: string | null; recorded_by: string | null; created_at: Date }>(
    `SELECT c.id, to_char(c.contacted_on, 'YYYY-MM-DD') AS contacted_on, c.channel, c.outcome, to_char(c.promised_on, 'YYYY-MM-DD') AS promised_on,
            c.note, u.real_name AS recorded_by, c.created_at
       FROM outreach_contact c LEFT JOIN app_user u ON u.id = c.recorded_by_id
      WHERE c.entry_id = $1 ORDER BY c.contacted_on DESC, c.id DESC`,
    [entryId],
  );
  return {
    ...row,
    entryMissing: rows[0].entry_missing,
    runId: rows[0].run_id,
    lastRunId: rows[0].last_run_id,
    contactList: contacts.rows.map((c) => ({ id: c.id, contactedOn: c.contacted_on, channel: c.channel, outcome: c.outcome, promisedOn: c.promised_on, note: c.note, recordedBy: c.recorded_by, createdAt: c.created_at })),
  };
}
