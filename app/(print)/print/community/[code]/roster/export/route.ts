import { writeAudit } from "@/lib/audit/log";
import { currentUser } from "@/lib/auth/session";
import { exportFormat, tableExportResponse } from "@/lib/http/table-export";
import { translator } from "@/lib/i18n/messages";
import { getLocale } from "@/lib/i18n/server";
import { can, NotFoundError } from "@/lib/policy";
import { parseTaskFilter, rosterRows, rosterSelection } from "@/lib/survey/assign";
import { rosterCells, rosterHeader } from "@/lib/survey/assign-format";

// GET /print/community/<code>/roster/export?task=1&task=2… (or the task list's filter): the survey
// roster (花名册) of the selected tasks of one community as XLSX — the same rows as the printed
// roster. Audited with the selection and the row count.

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ code: string }> }) {
  const user = await currentUser();
  if (!user || !can(user, "task:view") || !can(user, "export:run")) return new Response("forbidden", { status: 403 });
  const { code } = await params;
  const url = new URL(request.url);
  const filter = parseTaskFilter(Object.fromEntries(url.searchParams));
  const taskIds = rosterSelection(url.searchParams.getAll("task"));
  let roster: Awaited<ReturnType<typeof rosterRows>>;
  try {
    roster = await rosterRows(user, code, filter, taskIds);
  } catch (e) {
    if (e instanceof NotFoundError) return new Response("not found", { status: 404 });
    throw e;
  }
  const format = exportFormat(url.searchParams.get("format"));
  await writeAudit(user, { action: "roster.export", entity: "region", entityId: code, regionCode: code, detail: { filters: { ...filter, format }, taskIds: roster.rows.map((r) => r.id), rows: roster.rows.length } });
  const t = translator(await getLocale());
  return tableExportResponse({
    format,
    filename: `${t("roster.title")}-${roster.communityName}`,
    sheetName: t("roster.title"),
    header: rosterHeader(t),
    rows: roster.rows.map((r, i) => rosterCells(t, r, i + 1)),
  });
}
