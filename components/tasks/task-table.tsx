"use client";

import Link from "next/link";
import { useMemo, useState } from "react";
import { ActionForm } from "@/components/ui/action-form";
import { Field } from "@/components/ui/field";
import { type TLocale, translator } from "@/lib/i18n/messages";
import { assignAction } from "@/lib/survey/actions";

export interface TaskTableRow {
  id: number;
  name: string;
  idMasked: string;
  communityCode: string;
  communityName: string;
  address: string;
  category: string;
  state: string;
  teamName: string;
  /** /registry/<personRef> when the person is in the registry. */
  registryHref: string | null;
  newlyFound: boolean;
}

export interface TeamChoice {
  id: number;
  label: string;
  communityCode: string;
}

/**
 * The street's task list (one page) with its selection: tick tasks, "本页全选", or every task
 * matching the filter ("全部 N 个"); then assign the selection to a team of its community (confirmed,
 * then told what happened) or export/print the selection's roster (花名册) of one community. The
 * selection stays after an assignment, so that its roster can be printed for the team next.
 */
export function TaskTable({
  rows,
  total,
  filter,
  teams,
  locale,
  canAssign,
  teamlessNotes = {},
}: {
  rows: TaskTableRow[];
  total: number;
  /** The list's filter as URL params (sent with "all matching" and used for the roster). */
  filter: Record<string, string>;
  teams: TeamChoice[];
  locale: TLocale;
  canAssign: boolean;
  /** For a community without a team: what to do (form a team, or first get surveyor accounts). */
  teamlessNotes?: Record<string, string>;
}) {
  const t = useMemo(() => translator(locale), [locale]);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [all, setAll] = useState(false);
  const [teamId, setTeamId] = useState("");
  const pageIds = rows.map((r) => r.id);
  const pageAll = pageIds.length > 0 && pageIds.every((id) => selected.has(id));
  const count = all ? total : selected.size;
  const team = teams.find((x) => String(x.id) === teamId);

  // The roster is per community: the filter's, or the one community all ticked tasks are in.
  const selectedCommunities = new Set(rows.filter((r) => selected.has(r.id)).map((r) => r.communityCode));
  const rosterCommunity = filter.community ?? (!all && selectedCommunities.size === 1 ? [...selectedCommunities][0] : null);
  const rosterQuery = (() => {
    const p = new URLSearchParams(all ? filter : {});
    if (!all) for (const id of selected) p.append("task", String(id));
    return p.toString();
  })();
  // Teams offered: those of the filtered community, or of the selection's one community, else all.
  const teamCommunity = filter.community ?? (selectedCommunities.size === 1 ? [...selectedCommunities][0] : null);
  const offered = teamCommunity ? teams.filter((x) => x.communityCode === teamCommunity) : teams;

  const toggle = (id: number) => {
    setAll(false);
    setSelected((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });
  };
  const togglePage = () => {
    setAll(false);
    setSelected((s) => {
      const n = new Set(s);
      for (const id of pageIds) if (pageAll) n.delete(id);
      else n.add(id);
      return n;
    });
  };

  return (
    <div className="space-y-3">
      {canAssign && (
        <div className="sticky top-0 z-10 space-y-2 rounded-lg border border-blue-200 bg-blue-50 p-3 text-sm" data-testid="selection-bar">
          <div className="flex flex-wrap items-center gap-3">
            <span className="font-medium" data-testid="selection-count">
              {all ? t("assign.selectedAll", { n: total.toLocaleString("zh-CN") }) : t("assign.selectedN", { n: count })}
            </span>
            {!all && total > rows.length && (
              <button type="button" className="text-blue-700 underline" onClick={() => setAll(true)} data-testid="select-all-matching">
                {t("assign.selectAll", { n: total.toLocaleString("zh-CN") })}
              </button>
            )}
            {(count > 0 || all) && (
              <button
                type="button"
                className="text-slate-600 underline"
                onClick={() => {
                  setAll(false);
                  setSelected(new Set());
                }}
              >
                {t("assign.clearSelection")}
              </button>
            )}
          </div>
          <ActionForm
            action={assignAction}
            submitLabel={t("assign.submit")}
            testId="assign-selection"
            keepOnSuccess
            confirm={team && count > 0 ? t("assign.confirm", { n: count, team: team.label }) : undefined}
          >
            <Field name="teamId" label={t("assign.team")}>
              <select name="teamId" value={teamId} onChange={(e) => setTeamId(e.target.value)} className="max-w-full rounded border border-slate-300 bg-white px-2 py-1.5 text-sm" data-testid="assign-team">
                <option value="">{t("assign.chooseTeam")}</option>
                {offered.map((x) => (
                  <option key={x.id} value={x.id}>
                    {x.label}
                  </option>
                ))}
              </select>
            </Field>
            {all ? (
              <>
                <input type="hidden" name="all" value="1" />
                {Object.entries(filter).map(([k, v]) => (
                  <input key={k} type="hidden" name={k} value={v} />
                ))}
              </>
            ) : (
              [...selected].map((id) => <input key={id} type="hidden" name="task" value={id} />)
            )}
          </ActionForm>
          {teamCommunity && offered.length === 0 && teamlessNotes[teamCommunity] && (
            <p className="text-amber-900" data-testid="assign-no-team">
              {teamlessNotes[teamCommunity]}
            </p>
          )}
          <div className="flex flex-wrap gap-3">
            {rosterCommunity && (count > 0 || all) ? (
              <>
                <a download href={`/print/community/${rosterCommunity}/roster/export?${rosterQuery}`} className="text-blue-700 underline" data-testid="roster-export">
                  {t("assign.rosterExport")}
                </a>
                <a href={`/print/community/${rosterCommunity}/roster?${rosterQuery}`} target="_blank" rel="noreferrer" className="text-blue-700 underline" data-testid="roster-print">
                  {t("assign.rosterPrint")}
                </a>
              </>
            ) : (
              (count > 0 || all) && <span className="text-slate-600">{t("assign.rosterOneCommunity")}</span>
            )}
          </div>
        </div>
      )}
      {rows.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 p-6 text-center text-slate-500">{t("tasks.none")}</p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-sm" data-testid="street-tasks">
            <thead className="bg-slate-50 text-left text-slate-600">
              <tr>
                {canAssign && (
                  <th className="px-2 py-2">
                    <label className="flex items-center gap-1 whitespace-nowrap font-normal">
                      <input type="checkbox" className="h-4 w-4" checked={pageAll || all} onChange={togglePage} data-testid="select-page" aria-label={t("assign.selectPage")} />
                      <span className="hidden sm:inline">{t("assign.selectPage")}</span>
                    </label>
                  </th>
                )}
                <th className="px-2 py-2">{t("assign.col.name")}</th>
                <th className="px-2 py-2">{t("assign.col.id")}</th>
                <th className="px-2 py-2">{t("assign.col.community")}</th>
                <th className="px-2 py-2">{t("assign.col.address")}</th>
                <th className="px-2 py-2">{t("assign.col.category")}</th>
                <th className="px-2 py-2">{t("assign.col.state")}</th>
                <th className="px-2 py-2">{t("assign.col.team")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} className="border-t border-slate-100" data-testid="task-row" data-task-id={r.id}>
                  {canAssign && (
                    <td className="px-2 py-1.5">
                      <input type="checkbox" className="h-5 w-5" checked={all || selected.has(r.id)} onChange={() => toggle(r.id)} aria-label={`${t("assign.col.select")} ${r.name}`} data-testid="task-check" />
                    </td>
                  )}
                  <td className="whitespace-nowrap px-2 py-1.5">
                    <Link href={`/survey/${r.id}`} className="text-blue-700 hover:underline" data-testid="task-name">
                      {r.name}
                    </Link>
                    {r.newlyFound && <span className="ml-1 rounded bg-purple-50 px-1 text-xs text-purple-700">{t("survey.newPerson")}</span>}
                  </td>
                  <td className="whitespace-nowrap px-2 py-1.5 font-mono text-xs">
                    {r.registryHref ? (
                      <Link href={r.registryHref} className="text-blue-700 hover:underline" title={t("assign.col.registry")}>
                        {r.idMasked}
                      </Link>
                    ) : (
                      r.idMasked
                    )}
                  </td>
                  <td className="whitespace-nowrap px-2 py-1.5">{r.communityName}</td>
                  <td className="min-w-40 px-2 py-1.5 text-slate-600">{r.address}</td>
                  <td className="whitespace-nowrap px-2 py-1.5">{r.category}</td>
                  <td className="whitespace-nowrap px-2 py-1.5" data-testid="task-state">
                    {r.state}
                  </td>
                  <td className="whitespace-nowrap px-2 py-1.5" data-testid="task-team">
                    {r.teamName}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
