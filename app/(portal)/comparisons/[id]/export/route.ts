import { auditRefusal, writeAudit } from "@/lib/audit/log";
import { currentUser } from "@/lib/auth/session";
import { cleanFilter, countResults, getRun, iterateResults, type ResultListRow } from "@/lib/comparison/queries";
import { translator } from "@/lib/i18n/messages";
import { getLocale } from "@/lib/i18n/server";
import { can, NotFoundError } from "@/lib/policy";
import { parseId } from "@/lib/http/params";
import { exportFormat, tableExportResponse } from "@/lib/http/table-export";
import { categoryLabel, flagLabel, schemeLabel } from "@/lib/registry/labels";

// GET /comparisons/:id/export?format=csv|xlsx&category=…&flag=…&scheme=…&region=…&change=…: the person
// list behind a number, in the actor's scope, IDs and phones masked as on the page — or, with
// &unmasked=1&reason=…, in full, which needs the stated reason. Streamed (CSV with BOM, or exceljs's
// streaming workbook writer); every export is written to the audit log with its filters, row count
// and reason, and a refused one too.

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const user = await currentUser();
  if (!user || !can(user, "export:run") || !can(user, "comparison:view")) return new Response("forbidden", { status: 403 });
  const id = parseId((await params).id);
  const url = new URL(request.url);
  const format = exportFormat(url.searchParams.get("format") ?? "csv");
  const filter = cleanFilter(Object.fromEntries(url.searchParams));
  // Full ID numbers and phones only with a stated reason, which goes into the audit row.
  const unmasked = url.searchParams.get("unmasked") === "1";
  const reason = (url.searchParams.get("reason") ?? "").trim().slice(0, 200);
  if (unmasked && !reason) return new Response((translator(await getLocale()))("export.reasonRequired"), { status: 400, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
  let rowCount: number;
  try {
    if (id === null) throw new NotFoundError("comparison run");
    await getRun(user, id);
    rowCount = await countResults(user, id, filter);
  } catch (e) {
    if (e instanceof NotFoundError) {
      await auditRefusal(user, "not-found", { export: "comparison", runId: id, filters: filter });
      return new Response("not found", { status: 404 });
    }
    throw e;
  }
  await writeAudit(user, { action: "comparison.export", entity: "comparison_run", entityId: String(id), regionCode: user.regionCode, reason: unmasked ? reason : undefined, detail: { format, unmasked, filters: filter, rows: rowCount } });
  const t = translator(await getLocale());
  // What a person reads: labels and names; the codes in columns of their own (`…_code`) for a machine.
  const header = [t("comparison.col.idNumber"), t("comparison.col.name"), t("comparison.col.category"), "category_code", t("comparison.col.flags"), "flags_code", t("comparison.col.missing"), "missing_schemes_code", t("comparison.col.region"), "region_code", t("comparison.col.phone")];
  const cells = (r: ResultListRow) => [
    r.maskedId, r.name,
    categoryLabel(t, r.category), r.category,
    r.flags.map((f) => flagLabel(t, f)).join("、"), r.flags.join(";"),
    r.missingSchemes.map((s) => schemeLabel(t, s)).join("、"), r.missingSchemes.join(";"),
    r.regionName ?? r.regionCode ?? "", r.regionCode ?? "",
    r.phone,
  ];
  const rows = iterateResults(user, id, filter, { unmasked });
  return tableExportResponse({
    format,
    filename: `comparison-${id}`,
    sheetName: t("comparison.list"),
    header,
    rows: (async function* () {
      for await (const batch of rows) yield batch.map(cells);
    })(),
  });
}
