import { forbidden } from "next/navigation";
import Link from "next/link";
import { refusePage } from "@/lib/http/refuse";
import { requireUser } from "@/lib/auth/session";
import { prisma } from "@/lib/db/client";
import type { TMessageKey } from "@/lib/i18n/messages";
import { getT } from "@/lib/i18n/server";
import { guarded, roleHas } from "@/lib/policy";
import { NO_REGION } from "@/lib/stats/measures";
import { PAGE_SIZE, personList } from "@/lib/stats/persons";

// 人员明细: the persons behind one figure of the dashboard (lib/stats/persons.ts), paged, searchable by
// name and part of the ID number, masked, scoped; exported (CSV/XLSX) with exactly these rows.

export const dynamic = "force-dynamic";

type Params = { run?: string; region?: string; measure?: string; q?: string; page?: string };

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
  const res = await guarded(personList(user, { run, region, measure, q, page }));
  if (!res.ok) refusePage(res.refusal);
  const list = res.value;
  const regionName = region === NO_REGION ? t("stats.elsewhereRow") : ((await prisma().region.findUnique({ where: { code: region }, select: { name: true } }))?.name ?? region);
  const names = new Map(
    (await prisma().region.findMany({ where: { code: { in: [...new Set(list.rows.map((r) => r.regionCode).filter((c): c is string => !!c))] } }, select: { code: true, name: true } })).map((r) => [r.code, r.name]),
  );
  const pages = Math.max(1, Math.ceil(list.total / PAGE_SIZE));
  const query = (extra: Record<string, string | number>) => {
    const p = new URLSearchParams({ run: String(list.runId), region, measure, ...(q ? { q } : {}) });
    for (const [k, v] of Object.entries(extra)) p.set(k, String(v));
    return p.toString();
  };
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
      <p className="text-sm text-slate-600">{t("stats.sourceShort", { id: list.runId, asOf: list.asOf })}</p>
      <form method="get" className="flex flex-wrap items-end gap-2" role="search">
        <input type="hidden" name="run" value={list.runId} />
        <input type="hidden" name="region" value={region} />
        <input type="hidden" name="measure" value={measure} />
        <label className="flex min-w-0 flex-1 flex-col text-sm sm:max-w-md">
          <span className="text-slate-600">{t("stats.persons.search")}</span>
          <input name="q" defaultValue={q} maxLength={40} className="rounded border border-slate-300 px-2 py-1.5" data-testid="persons-search" />
        </label>
        <button type="submit" className="rounded bg-blue-700 px-3 py-1.5 text-sm text-white hover:bg-blue-800">
          {t("stats.persons.searchSubmit")}
        </button>
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
      </form>
      <p className="text-sm text-slate-700">
        <span data-testid="persons-total">{t("stats.persons.count", { n: list.total.toLocaleString("zh-CN") })}</span> · {t("stats.persons.page", { page: list.page, pages })}
      </p>
      {list.rows.length === 0 ? (
        <p className="text-sm text-slate-600">{t("stats.persons.empty")}</p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-sm" data-testid="persons-table">
            <thead className="bg-slate-50 text-left text-slate-600">
              <tr>
                <th className="px-3 py-2">{t("stats.persons.name")}</th>
                <th className="px-3 py-2">{t("stats.persons.id")}</th>
                <th className="px-3 py-2">{t("stats.persons.category")}</th>
                <th className="px-3 py-2">{t("stats.persons.missing")}</th>
                <th className="px-3 py-2">{t("stats.persons.regionCol")}</th>
              </tr>
            </thead>
            <tbody>
              {list.rows.map((r) => (
                <tr key={r.idNumber} className="border-t border-slate-100">
                  <td className="whitespace-nowrap px-3 py-2">
                    <Link href={`/registry/${r.idNumber}`} className="text-blue-700 hover:underline">
                      {r.name || "—"}
                    </Link>
                  </td>
                  <td className="whitespace-nowrap px-3 py-2 font-mono">{r.maskedId}</td>
                  <td className="whitespace-nowrap px-3 py-2">{t(`comparison.category.${r.category}` as TMessageKey)}</td>
                  <td className="px-3 py-2">{r.missingSchemes.map((s) => t(`registry.scheme.${s}` as TMessageKey)).join("、")}</td>
                  <td className="whitespace-nowrap px-3 py-2">{r.regionCode ? (names.get(r.regionCode) ?? r.regionCode) : t("stats.elsewhereRow")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav className="flex gap-3 text-sm">
        {list.page > 1 && (
          <Link href={`/stats/persons?${query({ page: list.page - 1 })}`} className="text-blue-700 underline">
            {t("common.prev")}
          </Link>
        )}
        {list.page < pages && (
          <Link href={`/stats/persons?${query({ page: list.page + 1 })}`} className="text-blue-700 underline" data-testid="persons-next">
            {t("common.next")}
          </Link>
        )}
      </nav>
    </div>
  );
}
