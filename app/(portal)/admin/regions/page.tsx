import { forbidden } from "next/navigation";
import Link from "next/link";
import { ExportLinks } from "@/components/lists/export-links";
import { RegionTreePicker } from "@/components/lists/region-tree-picker";
import { Pager } from "@/components/ui/pager";
import { requireUser } from "@/lib/auth/session";
import type { TMessageKey } from "@/lib/i18n/messages";
import { getT } from "@/lib/i18n/server";
import { levelLabels } from "@/lib/lists/labels";
import { oneOf, pageParam, regionParam, type Search, single, withQuery } from "@/lib/lists/url";
import { roleHas } from "@/lib/policy";
import { listRegionsPage, REGION_LEVELS, REGION_PAGE_SIZE, type RegionFilter } from "@/lib/users/list";
import { listRegionsForAdmin } from "@/lib/users/queries";

export const dynamic = "force-dynamic";

// 区划: the region tree for administration — searched by name or code, filtered by level and by the
// region they lie in (picked from the tree), 50 a page, exported with the same rows.
export default async function AdminRegionsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requireUser();
  const t = await getT();
  if (!roleHas(user.role, "admin:regions")) forbidden();
  const sp = single(await searchParams);
  const filter: RegionFilter = { q: sp.q?.trim().slice(0, 40) || undefined, level: oneOf(REGION_LEVELS, sp.level), under: regionParam(sp.under) };
  const page = pageParam(sp.page);
  const [{ rows: regions, total }, tree] = await Promise.all([listRegionsPage(user, filter, page), listRegionsForAdmin(user)]);
  const input = "rounded border border-slate-300 px-2 py-1.5 text-sm";
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">{t("nav.regions")}</h1>
      <form method="get" className="flex flex-wrap items-end gap-2 text-sm" role="search" data-testid="regions-filter">
        <label className="flex flex-col">
          <span className="text-slate-600">{t("lists.regions.search")}</span>
          <input name="q" defaultValue={filter.q ?? ""} maxLength={40} className={input} data-testid="regions-search" />
        </label>
        <label className="flex flex-col">
          <span className="text-slate-600">{t("region.level")}</span>
          <select name="level" defaultValue={filter.level ?? ""} className={input}>
            <option value="">{t("lists.any")}</option>
            {REGION_LEVELS.map((l) => (
              <option key={l} value={l}>
                {t(`level.${l}` as TMessageKey)}
              </option>
            ))}
          </select>
        </label>
        <div className="flex min-w-0 flex-col">
          <span className="text-slate-600">{t("lists.regions.under")}</span>
          <RegionTreePicker regions={tree} name="under" defaultValue={filter.under ?? ""} rootCode={null} anyLabel={t("lists.any")} levelLabels={levelLabels(t)} testId="regions-under" />
        </div>
        <button type="submit" className="rounded bg-blue-700 px-3 py-1.5 text-white hover:bg-blue-800">
          {t("lists.apply")}
        </button>
        <Link href="/admin/regions" className="px-2 py-1.5 text-blue-700 hover:underline">
          {t("lists.clear")}
        </Link>
      </form>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <Pager page={page} pageSize={REGION_PAGE_SIZE} total={total} href={(p) => withQuery("/admin/regions", { ...filter, page: p })} t={t} testId="regions-pager" />
        <ExportLinks href={(format) => withQuery("/admin/regions/export", { ...filter, format })} t={t} testId="regions-export" />
      </div>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-sm" data-testid="regions-table">
          <thead className="bg-slate-50 text-left text-slate-600">
            <tr>
              <th className="px-3 py-2">{t("region.code")}</th>
              <th className="px-3 py-2">{t("common.name")}</th>
              <th className="px-3 py-2">{t("region.level")}</th>
              <th className="px-3 py-2">{t("lists.regions.parent")}</th>
              <th className="px-3 py-2 text-right">{t("lists.regions.children")}</th>
              <th className="px-3 py-2 text-right">{t("lists.regions.users")}</th>
            </tr>
          </thead>
          <tbody>
            {regions.length === 0 && (
              <tr>
                <td colSpan={6} className="px-3 py-4 text-slate-500">
                  {t("lists.noMatch")}
                </td>
              </tr>
            )}
            {regions.map((r) => (
              <tr key={r.code} className="border-t border-slate-100" data-testid="region-row">
                <td className="px-3 py-1.5 font-mono">{r.code}</td>
                <td className="px-3 py-1.5">{r.name}</td>
                <td className="px-3 py-1.5">{t(`level.${r.level}` as TMessageKey)}</td>
                <td className="px-3 py-1.5 text-slate-600">{r.parentName ?? "—"}</td>
                <td className="px-3 py-1.5 text-right tabular-nums">{r.children}</td>
                <td className="px-3 py-1.5 text-right tabular-nums">{r.users}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
