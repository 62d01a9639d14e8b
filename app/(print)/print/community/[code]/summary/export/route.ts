import { writeAudit } from "@/lib/audit/log";
import { currentUser } from "@/lib/auth/session";
import { exportFormat, tableExportResponse } from "@/lib/http/table-export";
import { translator } from "@/lib/i18n/messages";
import { getLocale } from "@/lib/i18n/server";
import { can, NotFoundError } from "@/lib/policy";
import { summaryCells, summaryHeader } from "@/lib/survey/assign-format";
import { communitySummary } from "@/lib/survey/print";

// GET /print/community/<code>/summary/export: the community's summary sheet (全民参保登记个人信息汇总表)
// as XLSX — the printed sheet's rows (newly found persons included), IDs masked, codes in _code
// columns. Audited with the row count.

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ code: string }> }) {
  const user = await currentUser();
  if (!user || !can(user, "task:view") || !can(user, "export:run")) return new Response("forbidden", { status: 403 });
  const { code } = await params;
  let sheet: Awaited<ReturnType<typeof communitySummary>>;
  try {
    sheet = await communitySummary(user, code);
  } catch (e) {
    if (e instanceof NotFoundError) return new Response("not found", { status: 404 });
    throw e;
  }
  const format = exportFormat(new URL(request.url).searchParams.get("format"));
  await writeAudit(user, { action: "summary.export", entity: "region", entityId: code, regionCode: code, detail: { format, taskIds: sheet.rows.map((r) => r.taskId), rows: sheet.rows.length } });
  const t = translator(await getLocale());
  return tableExportResponse({ format, filename: `${t("print.summary")}-${sheet.communityName}`, sheetName: t("print.summary"), header: summaryHeader(t), rows: sheet.rows.map((r) => summaryCells(t, r)) });
}
