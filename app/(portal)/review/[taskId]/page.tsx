import { SurveyForm } from "@/components/survey/survey-form";
import { TaskSummary } from "@/components/survey/task-summary";
import { TaskTrail } from "@/components/survey/task-trail";
import { ActionForm } from "@/components/ui/action-form";
import { refusePage } from "@/lib/http/refuse";
import { requireUser } from "@/lib/auth/session";
import { getLocale, getT } from "@/lib/i18n/server";
import { can, guarded } from "@/lib/policy";
import { prisma } from "@/lib/db/client";
import { reviewAction } from "@/lib/review/actions";
import { fillerIds } from "@/lib/review/transition";
import { findTransition, type TTaskState } from "@/lib/review/workflow";
import { cityRegions } from "@/lib/regions/queries";
import { getTaskDetail } from "@/lib/survey/queries";
import { parseId } from "@/lib/http/params";

export default async function ReviewTaskPage({ params }: { params: Promise<{ taskId: string }> }) {
  const { taskId } = await params;
  const user = await requireUser();
  const [t, locale] = await Promise.all([getT(), getLocale()]);
  const loaded = await guarded(getTaskDetail(user, parseId(taskId) ?? 0, "task:view", "review"));
  if (!loaded.ok) refusePage(loaded.refusal);
  const detail = loaded.value;
  const tree = await cityRegions(user);
  const { task } = detail;
  const approve = findTransition(task.state as TTaskState, "approve");
  const mayDecide = approve !== undefined && can(user, approve.permission, task.regionCode);
  // Four eyes: whoever filled the form may return it but not approve it (refused again in lib/review).
  const filledByMe = mayDecide && (await prisma().$transaction((tx) => fillerIds(tx, task.id))).includes(user.id);
  const data = (task.form?.data ?? {}) as Record<string, unknown>;
  const initial = { ...data, surveyors: Array.isArray(data.surveyors) ? (data.surveyors as string[]).join("、") : "" };
  return (
    <div className="mx-auto max-w-2xl space-y-4">
      <div className="flex items-center justify-between">
        <h1 className="text-xl font-semibold">{t("review.title")}</h1>
        <span className="rounded bg-slate-100 px-2 py-0.5 text-sm" data-testid="task-state">
          {t(`task.state.${task.state}`)}
        </span>
      </div>
      <TaskSummary detail={detail} />
      <SurveyForm taskId={task.id} version={task.version} initial={initial} locale={locale} editable={false} regions={tree.regions} cityName={tree.cityName} />
      {mayDecide && (
        <section className="space-y-3 rounded-lg border border-slate-200 bg-white p-4" data-testid="review-decision">
          {filledByMe ? (
            <p className="text-sm text-amber-800" data-testid="own-work">
              {t("review.err.ownWork")}
            </p>
          ) : (
            <ActionForm action={reviewAction} submitLabel={t("review.approve")} okLabel={t("review.approved")} testId="approve">
              <input type="hidden" name="taskId" value={task.id} />
              <input type="hidden" name="version" value={task.version} />
              <input type="hidden" name="decision" value="approve" />
            </ActionForm>
          )}
          <ActionForm action={reviewAction} submitLabel={t("review.return")} okLabel={t("review.returned")} testId="return">
            <input type="hidden" name="taskId" value={task.id} />
            <input type="hidden" name="version" value={task.version} />
            <input type="hidden" name="decision" value="return" />
            <input name="comment" placeholder={t("review.comment")} className="min-w-0 flex-1 rounded border border-slate-300 px-3 py-2" />
          </ActionForm>
        </section>
      )}
      <TaskTrail detail={detail} />
    </div>
  );
}
