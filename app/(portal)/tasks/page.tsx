import { forbidden } from "next/navigation";
import Link from "next/link";
import { TaskList } from "@/components/survey/task-list";
import { ActionForm } from "@/components/ui/action-form";
import { refusePage } from "@/lib/http/refuse";
import { requireUser } from "@/lib/auth/session";
import { getT } from "@/lib/i18n/server";
import { guarded, roleHas } from "@/lib/policy";
import type { TTaskState } from "@/lib/review/workflow";
import { assignAction, createTeamAction, releaseAction, reopenAction } from "@/lib/survey/actions";
import { listSurveyors, listTasks, listTeams, taskProgress } from "@/lib/survey/queries";

const COLUMNS: (TTaskState | "UNRELEASED")[] = ["PENDING", "UNRELEASED", "ASSIGNED", "DRAFT", "SUBMITTED", "STREET_APPROVED", "DISTRICT_APPROVED", "RETURNED", "UNREACHABLE"];
const input = "rounded border border-slate-300 px-2 py-1.5 text-sm";

export default async function TasksPage({ searchParams }: { searchParams: Promise<{ region?: string }> }) {
  const user = await requireUser();
  const t = await getT();
  if (!roleHas(user.role, "task:view") || !user.regionCode || user.role === "COMMUNITY_SURVEYOR") forbidden();
  // Drill down: a region below the user's own (district → street → community), checked by the policy.
  const raw = (await searchParams).region;
  // A region code is digits only; anything else (an array, letters) answers the user's own region.
  const region = typeof raw === "string" && /^\d{4,12}$/.test(raw) ? raw : user.regionCode;
  const scoped = await guarded(taskProgress(user, region));
  if (!scoped.ok) refusePage(scoped.refusal);
  const progress = scoped.value;
  const district = roleHas(user.role, "task:assign-street") && region.length === 6;
  const street = roleHas(user.role, "task:assign-community");
  const [teams, surveyors, unreachable, tasks] = await Promise.all([
    street ? listTeams(user) : Promise.resolve([]),
    street ? listSurveyors(user) : Promise.resolve([]),
    district ? listTasks(user, { states: ["UNREACHABLE"], limit: 100 }) : Promise.resolve([]),
    street ? listTasks(user, { limit: 300 }) : Promise.resolve([]),
  ]);
  const names = new Map(progress.map((p) => [p.regionCode, p.regionName]));
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">{t("tasks.title")}</h1>
      <section>
        <h2 className="mb-2 text-sm font-medium text-slate-600">{t("tasks.byRegion")}</h2>
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-sm" data-testid="task-progress">
            <thead className="bg-slate-50 text-left text-slate-600">
              <tr>
                <th className="px-3 py-2">{t("common.name")}</th>
                {COLUMNS.map((c) => (
                  <th key={c} className="whitespace-nowrap px-2 py-2 text-right">
                    {c === "UNRELEASED" ? t("task.notReleased") : t(`task.state.${c}`)}
                  </th>
                ))}
                <th className="px-2 py-2 text-right">{t("common.total")}</th>
                {(district || street) && <th className="px-2 py-2" />}
              </tr>
            </thead>
            <tbody>
              {progress.map((row) => (
                <tr key={row.regionCode} className="border-t border-slate-100" data-testid={`progress-${row.regionCode}`}>
                  <td className="whitespace-nowrap px-3 py-2">
                    {row.regionCode.length < 12 ? (
                      <Link href={`/tasks?region=${row.regionCode}`} className="text-blue-700 hover:underline">
                        {row.regionName}
                      </Link>
                    ) : (
                      row.regionName
                    )}
                  </td>
                  {COLUMNS.map((c) => (
                    <td key={c} className="px-2 py-2 text-right tabular-nums">
                      {row.counts[c] ?? 0}
                    </td>
                  ))}
                  <td className="px-2 py-2 text-right tabular-nums">{row.total}</td>
                  {district && (
                    <td className="px-2 py-1">
                      {(row.counts.UNRELEASED ?? 0) > 0 && (
                        <ActionForm action={releaseAction} submitLabel={t("tasks.releaseStreet")}>
                          <input type="hidden" name="streetCode" value={row.regionCode} />
                        </ActionForm>
                      )}
                    </td>
                  )}
                  {street && (
                    <td className="px-2 py-1">
                      {teams.some((team) => team.communityCode === row.regionCode) && (row.counts.PENDING ?? 0) - (row.counts.UNRELEASED ?? 0) > 0 && (
                        <ActionForm action={assignAction} submitLabel={t("tasks.assignTo")} testId={`assign-${row.regionCode}`}>
                          <select name="teamId" className={input}>
                            {teams
                              .filter((team) => team.communityCode === row.regionCode)
                              .map((team) => (
                                <option key={team.id} value={team.id}>
                                  {team.name}
                                </option>
                              ))}
                          </select>
                        </ActionForm>
                      )}
                      <div className="mt-1 flex gap-2 text-xs">
                        <Link href={`/print/community/${row.regionCode}`} className="text-blue-700 underline">
                          {t("tasks.print")}
                        </Link>
                        <Link href={`/print/community/${row.regionCode}/summary`} className="text-blue-700 underline">
                          {t("tasks.printSummary")}
                        </Link>
                      </div>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {district && (
          <div className="mt-3">
            <ActionForm action={releaseAction} submitLabel={t("tasks.releaseAll")} testId="release-all">
              <span />
            </ActionForm>
          </div>
        )}
      </section>

      {street && (
        <section className="rounded-lg border border-slate-200 bg-white p-4">
          <h2 className="mb-2 font-medium">{t("tasks.teams")}</h2>
          <ul className="mb-4 space-y-1 text-sm" data-testid="team-list">
            {teams.map((team) => (
              <li key={team.id}>
                {team.name} · {names.get(team.communityCode) ?? team.communityCode} · {surveyors.filter((s) => team.memberIds.includes(s.id)).map((s) => s.realName).join("、")}
              </li>
            ))}
          </ul>
          <h3 className="mb-2 text-sm font-medium">{t("tasks.newTeam")}</h3>
          <ActionForm action={createTeamAction} submitLabel={t("tasks.newTeam")} testId="create-team">
            <select name="communityCode" className={input}>
              {progress.map((p) => (
                <option key={p.regionCode} value={p.regionCode}>
                  {p.regionName}
                </option>
              ))}
            </select>
            <input name="name" required placeholder={t("tasks.teamName")} className={input} />
            <fieldset className="flex w-full flex-wrap gap-x-4 gap-y-1 text-sm" aria-label={t("tasks.members")}>
              {surveyors.map((s) => (
                <label key={s.id} className="flex items-center gap-1">
                  <input type="checkbox" name={`member_${s.id}`} className="h-4 w-4" />
                  {s.realName}（{names.get(s.regionCode ?? "") ?? s.regionCode}）
                </label>
              ))}
            </fieldset>
          </ActionForm>
        </section>
      )}

      {district && unreachable.length > 0 && (
        <section>
          <h2 className="mb-2 font-medium">{t("task.state.UNREACHABLE")}</h2>
          <ul className="space-y-2">
            {unreachable.map((task) => (
              <li key={task.id} className="flex flex-wrap items-center gap-3 rounded border border-slate-200 bg-white px-3 py-2 text-sm">
                <span>
                  {task.name} {task.idMasked}
                </span>
                <ActionForm action={reopenAction} submitLabel={t("tasks.reopen")}>
                  <input type="hidden" name="taskId" value={task.id} />
                  <input type="hidden" name="version" value={task.version} />
                </ActionForm>
              </li>
            ))}
          </ul>
        </section>
      )}

      {street && <TaskList tasks={tasks} hrefBase="/survey" regionNames={names} />}
    </div>
  );
}
