import { forbidden } from "next/navigation";
import Link from "next/link";
import { MessagePage } from "@/components/ui/message-page";
import { Pager } from "@/components/ui/pager";
import { auditRead } from "@/lib/audit/log";
import { refusePage } from "@/lib/http/refuse";
import { requireUser } from "@/lib/auth/session";
import { prisma } from "@/lib/db/client";
import { personRef } from "@/lib/ids/person-ref";
import type { TMessageKey } from "@/lib/i18n/messages";
import { getT } from "@/lib/i18n/server";
import { guarded, roleHas } from "@/lib/policy";
import { schemeLabel } from "@/lib/registry/labels";
import { categoryLabelKey } from "@/lib/stats/format";
import { NO_REGION } from "@/lib/stats/measures";
import { FILTER_VALUES, LIST_FILTERS, type ListFilter, MAX_PAGE, PAGE_SIZE, personList } from "@/lib/stats/persons";

// 人员明细: the persons behind one figure of the dashboard or a report (lib/stats/persons.ts), with the
// issue's filters as URL parameters (category, flag, missing, state, reason — selects with their
// labels), paged, searchable by the beginning of the name or part of the ID number, masked, scoped;
// exported (CSV/XLSX) with exactly these rows. Every view is audited with its filters and row count.

export const dynamic = "force-dynamic";

type Params = { run?: string; region?: string; measure?: string; q?: string; page?: string } & Partial<Record<ListFilter, string>>;

export default async function StatsPersonsPage({ searchParams }: { searchParams: Promise<Params> }) {
  const user = await requireUser();
  const t = await getT();
  if (!roleHas(user.role, "stats:view") || !roleHas(user.role, "person:view")) forbidden();
  const sp = await searchParams;
  const region = sp.region ?? user.regionCode ?? "";
  const measure = sp.measure ?? "persons";
  const q = (sp.q ?? "").trim().slice(0, 40);
  const run = sp.run && /^\d+$/.test(sp.run) ? Number(sp.run) : undefined;
  const page = sp.page && /^\d+$/.test(sp.page) ? Number(sp.page) : 1;
  const raw = Object.fromEntries(LIST_FILTERS.map((k) => [k, sp[k] || undefined])) as Partial<Record<ListFilter, string>>;
  const bad = LIST_FILTERS.find((k) => raw[k] !== undefined && !FILTER_VALUES[k].includes(raw[k]!));
  if (bad) return <MessagePage title={t("stats.persons.badFilter", { name: t(`stats.filter.${bad}` as TMessageKey) })} back={t("error.back")} />;
  const res = await guarded(personList(user, { run, region, measure, q, page, ...raw }), { region, measure });
  if (!res.ok) refusePage(res.refusal);
  const list = res.value;
  await auditRead(user, "stats.persons.list", {
    entity: "comparison_run",
    entityId: list.runId === null ? undefined : String(list.runId),
    regionCode: region === NO_REGION ? user.regionCode : region,
    filters: { run: list.runId, region, measure, q, page: list.page, ...list.filters },
    rows: list.rows.length,
  });
  const regionName = region === NO_REGION ? t("stats.elsewhereRow") : ((await prisma().region.findUnique({ where: { code: region }, select: { name: true } }))?.name ?? region);
  const names = new Map(
    (await prisma().region.findMany({ where: { code: { in: [...new Set(list.rows.map((r) => r.regionCode).filter((c): c is string => !!c))] } }, select: { code: true, name: true } })).map((r) => [r.code, r.name]),
  );
  const query = (extra: Record<string, string | number>) => {
    const p = new URLSearchParams({ ...(list.runId !== null ? { run: String(list.runId) } : {}), region, measure, ...(q ? { q } : {}), ...list.filters });
    for (const [k, v] of Object.entries(extra)) p.set(k, String(v));
    return p.toString();
  };
  const filterLabel = (k: ListFilter, v: string): string =>
    k === "category" ? t(categoryLabelKey(v)) : k === "flag" ? t(`comparison.flag.${v}` as TMessageKey) : k === "missing" ? schemeLabel(t, v) : k === "state" ? t(`task.state.${v}` as TMessageKey) : t(`survey.reason.${v}` as TMessageKey);
  const source = list.measure.survey ? t("stats.live") : t("stats.sourceShort", { id: list.runId ?? "—", asOf: list.asOf ?? "—" });
  return (
    <div className="space-y-4" data-testid="stats-persons">
      <div className="flex flex-wrap items-baseline gap-3">
        <h1 className="text-2xl font-semibold">{t("stats.persons.title")}</h1>
        <span className="text-slate-700" data-testid="persons-of">
          {t("stats.persons.of", { measure: t(list.measure.label as TMessageKey), region: regionName })}
        </span>
        <Link href={`/stats?region=${region === NO_REGION ? (user.regionCode ?? "") : region}`} className="text-sm text-blue-700 underline">
          {t("stats.persons.back")}
        </Link>
      </div>
      <p className="text-sm text-slate-600" data-testid="persons-source">{source}</p>
      <form method="get" className="grid grid-cols-1 gap-2 sm:grid-cols-2 lg:grid-cols-4" role="search" data-testid="persons-filters">
        {list.runId !== null && <input type="hidden" name="run" value={list.runId} />}
        <input type="hidden" name="region" value={region} />
        <input type="hidden" name="measure" value={measure} />
        {LIST_FILTERS.map((k) => (
          <label key={k} className="flex min-w-0 flex-col text-sm">
            <span className="text-slate-600">{t(`stats.filter.${k}` as TMessageKey)}</span>
            <select name={k} defaultValue={list.filters[k] ?? ""} className="rounded border border-slate-300 bg-white px-2 py-1.5" data-testid={`filter-${k}`}>
              <option value="">{t("stats.filter.all")}</option>
              {FILTER_VALUES[k].map((v) => (
                <option key={v} value={v}>
                  {filterLabel(k, v)}
                </option>
              ))}
            </select>
          </label>
        ))}
        <label className="flex min-w-0 flex-col text-sm">
          <span className="text-slate-600">{t("stats.persons.search")}</span>
          <input name="q" defaultValue={q} maxLength={40} className="rounded border border-slate-300 px-2 py-1.5" data-testid="persons-search" />
        </label>
        <div className="flex flex-wrap items-end gap-2 lg:col-span-2">
          <button type="submit" className="rounded bg-blue-700 px-3 py-1.5 text-sm text-white hover:bg-blue-800" data-testid="persons-submit">
            {t("stats.persons.searchSubmit")}
          </button>
          <Link href={`/stats/persons?${new URLSearchParams({ ...(list.runId !== null ? { run: String(list.runId) } : {}), region, measure }).toString()}`} className="rounded border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-50">
            {t("stats.filter.clear")}
          </Link>
          {roleHas(user.role, "export:run") && (
            <>
              <a href={`/api/stats/persons?${query({ format: "csv" })}`} className="rounded border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-50" data-testid="export-csv">
                {t("stats.persons.exportCsv")}
              </a>
              <a href={`/api/stats/persons?${query({ format: "xlsx" })}`} className="rounded border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-50" data-testid="export-xlsx">
                {t("stats.persons.exportXlsx")}
              </a>
            </>
          )}
        </div>
      </form>
      <p className="text-sm text-slate-700">
        <span data-testid="persons-total">{list.more ? t("stats.persons.countMore", { n: list.total.toLocaleString("zh-CN") }) : t("stats.persons.count", { n: list.total.toLocaleString("zh-CN") })}</span> ·{" "}
        {t("stats.persons.page", { page: list.page, pages: list.pages })}
        {list.pages >= MAX_PAGE && <span className="ml-2 text-slate-500">{t("stats.persons.pageLimit", { pages: MAX_PAGE })}</span>}
      </p>
      {list.rows.length === 0 ? (
        <p className="text-sm text-slate-600">{t("stats.persons.empty")}</p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full min-w-[720px] text-sm" data-testid="persons-table">
            <thead className="bg-slate-50 text-left text-slate-600">
              <tr>
                <th className="px-3 py-2">{t("stats.persons.name")}</th>
                <th className="px-3 py-2">{t("stats.persons.id")}</th>
                <th className="px-3 py-2">{t("stats.persons.category")}</th>
                <th className="px-3 py-2">{t("stats.persons.missing")}</th>
                <th className="px-3 py-2">{t("stats.persons.taskState")}</th>
                <th className="px-3 py-2">{t("stats.persons.regionCol")}</th>
              </tr>
            </thead>
            <tbody>
              {list.rows.map((r, i) => (
                <tr key={i} className="border-t border-slate-100">
                  <td className="whitespace-nowrap px-3 py-2">
                    <Link href={`/registry/${personRef(r.idNumber)}`} className="text-blue-700 hover:underline">
                      {r.name || "—"}
                    </Link>
                  </td>
                  <td className="whitespace-nowrap px-3 py-2 font-mono">{r.maskedId}</td>
                  <td className="whitespace-nowrap px-3 py-2">{t(categoryLabelKey(r.category))}</td>
                  <td className="whitespace-nowrap px-3 py-2">{r.missingSchemes.map((s) => schemeLabel(t, s)).join("、")}</td>
                  <td className="whitespace-nowrap px-3 py-2">{r.taskState ? t(`task.state.${r.taskState}` as TMessageKey) : "—"}</td>
                  <td className="whitespace-nowrap px-3 py-2">{r.regionCode ? (names.get(r.regionCode) ?? t("stats.persons.unknownRegion")) : t("stats.elsewhereRow")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={list.page} pageSize={PAGE_SIZE} total={Math.min(list.total, MAX_PAGE * PAGE_SIZE)} href={(p) => `/stats/persons?${query({ page: p })}`} t={t} testId="persons-pager" />
    </div>
  );
}
