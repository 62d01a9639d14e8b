import ExcelJS from "exceljs";
import { writeAudit } from "@/lib/audit/log";
import { currentUser } from "@/lib/auth/session";
import { translator } from "@/lib/i18n/messages";
import { getLocale } from "@/lib/i18n/server";
import { NotAllowedError, NotFoundError } from "@/lib/policy";
import { statsReport } from "@/lib/stats/report";
import { reportTables } from "@/lib/stats/report-tables";

// GET /api/stats/report?region=&month=: 统计报表 as XLSX, one sheet per table (the same tables as the
// A4 print page, lib/stats/report-tables.ts), labels in the user's language, region names not codes.
// Scoped in the query (out of scope: 404); every export is written to the audit log.

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  const user = await currentUser();
  if (!user) return new Response("unauthorised", { status: 401 });
  const sp = new URL(request.url).searchParams;
  let report;
  try {
    report = await statsReport(user, sp.get("region") ?? undefined, sp.get("month") ?? undefined);
  } catch (e) {
    if (e instanceof NotFoundError) return new Response("not found", { status: 404 });
    if (e instanceof NotAllowedError) return new Response("forbidden", { status: 403 });
    throw e;
  }
  await writeAudit(user, { action: "stats.report-export", entity: "region", entityId: report.region.code, regionCode: report.region.code, detail: { month: report.month, live: report.live, runId: report.run?.id ?? null, format: "xlsx" } });
  const t = translator(await getLocale());
  const wb = await reportWorkbook(t, report);
  const buf = await wb.xlsx.writeBuffer();
  return new Response(buf as ArrayBuffer, {
    headers: {
      "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "content-disposition": `attachment; filename="stats-report-${report.region.code}-${report.month}.xlsx"`,
    },
  });
}

async function reportWorkbook(t: ReturnType<typeof translator>, report: Awaited<ReturnType<typeof statsReport>>): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  const source = report.run ? t(report.live ? "report.sourceLive" : "report.sourceSnapshot", { month: report.month, id: report.run.id, asOf: report.run.asOf ?? "—" }) : t("report.noRun");
  for (const tb of reportTables(t, report)) {
    const ws = wb.addWorksheet(tb.title.slice(0, 31));
    ws.addRow([`${report.region.name} ${tb.title}`]);
    ws.addRow([source]);
    const header = ws.addRow(tb.header);
    header.font = { bold: true };
    tb.rows.forEach((row, i) => {
      const r = ws.addRow(row);
      if (i === tb.totalIndex) r.font = { bold: true };
    });
    if (tb.note) ws.addRow([tb.note]);
    ws.columns.forEach((c, i) => (c.width = i === 0 ? 28 : 16));
  }
  return wb;
}
