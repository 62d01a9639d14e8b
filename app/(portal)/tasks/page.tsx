import { forbidden } from "next/navigation";
import Link from "next/link";
import { TaskFilters } from "@/components/tasks/task-filters";
import { TaskTable, type TaskTableRow } from "@/components/tasks/task-table";
import { TeamForm } from "@/components/tasks/team-form";
import { ActionForm } from "@/components/ui/action-form";
import { Pager } from "@/components/ui/pager";
import { refusePage } from "@/lib/http/refuse";
import { requireUser } from "@/lib/auth/session";
import type { TMessageKey } from "@/lib/i18n/messages";
import { getLocale, getT } from "@/lib/i18n/server";
import { personRef } from "@/lib/ids/person-ref";
import { guarded, roleHas } from "@/lib/policy";
import { taskReasonLabel } from "@/lib/registry/labels";
import type { TTaskState } from "@/lib/review/workflow";
import { communityStaff, filterParams, listStreetTasks, parseTaskFilter } from "@/lib/survey/assign";
import { releaseAction, reopenAction } from "@/lib/survey/actions";
import { listTasks, taskProgress } from "@/lib/survey/queries";

const COLUMNS: (TTaskState | "UNRELEASED")[] = ["PENDING", "UNRELEASED", "ASSIGNED", "DRAFT", "SUBMITTED", "STREET_APPROVED", "DISTRICT_APPROVED", "RETURNED", "UNREACHABLE"];

type Search = Record<string, string | string[] | undefined>;

export default async function TasksPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requireUser();
  const t = await getT();
  const locale = await getLocale();
  if (!roleHas(user.role, "task:view") || !user.regionCode || user.role === "COMMUNITY_SURVEYOR") forbidden();
  const search = await searchParams;
  // Drill down: a region below the user's own (district → street → community), checked by the policy.
  const raw = search.region;
  // A region code is digits only; anything else (an array, letters) answers the user's own region.
  const region = typeof raw === "string" && /^\d{4,12}$/.test(raw) ? raw : user.regionCode;
  const scoped = await guarded(taskProgress(user, region));
  if (!scoped.ok) refusePage(scoped.refusal);
  const progress = scoped.value;
  const district = roleHas(user.role, "task:assign-street") && region.length === 6;
  const street = roleHas(user.role, "task:assign-community");
  const filter = parseTaskFilter(search);
  const page = Number(typeof search.page === "string" ? search.page : 1) || 1;
  const [staff, unreachable, list] = await Promise.all([
    street ? communityStaff(user) : Promise.resolve([]),
    district ? listTasks(user, { states: ["UNREACHABLE"], limit: 100 }) : Promise.resolve([]),
    street ? guarded(listStreetTasks(user, filter, page)) : Promise.resolve(null),
  ]);
  if (list && !list.ok) refusePage(list.refusal);
  const teams = staff.flatMap((c) => c.teams.map((team) => ({ id: team.id, communityCode: c.code, label: t("assign.teamOption", { team: team.name, community: c.name }) })));
  const teamlessNotes = Object.fromEntries(
    staff.filter((c) => c.teams.length === 0).map((c) => [c.code, c.surveyors.length === 0 ? t("assign.noSurveyorHere", { community: c.name }) : t("assign.noTeamHere", { community: c.name })]),
  );
  const params = filterParams(filter);
  const href = (p: number) => {
    const q = new URLSearchParams(params);
    q.set("page", String(p));
    return `/tasks?${q.toString()}`;
  };
  const rows: TaskTableRow[] = list?.ok
    ? list.value.rows.map((r) => ({
        id: r.id,
        name: r.name,
        idMasked: r.idMasked,
        communityCode: r.regionCode,
        communityName: r.regionName,
        address: r.address ?? "",
        category: taskReasonLabel(t, r.reason, r.category),
        state: r.state === "PENDING" && !r.released ? t("task.notReleased") : t(`task.state.${r.state}` as TMessageKey),
        teamName: r.teamName ?? "",
        registryHref: r.inRegistry ? `/registry/${personRef(r.idNumber)}` : null,
        newlyFound: r.newlyFound,
      }))
    : [];
  const unreleasedTotal = progress.reduce((s, p) => s + (p.counts.UNRELEASED ?? 0), 0);
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
                    ) : street ? (
                      <Link href={`/tasks?community=${row.regionCode}`} className="text-blue-700 hover:underline">
                        {row.regionName}
                      </Link>
                    ) : (
                      row.regionName
                    )}
                  </td>
                  {COLUMNS.map((c) => (
                    <td key={c} className="px-2 py-2 text-right tabular-nums">
                      {c === "PENDING" ? (row.counts.PENDING ?? 0) - (row.counts.UNRELEASED ?? 0) : (row.counts[c] ?? 0)}
                    </td>
                  ))}
                  <td className="px-2 py-2 text-right tabular-nums">{row.total}</td>
                  {district && (
                    <td className="px-2 py-1">
                      {(row.counts.UNRELEASED ?? 0) > 0 && (
                        <ActionForm action={releaseAction} submitLabel={t("tasks.releaseStreet")} confirm={t("assign.confirmRelease", { region: row.regionName, n: row.counts.UNRELEASED ?? 0 })} testId={`release-${row.regionCode}`}>
                          <input type="hidden" name="streetCode" value={row.regionCode} />
                        </ActionForm>
                      )}
                    </td>
                  )}
                  {street && (
                    <td className="whitespace-nowrap px-2 py-1 text-xs">
                      <div className="flex flex-wrap gap-2">
                        <Link href={`/print/community/${row.regionCode}`} className="text-blue-700 underline">
                          {t("tasks.print")}
                        </Link>
                        <Link href={`/print/community/${row.regionCode}/summary`} className="text-blue-700 underline">
                          {t("tasks.printSummary")}
                        </Link>
                        <a download href={`/print/community/${row.regionCode}/summary/export`} className="text-blue-700 underline" data-testid={`summary-export-${row.regionCode}`}>
                          {t("assign.summaryXlsx")}
                        </a>
                      </div>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {district && unreleasedTotal > 0 && (
          <div className="mt-3">
            <ActionForm action={releaseAction} submitLabel={t("tasks.releaseAll")} testId="release-all" confirm={t("assign.confirmReleaseAll", { n: unreleasedTotal })}>
              <span />
            </ActionForm>
          </div>
        )}
      </section>

      {street && (
        <section className="space-y-3 rounded-lg border border-slate-200 bg-white p-4" data-testid="community-staff">
          <h2 className="font-medium">{t("assign.communities")}</h2>
          <ul className="grid gap-2 text-sm sm:grid-cols-2 lg:grid-cols-3" data-testid="team-list">
            {staff.map((c) => (
              <li key={c.code} className="rounded border border-slate-100 p-2" data-testid={`staff-${c.code}`}>
                <div className="font-medium">
                  {c.name} <span className="text-xs font-normal text-slate-500">{t("assign.surveyorsN", { n: c.surveyors.length })} · {t("assign.teamsN", { n: c.teams.length })}</span>
                </div>
                {c.surveyors.length === 0 ? (
                  <p className="mt-1 text-amber-900" data-testid="no-surveyors-note">
                    {t("assign.noSurveyorHere", { community: c.name })}{" "}
                    <Link href="/accounts" className="text-blue-700 underline">
                      {t("assign.goAccounts")}
                    </Link>
                  </p>
                ) : c.teams.length === 0 ? (
                  <p className="mt-1 text-amber-900" data-testid="no-team-note">
                    {t("assign.noTeamHere", { community: c.name })}
                  </p>
                ) : (
                  <ul className="mt-1 space-y-0.5 text-slate-700">
                    {c.teams.map((team) => (
                      <li key={team.id}>
                        {team.name}：{team.memberNames.join("、")}{" "}
                        <Link href={`/print/community/${c.code}/roster?team=${team.id}`} className="text-xs text-blue-700 underline" data-testid={`team-roster-${team.id}`}>
                          {t("roster.title")}
                        </Link>
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ul>
          <h3 className="text-sm font-medium">{t("tasks.newTeam")}</h3>
          <TeamForm locale={locale} communities={staff.map((c) => ({ code: c.code, name: c.name, surveyors: c.surveyors.map((s) => ({ id: s.id, realName: s.realName })) }))} initialCommunity={filter.community} />
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
                <ActionForm action={reopenAction} submitLabel={t("tasks.reopen")} confirm={t("assign.confirmReopen", { name: task.name })}>
                  <input type="hidden" name="taskId" value={task.id} />
                  <input type="hidden" name="version" value={task.version} />
                </ActionForm>
              </li>
            ))}
          </ul>
        </section>
      )}

      {street && list?.ok && (
        <section className="space-y-3" data-testid="street-task-list">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <h2 className="font-medium">{t("tasks.title")}</h2>
            <a download href={`/tasks/export?${params.toString()}`} className="rounded border border-slate-300 bg-white px-3 py-1.5 text-sm text-slate-800 hover:bg-slate-50" data-testid="tasks-export">
              {t("assign.export")}
            </a>
          </div>
          <TaskFilters t={t} filter={filter} communities={staff.map((c) => ({ code: c.code, name: c.name }))} teams={teams} />
          <Pager page={list.value.page} pageSize={list.value.pageSize} total={list.value.total} href={href} t={t} testId="tasks-pager" />
          <TaskTable key={params.toString()} rows={rows} total={list.value.total} filter={Object.fromEntries(params)} teams={teams} locale={locale} canAssign={street} teamlessNotes={teamlessNotes} />
          <Pager page={list.value.page} pageSize={list.value.pageSize} total={list.value.total} href={href} t={t} testId="tasks-pager-bottom" />
        </section>
      )}
    </div>
  );
}
