import { writeAudit } from "@/lib/audit/log";
import { currentUser } from "@/lib/auth/session";
import { exportFormat, tableExportResponse } from "@/lib/http/table-export";
import { translator } from "@/lib/i18n/messages";
import { getLocale } from "@/lib/i18n/server";
import { taskReasonLabel } from "@/lib/registry/labels";
import { can } from "@/lib/policy";
import { cleanSurveyFilter, iterateSurveyList, surveyListCount } from "@/lib/survey/queries";

// GET /survey/export?tab=…&q=…&format=xlsx|csv: the 入户登记 list as on the page (same tab, search,
// scope and masked IDs), every row, streamed. Needs export:run besides survey:fill (a surveyor's
// phone takes no person list away); every export is audited with its filters and row count.

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  const user = await currentUser();
  if (!user || !can(user, "survey:fill") || !can(user, "export:run")) return new Response("forbidden", { status: 403 });
  const params = new URL(request.url).searchParams;
  const { tab, q } = cleanSurveyFilter(Object.fromEntries(params));
  const format = exportFormat(params.get("format"));
  const rows = await surveyListCount(user, { tab, q });
  await writeAudit(user, { action: "survey.export", entity: "survey_task", regionCode: user.regionCode, detail: { format, filters: { tab, q: q ?? null }, rows } });
  const t = translator(await getLocale());
  return tableExportResponse({
    format,
    filename: `${t("survey.exportFile")}-${t(`survey.tab.${tab}`)}`,
    sheetName: t(`survey.tab.${tab}`),
    header: [t("survey.col.name"), t("survey.col.idMasked"), t("survey.col.community"), "community_code", t("survey.col.address"), t("survey.col.reason"), "reason_code", t("survey.col.state"), "state_code", t("survey.col.team")],
    rows: (async function* () {
      for await (const batch of iterateSurveyList(user, { tab, q })) {
        yield batch.map((r) => [r.name, r.idMasked, r.regionName, r.regionCode, r.address, taskReasonLabel(t, r.reason, r.category), r.category, t(`task.state.${r.state}`), r.state, r.teamName]);
      }
    })(),
  });
}
