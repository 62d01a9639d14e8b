import type { TMessageKey } from "@/lib/i18n/messages";
import { getT } from "@/lib/i18n/server";
import type { getTaskDetail } from "@/lib/survey/queries";

/** Visits and every transition of the task, with who, when and the comment. */
export async function TaskTrail({ detail }: { detail: Awaited<ReturnType<typeof getTaskDetail>> }) {
  const t = await getT();
  const { task, names } = detail;
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-4 text-sm">
      <h2 className="mb-2 font-medium">{t("survey.history")}</h2>
      <ol className="space-y-1" data-testid="task-trail">
        {task.events.map((e) => (
          <li key={e.id}>
            <span className="tabular-nums text-slate-500">{e.at.toLocaleString("zh-CN")}</span> · {names.get(e.actorId ?? 0) ?? ""} · {t(`task.state.${e.fromState}` as TMessageKey)} → {t(`task.state.${e.toState}` as TMessageKey)}
            {e.comment && <span className="ml-1 text-red-700" data-testid="trail-comment">（{e.comment}）</span>}
          </li>
        ))}
      </ol>
      {task.visits.length > 0 && (
        <>
          <h3 className="mb-1 mt-3 font-medium">{t("survey.visits")}</h3>
          <ol className="space-y-1">
            {task.visits.map((v) => (
              <li key={v.id}>
                <span className="tabular-nums text-slate-500">{v.visitedAt.toLocaleString("zh-CN")}</span> · {names.get(v.visitedById ?? 0) ?? ""} · {t(`survey.visit.${v.outcome}` as TMessageKey)}
                {v.note ? `（${v.note}）` : ""}
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
