import { writeAudit } from "@/lib/audit/log";
import { currentUser } from "@/lib/auth/session";
import { translator } from "@/lib/i18n/messages";
import { getLocale } from "@/lib/i18n/server";
import { tableExportResponse } from "@/lib/http/table-export";
import { cellList, ledgerCells, ledgerHeader } from "@/lib/outreach/format";
import { iterateLedger, ledgerPage } from "@/lib/outreach/queries";
import { cleanLedgerFilter } from "@/lib/outreach/schema";
import { can, NotFoundError } from "@/lib/policy";

// GET /outreach/export?q=…&region=…&status=…&overdue=1: the ledger as on the page (same filter,
// scope, masking and cells), as XLSX through exceljs's streaming writer. Every export is audited.

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  const user = await currentUser();
  if (!user || !can(user, "outreach:view") || !can(user, "export:run")) return new Response("forbidden", { status: 403 });
  const filter = cleanLedgerFilter(Object.fromEntries(new URL(request.url).searchParams));
  let total: number;
  try {
    total = (await ledgerPage(user, filter, 0, 1)).total;
  } catch (e) {
    if (e instanceof NotFoundError) return new Response("not found", { status: 404 });
    throw e;
  }
  await writeAudit(user, { action: "outreach.export", entity: "outreach_entry", regionCode: filter.region ?? user.regionCode, detail: { format: "xlsx", ...filter, rows: total } });
  const t = translator(await getLocale());
  return tableExportResponse({
    format: "xlsx",
    filename: `outreach-${filter.region ?? user.regionCode ?? "all"}`,
    sheetName: t("outreach.title"),
    header: ledgerHeader(t),
    rows: (async function* () {
      for await (const batch of iterateLedger(user, filter)) yield batch.map((r) => cellList(ledgerCells(t, r)));
    })(),
  });
}
