import { auditRead } from "@/lib/audit/log";
import { currentUser } from "@/lib/auth/session";
import { exportFormat, tableExportResponse } from "@/lib/http/table-export";
import { translator } from "@/lib/i18n/messages";
import { getLocale } from "@/lib/i18n/server";
import { can, NotFoundError } from "@/lib/policy";
import { countStreetTasks, parseTaskFilter, streetTaskRows } from "@/lib/survey/assign";
import { taskListCells, taskListHeader } from "@/lib/survey/assign-format";

// GET /tasks/export?community=…&category=…&state=…&team=…&q=…&addr=…[&format=csv]: the street's task
// list exactly as the page lists it (same query, filters, scope, order and masking), every page of
// it, as XLSX. Audited with the filters and the row count.

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  const user = await currentUser();
  if (!user || user.role === "COMMUNITY_SURVEYOR" || !can(user, "task:view") || !can(user, "export:run")) return new Response("forbidden", { status: 403 });
  const url = new URL(request.url);
  const filter = parseTaskFilter(Object.fromEntries(url.searchParams));
  let rows: number;
  try {
    rows = await countStreetTasks(user, filter);
  } catch (e) {
    if (e instanceof NotFoundError) return new Response("not found", { status: 404 });
    throw e;
  }
  const format = exportFormat(url.searchParams.get("format"));
  await auditRead(user, "task.export", { entity: "survey_task", filters: { ...filter, format }, rows });
  const t = translator(await getLocale());
  return tableExportResponse({
    format,
    filename: `${t("tasks.title")}-${filter.community ?? user.regionCode}`,
    sheetName: t("tasks.title"),
    header: taskListHeader(t),
    rows: (async function* () {
      for await (const batch of streetTaskRows(user, filter)) yield batch.map((r) => taskListCells(t, r));
    })(),
  });
}
