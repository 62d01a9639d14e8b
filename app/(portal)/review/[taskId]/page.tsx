import Link from "next/link";
import { ReviewDecision } from "@/components/review/decision";
import { SurveyForm } from "@/components/survey/survey-form";
import { TaskSummary } from "@/components/survey/task-summary";
import { TaskTrail } from "@/components/survey/task-trail";
import { refusePage } from "@/lib/http/refuse";
import { requireUser } from "@/lib/auth/session";
import { getLocale, getT } from "@/lib/i18n/server";
import { can, guarded } from "@/lib/policy";
import { prisma } from "@/lib/db/client";
import { formDiff } from "@/lib/review/diff";
import { RETURN_KINDS } from "@/lib/review/mutations";
import { parseQueueFilter, queueFilterQuery } from "@/lib/review/queue";
import { fillerIds } from "@/lib/review/transition";
import { findTransition, type TTaskState } from "@/lib/review/workflow";
import { regionPaths } from "@/lib/regions/progress";
import { cityRegions } from "@/lib/regions/queries";
import { getTaskDetail } from "@/lib/survey/queries";
import { parseId } from "@/lib/http/params";

// One form under review: what it changes against the registry (field by field, changes marked), the
// form itself read-only, and the decision — approve, or return with a reason — after which the next
// task of the queue (same filters as the list it was opened from) opens.

type Search = Record<string, string | string[] | undefined>;

export default async function ReviewTaskPage({ params, searchParams }: { params: Promise<{ taskId: string }>; searchParams: Promise<Search> }) {
  const { taskId } = await params;
  const sp = await searchParams;
  const user = await requireUser();
  const [t, locale] = await Promise.all([getT(), getLocale()]);
  const loaded = await guarded(getTaskDetail(user, parseId(taskId) ?? 0, "task:view", "review"));
  if (!loaded.ok) refusePage(loaded.refusal);
  const detail = loaded.value;
  const tree = await cityRegions(user);
  const { task, person } = detail;
  const filter = parseQueueFilter(sp);
  const queue = queueFilterQuery(filter);
  const approve = findTransition(task.state as TTaskState, "approve");
  const mayDecide = approve !== undefined && can(user, approve.permission, task.regionCode);
  // Four eyes: whoever filled the form may return it but not approve it (refused again in lib/review).
  const filledByMe = mayDecide && (await prisma().$transaction((tx) => fillerIds(tx, task.id))).includes(user.id);
  const data = (task.form?.data ?? {}) as Record<string, unknown>;
  const initial = { ...data, surveyors: Array.isArray(data.surveyors) ? (data.surveyors as string[]).join("、") : "" };
  const names = await regionPaths([person?.residenceRegionCode, typeof data.residenceRegionCode === "string" ? data.residenceRegionCode : null]);
  const diff = task.form ? formDiff(t, person ? { phone: person.phone, residenceRegionCode: person.residenceRegionCode, residenceAddress: person.residenceAddress, surveyData: person.surveyData } : null, data, (c) => names[c]) : [];
  const changed = diff.filter((d) => d.changed).length;
  const done = sp.done === "approved" || sp.done === "returned" ? sp.done : null;
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      {done && (
        <p className="rounded border border-green-200 bg-green-50 px-3 py-2 text-sm text-green-800" role="status" data-testid="review-done">
          {t(`review.done.${done}`, { id: String(sp.from ?? "") })}
        </p>
      )}
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-xl font-semibold">{t("review.title")}</h1>
        <div className="flex items-center gap-3 text-sm">
          <Link href={`/review${queue}`} className="text-blue-700 hover:underline">
            {t("review.backToQueue")}
          </Link>
          <span className="rounded bg-slate-100 px-2 py-0.5" data-testid="task-state">
            {t(`task.state.${task.state}`)}
          </span>
        </div>
      </div>
      <TaskSummary detail={detail} />
      {task.form && (
        <section className="rounded-lg border border-slate-200 bg-white p-4" data-testid="review-diff">
          <div className="mb-2 flex flex-wrap items-baseline justify-between gap-2">
            <h2 className="font-medium">{t("review.diff.title")}</h2>
            <span className={`text-sm ${changed ? "text-amber-800" : "text-slate-500"}`} data-testid="diff-count">
              {changed ? t("review.diff.count", { n: changed }) : t("review.diff.none")}
            </span>
          </div>
          {!person && <p className="mb-2 text-sm text-purple-700">{t("review.diff.notInRegistry")}</p>}
          <div className="overflow-x-auto">
            <table className="w-full text-sm">
              <thead className="text-left text-slate-500">
                <tr>
                  <th className="px-2 py-1 font-normal">{t("review.diff.field")}</th>
                  <th className="px-2 py-1 font-normal">{t("review.diff.registry")}</th>
                  <th className="px-2 py-1 font-normal" aria-hidden="true"></th>
                  <th className="px-2 py-1 font-normal">{t("review.diff.form")}</th>
                </tr>
              </thead>
              <tbody>
                {diff.map((d) => (
                  <tr key={d.field} className={`border-t border-slate-100 align-top ${d.changed ? "bg-amber-50" : ""}`} data-testid={`diff-${d.field}`} data-changed={d.changed ? "true" : "false"}>
                    <td className="whitespace-nowrap px-2 py-1.5">
                      {d.label}
                      {d.changed && <span className="ml-1 rounded bg-amber-200 px-1 text-xs text-amber-900">{t("review.diff.changed")}</span>}
                    </td>
                    <td className={`break-all px-2 py-1.5 ${d.changed ? "text-slate-500 line-through decoration-slate-400" : ""}`}>{d.before || "—"}</td>
                    <td className="px-1 py-1.5 text-slate-400" aria-hidden="true">
                      →
                    </td>
                    <td className={`break-all px-2 py-1.5 ${d.changed ? "font-medium text-amber-900" : ""}`}>{d.after || "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
      {mayDecide && (
        <section className="space-y-3 rounded-lg border border-slate-200 bg-white p-4" data-testid="review-decision">
          <h2 className="font-medium">{t("review.decision")}</h2>
          <ReviewDecision
            taskId={task.id}
            version={task.version}
            queue={queue}
            mayApprove={!filledByMe}
            ownWork={filledByMe ? t("review.err.ownWork") : null}
            labels={{
              approve: t("review.approve"),
              approved: t("review.approved"),
              approveHint: t("review.approveHint"),
              ret: t("review.return"),
              returned: t("review.returned"),
              returnHint: t("review.returnHint"),
              returnConfirm: t("review.returnConfirm"),
              reason: t("review.returnReason"),
              kind: t("review.returnKind"),
              kinds: [{ value: "", label: t("review.returnKind.none") }, ...RETURN_KINDS.map((k) => ({ value: k, label: t(`review.returnKind.${k}`) }))],
            }}
          />
        </section>
      )}
      <SurveyForm taskId={task.id} version={task.version} initial={initial} locale={locale} editable={false} regions={tree.regions} cityName={tree.cityName} />
      <TaskTrail detail={detail} />
    </div>
  );
}
