import { RegionTreePicker, type TreeRegion } from "@/components/lists/region-tree-picker";
import { CHANGE_KINDS, CHANGE_STATES, type ChangeFilter } from "@/lib/changes/list";
import type { Translate } from "@/lib/i18n/messages";
import { listSearchAction } from "@/lib/lists/actions";
import { levelLabels } from "@/lib/lists/labels";
import { ApplyButton, DateRangeFields } from "@/components/lists/filter-fields";

// The filter form of /changes. Posted (lib/lists/actions.ts), so that a full ID number typed in the
// search box never lands in the URL; the other filters come back as URL parameters.
export function ChangeFilters({ filter, view, regions, rootCode, maskedSearch, t }: { filter: ChangeFilter; view: "mine" | "all"; regions: TreeRegion[]; rootCode: string | null; maskedSearch?: string; t: Translate }) {
  const input = "rounded border border-slate-300 px-2 py-1.5 text-sm";
  const label = "flex flex-col text-sm";
  return (
    <form action={listSearchAction} className="flex flex-wrap items-end gap-2" role="search" data-testid="changes-filter">
      <input type="hidden" name="path" value="/changes" />
      <input type="hidden" name="view" value={view} />
      <label className={`${label} min-w-0 flex-1 basis-48 sm:max-w-xs`}>
        <span className="text-slate-600">{t("lists.registry.search")}</span>
        <input name="q" defaultValue={maskedSearch ?? filter.q ?? ""} maxLength={40} autoComplete="off" placeholder={t("lists.registry.searchPlaceholder")} className={input} data-testid="changes-search" />
      </label>
      <label className={label}>
        <span className="text-slate-600">{t("change.state")}</span>
        <select name="state" defaultValue={filter.state ?? ""} className={input} data-testid="changes-state">
          <option value="">{t("lists.any")}</option>
          {CHANGE_STATES.map((s) => (
            <option key={s} value={s}>
              {t(`change.state.${s}`)}
            </option>
          ))}
        </select>
      </label>
      <label className={label}>
        <span className="text-slate-600">{t("lists.changes.kind")}</span>
        <select name="kind" defaultValue={filter.kind ?? ""} className={input} data-testid="changes-kind">
          <option value="">{t("lists.any")}</option>
          {CHANGE_KINDS.map((k) => (
            <option key={k} value={k}>
              {k === "sensitive" ? t("change.sensitive") : t("change.basic")}
            </option>
          ))}
        </select>
      </label>
      <div className={`${label} min-w-0`}>
        <span className="text-slate-600">{t("registry.region")}</span>
        <RegionTreePicker regions={regions} name="region" defaultValue={filter.region ?? rootCode} rootCode={rootCode} anyLabel={t("lists.any")} levelLabels={levelLabels(t)} testId="changes-region" />
      </div>
      <DateRangeFields fromLabel={t("lists.from")} toLabel={t("lists.to")} from={filter.from} to={filter.to} labelClassName={label} />
      <ApplyButton label={t("lists.apply")} testId="changes-submit" />
    </form>
  );
}
