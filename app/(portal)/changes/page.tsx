import { forbidden } from "next/navigation";
import Link from "next/link";
import { ChangeFilters } from "@/components/changes/change-filters";
import { ChangeList, type ChangeCardData } from "@/components/changes/change-list";
import { ExportLinks } from "@/components/lists/export-links";
import { Pager } from "@/components/ui/pager";
import { requireUser } from "@/lib/auth/session";
import { refusePage } from "@/lib/http/refuse";
import { CHANGE_PAGE_SIZE, type ChangeRow, changeFilterOf, changeQuery, decidableStates, listChanges } from "@/lib/changes/list";
import { canSeeChanges } from "@/lib/changes/queries";
import { getT } from "@/lib/i18n/server";
import { regionsInScope } from "@/lib/regions/queries";
import { ID_PART_MAX, ID_PART_MIN } from "@/lib/lists/search";
import { pageParam, type Search, single, withQuery } from "@/lib/lists/url";
import { can, guarded } from "@/lib/policy";


export const dynamic = "force-dynamic";

function card(r: ChangeRow): ChangeCardData {
  return { ...r, person: { label: `${r.name ?? ""} ${r.maskedId}${r.regionName ? ` · ${r.regionName}` : ""}`, href: `/registry/${r.ref}` } };
}

// 变更登记: the region's change requests — by default, for an approver, those waiting for their
// decision — filtered by state, kind, region and date, searched by part of a name or ID number,
// 20 a page with page numbers, exported with the same rows.
export default async function ChangesPage({ searchParams }: { searchParams: Promise<Search> }) {
  const user = await requireUser();
  const t = await getT();
  if (!canSeeChanges(user)) forbidden();
  const sp = single(await searchParams);
  const approver = decidableStates(user).length > 0;
  const filter = changeFilterOf(sp, approver);
  const page = pageParam(sp.page);
  const [result, regions] = await Promise.all([guarded(listChanges(user, filter, page), { page: "/changes", region: filter.region }), regionsInScope(user, "person:view")]);
  if (!result.ok) refusePage(result.refusal);
  const { rows, total } = result.value;
  const kept = changeQuery(sp, filter);
  const tab = (mine: boolean, label: string) => (
    <Link
      href={withQuery("/changes", { view: mine ? "mine" : "all" })}
      aria-current={filter.mine === mine ? "page" : undefined}
      className={`rounded px-3 py-1.5 text-sm ${filter.mine === mine ? "bg-blue-700 text-white" : "border border-slate-300 bg-white text-slate-700 hover:bg-slate-50"}`}
      data-testid={mine ? "changes-tab-mine" : "changes-tab-all"}
    >
      {label}
    </Link>
  );
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">{t("change.title")}</h1>
      {approver && (
        <nav className="flex gap-2" aria-label={t("change.title")}>
          {tab(true, t("change.pending"))}
          {tab(false, t("lists.changes.all"))}
        </nav>
      )}
      <ChangeFilters
        filter={filter}
        view={filter.mine ? "mine" : "all"}
        regions={regions}
        rootCode={user.regionCode}
        maskedSearch={sp.s ? rows[0]?.maskedId : undefined}
        t={t}
      />
      {sp.bad === "1" && (
        <p className="text-sm text-red-700" role="alert">
          {t("lists.registry.badIdPart", { min: ID_PART_MIN, max: ID_PART_MAX })}
        </p>
      )}
      <div className="flex flex-wrap items-center justify-between gap-2">
        <Pager page={page} pageSize={CHANGE_PAGE_SIZE} total={total} href={(p) => withQuery("/changes", { ...kept, page: p })} t={t} testId="changes-pager" />
        {can(user, "export:run") && <ExportLinks href={(format) => withQuery("/changes/export", { ...kept, format })} t={t} testId="changes-export" />}
      </div>
      <ChangeList t={t} rows={rows.map(card)} testId={filter.mine ? "changes-pending" : "changes-recent"} />
    </div>
  );
}
