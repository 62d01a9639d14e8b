import { forbidden } from "next/navigation";
import Link from "next/link";
import { ExportLinks } from "@/components/lists/export-links";
import { RegionTreePicker } from "@/components/lists/region-tree-picker";
import { Pager } from "@/components/ui/pager";
import { requireUser } from "@/lib/auth/session";
import { refusePage } from "@/lib/http/refuse";
import type { TMessageKey } from "@/lib/i18n/messages";
import { getT } from "@/lib/i18n/server";
import { maskIdNumber } from "@/lib/ids/id-number";
import { idNumberOfRef } from "@/lib/ids/person-ref";
import { levelLabels } from "@/lib/lists/labels";
import { ID_PART_MAX, ID_PART_MIN } from "@/lib/lists/search";
import { oneOf, pageParam, regionParam, type Search, single, withQuery } from "@/lib/lists/url";
import { can, guarded, roleHas } from "@/lib/policy";
import { searchRegistryAction } from "@/lib/registry/actions";
import { genderLabel } from "@/lib/registry/labels";
import { listRegistry, REGISTRY_PAGE_SIZE, REGISTRY_STATUSES, type RegistryFilter } from "@/lib/registry/queries";
import { regionsInScope } from "@/lib/regions/queries";

export const dynamic = "force-dynamic";

// 登记库: the persons of the actor's scope, by status and region, searched by part of a name or of
// an ID number (or a full number: posted, then addressed by its opaque key ?s=), 20 a page with
// page numbers, exported with the same rows. Lists mask the ID number; links use the opaque key.
export default async function RegistryPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requireUser();
  const t = await getT();
  if (!roleHas(user.role, "person:view")) forbidden();
  const sp = single(await searchParams);
  const fullId = sp.s ? idNumberOfRef(sp.s) : null;
  const filter: RegistryFilter = {
    q: fullId ?? (sp.q && sp.q.length <= 40 ? sp.q : undefined),
    status: oneOf(REGISTRY_STATUSES, sp.status),
    region: regionParam(sp.region),
  };
  const page = pageParam(sp.page);
  const badSearch = sp.bad === "1" || (sp.s !== undefined && !fullId);
  const [result, regions] = await Promise.all([guarded(listRegistry(user, filter, page), { page: "/registry", region: filter.region }), regionsInScope(user, "person:view")]);
  if (!result.ok) refusePage(result.refusal);
  const { rows, total, capped, search } = result.value;
  // Never the full number in a URL: a full-number search keeps its opaque key.
  const kept = { s: fullId ? sp.s : undefined, q: fullId ? undefined : filter.q, status: filter.status, region: filter.region };
  const input = "rounded border border-slate-300 px-2 py-1.5 text-sm";
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">{t("registry.title")}</h1>
      {/* Keyed by the search: after a search the form is new, so a value typed meanwhile is never overwritten. */}
      <form key={`${kept.s ?? ""}|${kept.q ?? ""}|${sp.bad ?? ""}`} action={searchRegistryAction} className="flex flex-wrap items-end gap-2" role="search" data-testid="registry-filter">
        <label className="flex min-w-0 flex-1 basis-56 flex-col text-sm sm:max-w-sm">
          <span className="text-slate-600">{t("lists.registry.search")}</span>
          <input name="q" defaultValue={fullId ? maskIdNumber(fullId) : (filter.q ?? "")} maxLength={40} autoComplete="off" placeholder={t("lists.registry.searchPlaceholder")} className={input} data-testid="registry-search" />
        </label>
        <label className="flex flex-col text-sm">
          <span className="text-slate-600">{t("registry.status")}</span>
          <select name="status" defaultValue={filter.status ?? ""} className={input} data-testid="registry-status">
            <option value="">{t("lists.any")}</option>
            {REGISTRY_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}` as TMessageKey)}
              </option>
            ))}
          </select>
        </label>
        <div className="flex min-w-0 flex-col text-sm">
          <span className="text-slate-600">{t("registry.region")}</span>
          <RegionTreePicker regions={regions} name="region" defaultValue={filter.region ?? user.regionCode} rootCode={user.regionCode} anyLabel={t("lists.any")} levelLabels={levelLabels(t)} testId="registry-region" />
        </div>
        <button type="submit" className="rounded bg-blue-700 px-3 py-1.5 text-sm text-white hover:bg-blue-800" data-testid="registry-submit">
          {t("registry.searchSubmit")}
        </button>
        <Link href="/registry" className="px-2 py-1.5 text-sm text-blue-700 hover:underline">
          {t("lists.clear")}
        </Link>
      </form>
      <p className="text-xs text-slate-500">{t("lists.registry.hint", { min: ID_PART_MIN, max: ID_PART_MAX })}</p>
      {badSearch && (
        <p className="text-sm text-red-700" role="alert" data-testid="registry-bad-search">
          {t("lists.registry.badIdPart", { min: ID_PART_MIN, max: ID_PART_MAX })}
        </p>
      )}
      {fullId && (
        <p className="text-sm text-slate-600">
          {t("registry.searchedFor")}：<span className="font-mono">{maskIdNumber(fullId)}</span>
        </p>
      )}
      <div className="flex flex-wrap items-center justify-between gap-2">
        <Pager page={page} pageSize={REGISTRY_PAGE_SIZE} total={total} href={(p) => withQuery("/registry", { ...kept, page: p })} t={t} testId="registry-pager" atLeast={capped} />
        {can(user, "export:run") && <ExportLinks href={(format) => withQuery("/registry/export", { ...kept, format })} t={t} testId="registry-export" />}
      </div>
      {rows.length === 0 ? (
        <p className="text-sm text-slate-600" data-testid="registry-no-result">
          {search.kind === "none" ? t("common.none") : t("lists.noMatch")}
        </p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-sm" data-testid="registry-results">
            <thead className="bg-slate-50 text-left text-slate-600">
              <tr>
                <th className="px-3 py-2">{t("survey.name")}</th>
                <th className="px-3 py-2">{t("registry.idNumber")}</th>
                <th className="whitespace-nowrap px-3 py-2">{t("survey.gender")}</th>
                <th className="whitespace-nowrap px-3 py-2">{t("registry.status")}</th>
                <th className="hidden px-3 py-2 sm:table-cell">{t("registry.region")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.ref} className="border-t border-slate-100" data-testid="registry-row">
                  <td className="whitespace-nowrap px-3 py-2">
                    <Link href={`/registry/${r.ref}`} className="text-blue-700 hover:underline">
                      {r.name}
                    </Link>
                    {/* On a phone the region goes under the name instead of a column of its own. */}
                    <div className="whitespace-normal text-xs text-slate-500 sm:hidden">{r.regionName ?? ""}</div>
                  </td>
                  <td className="whitespace-nowrap px-3 py-2 font-mono">{r.maskedId}</td>
                  <td className="px-3 py-2">{genderLabel(t, r.gender)}</td>
                  <td className="whitespace-nowrap px-3 py-2">{t(`status.${r.status}` as TMessageKey)}</td>
                  <td className="hidden px-3 py-2 text-slate-600 sm:table-cell">{r.regionName ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
