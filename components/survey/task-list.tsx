import Link from "next/link";
import type { TMessageKey } from "@/lib/i18n/messages";
import { getT } from "@/lib/i18n/server";
import { taskReasonLabel } from "@/lib/registry/labels";
import type { TaskListItem } from "@/lib/survey/queries";

/** A list of survey tasks (IDs masked), each linking to `hrefBase/<id>`. */
export async function TaskList({ tasks, hrefBase, regionNames }: { tasks: TaskListItem[]; hrefBase?: string; regionNames?: Map<string, string> }) {
  const t = await getT();
  if (tasks.length === 0) return <p className="rounded-lg border border-dashed border-slate-300 p-6 text-center text-slate-500">{t("tasks.none")}</p>;
  return (
    <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white" data-testid="task-list">
      {tasks.map((task) => (
        <li key={task.id} className="flex flex-wrap items-center justify-between gap-2 px-4 py-3" data-testid={`task-${task.id}`}>
          <div className="min-w-0">
            <div className="font-medium">
              {hrefBase ? (
                <Link href={`${hrefBase}/${task.id}`} className="text-blue-700 hover:underline">
                  {task.name}
                </Link>
              ) : (
                task.name
              )}
              <span className="ml-2 font-mono text-xs text-slate-500">{task.idMasked}</span>
              {task.newlyFound && <span className="ml-2 rounded bg-purple-50 px-1.5 text-xs text-purple-700">{t("survey.newPerson")}</span>}
              {task.filledByMe && (
                <span className="ml-2 rounded bg-amber-50 px-1.5 text-xs text-amber-800" data-testid="own-work">
                  {t("review.ownWork")}
                </span>
              )}
            </div>
            <div className="text-sm text-slate-500">
              {regionNames?.get(task.regionCode) ?? task.regionName} · {task.address ?? ""}
            </div>
            <div className="text-sm text-slate-600">
              {t("tasks.reason")}：{taskReasonLabel(t, task.reason, task.category)}
            </div>
          </div>
          <div className="flex items-center gap-2 text-sm">
            {task.teamName && <span className="text-slate-500">{task.teamName}</span>}
            <span className="rounded bg-slate-100 px-2 py-0.5" data-testid="task-state">
              {t(`task.state.${task.state}` as TMessageKey)}
            </span>
          </div>
        </li>
      ))}
    </ul>
  );
}
