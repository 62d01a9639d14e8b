import Link from "next/link";
import { SurveyForm } from "@/components/survey/survey-form";
import { TaskSummary } from "@/components/survey/task-summary";
import { TaskTrail } from "@/components/survey/task-trail";
import { ActionForm } from "@/components/ui/action-form";
import { refusePage } from "@/lib/http/refuse";
import { requireUser } from "@/lib/auth/session";
import { getLocale, getT } from "@/lib/i18n/server";
import { personRef } from "@/lib/ids/person-ref";
import { guarded } from "@/lib/policy";
import { EDITABLE_STATES, MIN_FAILED_VISITS, type TTaskState } from "@/lib/review/workflow";
import { closeUnreachableAction, recordVisitAction } from "@/lib/survey/actions";
import { cityRegions } from "@/lib/regions/queries";
import { getTaskDetail } from "@/lib/survey/queries";
import { FAILED_OUTCOMES } from "@/lib/survey/schema";
import { parseId } from "@/lib/http/params";

const input = "rounded border border-slate-300 px-3 py-2";

export default async function SurveyTaskPage({ params }: { params: Promise<{ taskId: string }> }) {
  const { taskId } = await params;
  const user = await requireUser();
  const [t, locale] = await Promise.all([getT(), getLocale()]);
  const loaded = await guarded(getTaskDetail(user, parseId(taskId) ?? 0, "survey:fill", "survey"));
  if (!loaded.ok) refusePage(loaded.refusal);
  const detail = loaded.value;
  const tree = await cityRegions(user);
  const { task } = detail;
  const editable = EDITABLE_STATES.includes(task.state as TTaskState);
  const data = (task.form?.data ?? {}) as Record<string, unknown>;
  const initial = { ...data, surveyors: Array.isArray(data.surveyors) ? (data.surveyors as string[]).join("、") : (data.surveyors ?? "") };
  delete (initial as Record<string, unknown>).newPerson;
  const returned = [...task.events].reverse().find((e) => e.event === "return");
  return (
    <div className="mx-auto max-w-2xl space-y-4">
      <div className="flex items-center justify-between">
        <h1 className="text-xl font-semibold">{t("survey.form")}</h1>
        <span className="rounded bg-slate-100 px-2 py-0.5 text-sm" data-testid="task-state">
          {t(`task.state.${task.state}`)}
        </span>
      </div>
      {task.state === "RETURNED" && returned?.comment && (
        <p className="rounded border border-red-200 bg-red-50 p-3 text-sm text-red-800" data-testid="returned-comment">
          {t("survey.returnedComment")}：{returned.comment}
        </p>
      )}
      <TaskSummary detail={detail} />
      <div className="no-print flex flex-wrap gap-4 text-sm">
        <Link href={`/print/task/${task.id}`} className="text-blue-700 underline">
          {t("tasks.print")}
        </Link>
        {/* Wrong pre-filled data is corrected by a change request (变更登记), not by overwriting. */}
        {detail.person && (
          <Link href={`/registry/${personRef(task.idNumber)}`} className="text-blue-700 underline" data-testid="change-request-link">
            {t("change.request")}
          </Link>
        )}
      </div>
      <SurveyForm taskId={task.id} version={task.version} initial={initial} locale={locale} editable={editable} regions={tree.regions} cityName={tree.cityName} />
      {editable && (
        <section className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
          <h2 className="font-medium">{t("survey.recordVisit")}</h2>
          <ActionForm action={recordVisitAction} submitLabel={t("survey.recordVisit")}>
            <input type="hidden" name="taskId" value={task.id} />
            <select name="outcome" className={input}>
              {FAILED_OUTCOMES.map((o) => (
                <option key={o} value={o}>
                  {t(`survey.visit.${o}`)}
                </option>
              ))}
            </select>
            <input name="note" className={input} placeholder={t("survey.remarks")} />
          </ActionForm>
          <p className="text-sm text-slate-500">{t("survey.failedVisits", { n: task.failedVisits })}</p>
          {task.failedVisits >= MIN_FAILED_VISITS && (
            <ActionForm action={closeUnreachableAction} submitLabel={t("survey.closeUnreachable")}>
              <input type="hidden" name="taskId" value={task.id} />
              <input type="hidden" name="version" value={task.version} />
              <input name="reason" required className={input} placeholder={t("survey.unreachableReason")} />
            </ActionForm>
          )}
        </section>
      )}
      <TaskTrail detail={detail} />
    </div>
  );
}
