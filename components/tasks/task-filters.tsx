import type { Translate } from "@/lib/i18n/messages";
import { taskReasonLabel } from "@/lib/registry/labels";
import { TASK_CATEGORIES, TASK_FILTER_STATES, type TTaskFilter } from "@/lib/survey/assign";

/** The list's filters: a plain GET form, so that every filtered page has its own URL. */
export function TaskFilters({ t, filter, communities, teams }: { t: Translate; filter: TTaskFilter; communities: { code: string; name: string }[]; teams: { id: number; label: string }[] }) {
  const cls = "w-full rounded border border-slate-300 bg-white px-2 py-1.5 text-sm";
  const label = "flex min-w-0 flex-col gap-1 text-sm text-slate-700";
  return (
    <form method="get" action="/tasks" className="grid grid-cols-2 gap-2 rounded-lg border border-slate-200 bg-white p-3 sm:grid-cols-3 lg:grid-cols-7" data-testid="task-filters" aria-label={t("assign.filters")}>
      <label className={label}>
        {t("assign.filter.community")}
        <select name="community" defaultValue={filter.community ?? ""} className={cls} data-testid="filter-community">
          <option value="">{t("assign.filter.any")}</option>
          {communities.map((c) => (
            <option key={c.code} value={c.code}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      <label className={label}>
        {t("assign.filter.category")}
        <select name="category" defaultValue={filter.category ?? ""} className={cls}>
          <option value="">{t("assign.filter.any")}</option>
          {TASK_CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {taskReasonLabel(t, c, c)}
            </option>
          ))}
        </select>
      </label>
      <label className={label}>
        {t("assign.filter.state")}
        <select name="state" defaultValue={filter.state ?? ""} className={cls} data-testid="filter-state">
          <option value="">{t("assign.filter.any")}</option>
          {TASK_FILTER_STATES.map((s) => (
            <option key={s} value={s}>
              {s === "UNRELEASED" ? t("task.notReleased") : t(`task.state.${s}`)}
            </option>
          ))}
        </select>
      </label>
      <label className={label}>
        {t("assign.filter.team")}
        <select name="team" defaultValue={filter.team === undefined ? "" : String(filter.team)} className={cls}>
          <option value="">{t("assign.filter.any")}</option>
          <option value="none">{t("assign.filter.noTeam")}</option>
          {teams.map((x) => (
            <option key={x.id} value={x.id}>
              {x.label}
            </option>
          ))}
        </select>
      </label>
      <label className={label}>
        {t("assign.filter.q")}
        <input name="q" defaultValue={filter.q ?? ""} placeholder={t("assign.filter.qHint")} className={cls} data-testid="filter-q" />
      </label>
      <label className={label}>
        {t("assign.filter.addr")}
        <input name="addr" defaultValue={filter.addr ?? ""} className={cls} />
      </label>
      <div className="col-span-2 flex items-end gap-3 sm:col-span-3 lg:col-span-1">
        <button type="submit" className="rounded bg-blue-700 px-3 py-1.5 text-sm text-white hover:bg-blue-800" data-testid="filter-apply">
          {t("assign.filter.apply")}
        </button>
        <a href="/tasks" className="text-sm text-blue-700 underline">
          {t("assign.filter.clear")}
        </a>
      </div>
    </form>
  );
}
