import { forbidden, notFound } from "next/navigation";
import { schemeLabel } from "@/lib/registry/labels";
import Link from "next/link";
import { AutoRefresh } from "@/components/comparison/auto-refresh";
import { Stat } from "@/components/ui/stat";
import { requireUser } from "@/lib/auth/session";
import { cleanFilter, diffCounts, getRun, listResults, regionCounts, type ResultFilter } from "@/lib/comparison/queries";
import { CATEGORIES, FLAGS, SCHEMES } from "@/lib/comparison/run";
import type { TMessageKey } from "@/lib/i18n/messages";
import { getT } from "@/lib/i18n/server";
import { personRef } from "@/lib/ids/person-ref";
import { type Actor, NotFoundError, roleHas } from "@/lib/policy";
import { parseId, parsePage } from "@/lib/http/params";

// One comparison run: counts by category for the actor's region (or a region drilled into) and its
// sub-regions, the diff against the previous run, and the persons behind every number.

type Search = { region?: string; category?: string; flag?: string; scheme?: string; change?: string; page?: string };

function query(f: ResultFilter & { page?: number }): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v !== undefined && v !== "") p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : "";
}

export default async function ComparisonRunPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Search> }) {
  const user = await requireUser();
  const t = await getT();
  if (!roleHas(user.role, "comparison:view")) forbidden();
  const id = parseId((await params).id) ?? 0;
  const sp = await searchParams;
  const filter = cleanFilter(sp);
  const page = parsePage(sp.page);
  const loaded = await load(user, id, filter, page);
  if (!loaded) notFound();
  {
    const { run, data } = loaded;
    const progress = run.status === "RUNNING" ? run.progress : undefined;
    const header = (
      <div className="space-y-1">
        <h1 className="text-2xl font-semibold">{t("comparison.run", { id })}</h1>
        <p className="text-sm text-slate-600">
          {t("comparison.asOf")} {run.asOf} · {t("comparison.basis")} {t(`comparison.basis.${run.basis}` as TMessageKey)} · {t(`comparison.status.${run.status}` as TMessageKey)}
          {run.durationMs != null && ` · ${t("comparison.seconds", { s: (run.durationMs / 1000).toFixed(1) })}`}
        </p>
        <Link href="/comparisons" className="text-sm text-blue-700 hover:underline">{t("comparison.runs")}</Link>
      </div>
    );
    if (run.status !== "DONE") {
      return (
        <div className="space-y-4">
          {run.status === "RUNNING" && <AutoRefresh />}
          {header}
          {run.status === "RUNNING" && (
            <p className="text-sm" aria-live="polite" data-testid="comparison-progress">
              {t("comparison.waiting")} {progress && t("comparison.progress", { step: progress.done, total: progress.total })}
            </p>
          )}
          {run.status === "FAILED" && <p className="text-sm text-red-700">{run.error === "interrupted" ? t("comparison.interrupted") : t("comparison.error", { error: run.error ?? "" })}</p>}
        </div>
      );
    }
    if (!data) return null;
    const { region, children, diff, list } = data;
    const cityWide = (user.regionCode ?? "").length <= 4 && !filter.region;
    const childSum = children.reduce((a, c) => a + c.total, 0);
    return (
      <div className="space-y-6">
        {header}
        <section className="space-y-2">
          <h2 className="font-medium">
            {t("comparison.byCategory")} — {region.name}
          </h2>
          <div className="grid grid-cols-2 gap-3 sm:grid-cols-4 lg:grid-cols-8">
            <Stat label={t("comparison.total")} value={region.total} testId="comparison-total" />
            {CATEGORIES.map((c) => (
              <Link key={c} href={`${query({ ...filter, category: c })}#list`}>
                <Stat label={t(`comparison.category.${c}` as TMessageKey)} value={region.byCategory[c] ?? 0} testId={`comparison-count-${c}`} />
              </Link>
            ))}
          </div>
          {cityWide && run.counts?.tasks && <p className="text-sm text-slate-600">{t("comparison.tasks", run.counts.tasks)}</p>}
          {cityWide && region.total > childSum && children.length > 0 && <p className="text-xs text-slate-500">{t("comparison.cityOnly")}: {region.total - childSum}</p>}
        </section>

        {children.length > 0 && (
          <section className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <h2 className="px-3 pt-3 font-medium">{t("comparison.byRegion")}</h2>
            <table className="w-full text-sm" data-testid="comparison-regions">
              <thead className="bg-slate-50 text-left text-slate-600">
                <tr>
                  <th className="px-3 py-2">{t("comparison.region")}</th>
                  <th className="px-3 py-2 text-right">{t("comparison.total")}</th>
                  {CATEGORIES.map((c) => (
                    <th key={c} className="px-3 py-2 text-right">{t(`comparison.category.${c}` as TMessageKey)}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {children.map((c) => (
                  <tr key={c.code} className="border-t border-slate-100">
                    <td className="px-3 py-1.5">
                      {c.level === "COMMUNITY" ? c.name : <Link href={query({ region: c.code })} className="text-blue-700 hover:underline">{c.name}</Link>}
                      <span className="ml-1 text-xs text-slate-400">{c.code}</span>
                    </td>
                    <td className="px-3 py-1.5 text-right tabular-nums">
                      <Link href={`${query({ region: c.code })}#list`} className="hover:underline">{c.total}</Link>
                    </td>
                    {CATEGORIES.map((cat) => (
                      <td key={cat} className="px-3 py-1.5 text-right tabular-nums">
                        <Link href={`${query({ region: c.code, category: cat })}#list`} className="hover:underline">{c.byCategory[cat] ?? 0}</Link>
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        )}

        <section className="space-y-2">
          <h2 className="font-medium">{t("comparison.diff")}</h2>
          {Object.keys(diff).length === 0 ? (
            <p className="text-sm text-slate-500">{t("comparison.diff.none")}</p>
          ) : (
            <div className="flex flex-wrap gap-4 text-sm" data-testid="comparison-diff">
              {(["NEW", "CHANGED", "GONE"] as const).map((k) => (
                <Link key={k} href={`${query({ change: k })}#list`} className="text-blue-700 hover:underline">
                  {t(`comparison.diff.${k}`)}: {diff[k] ?? 0}
                </Link>
              ))}
            </div>
          )}
        </section>

        <section id="list" className="space-y-3">
          <h2 className="font-medium">{t("comparison.list")}</h2>
          <form method="get" className="flex flex-wrap items-end gap-2 text-sm">
            {filter.region && <input type="hidden" name="region" value={filter.region} />}
            {filter.change && <input type="hidden" name="change" value={filter.change} />}
            <label className="flex flex-col">
              <span className="text-slate-600">{t("comparison.filter.category")}</span>
              <select name="category" defaultValue={filter.category ?? ""} className="rounded border border-slate-300 px-2 py-1.5">
                <option value="">{t("comparison.filter.any")}</option>
                {CATEGORIES.map((c) => (
                  <option key={c} value={c}>{t(`comparison.category.${c}` as TMessageKey)}</option>
                ))}
              </select>
            </label>
            <label className="flex flex-col">
              <span className="text-slate-600">{t("comparison.filter.flag")}</span>
              <select name="flag" defaultValue={filter.flag ?? ""} className="rounded border border-slate-300 px-2 py-1.5">
                <option value="">{t("comparison.filter.any")}</option>
                {FLAGS.map((f) => (
                  <option key={f} value={f}>{t(`comparison.flag.${f}` as TMessageKey)}</option>
                ))}
              </select>
            </label>
            <label className="flex flex-col">
              <span className="text-slate-600">{t("comparison.filter.scheme")}</span>
              <select name="scheme" defaultValue={filter.scheme ?? ""} className="rounded border border-slate-300 px-2 py-1.5">
                <option value="">{t("comparison.filter.any")}</option>
                {SCHEMES.map((s) => (
                  <option key={s} value={s}>{t(`comparison.scheme.${s}` as TMessageKey)}</option>
                ))}
              </select>
            </label>
            <button type="submit" className="rounded bg-blue-700 px-3 py-1.5 text-white hover:bg-blue-800">{t("comparison.filter.apply")}</button>
            {roleHas(user.role, "export:run") && (
              <>
                <a href={`/comparisons/${id}/export${query({ ...filter, format: "csv" } as ResultFilter)}`} className="rounded border border-slate-300 px-3 py-1.5 hover:bg-slate-50">{t("comparison.export.csv")}</a>
                <a href={`/comparisons/${id}/export${query({ ...filter, format: "xlsx" } as ResultFilter)}`} className="rounded border border-slate-300 px-3 py-1.5 hover:bg-slate-50">{t("comparison.export.xlsx")}</a>
              </>
            )}
          </form>
          {roleHas(user.role, "export:run") && (
            // A full-ID export states its reason (it goes into the audit row with the filters).
            <form method="get" action={`/comparisons/${id}/export`} className="flex flex-wrap items-end gap-2 text-sm" data-testid="unmasked-export">
              {Object.entries(filter).map(([k, v]) => (v ? <input key={k} type="hidden" name={k} value={String(v)} /> : null))}
              <input type="hidden" name="unmasked" value="1" />
              <select name="format" aria-label={t("comparison.export.csv")} className="rounded border border-slate-300 px-2 py-1.5">
                <option value="csv">CSV</option>
                <option value="xlsx">XLSX</option>
              </select>
              <label className="flex min-w-0 flex-1 flex-col">
                <span className="text-slate-600">{t("export.reason")}</span>
                <input name="reason" required minLength={2} maxLength={200} className="rounded border border-slate-300 px-2 py-1.5" />
              </label>
              <button type="submit" className="rounded border border-amber-400 px-3 py-1.5 text-amber-900 hover:bg-amber-50">{t("export.unmasked")}</button>
            </form>
          )}
          <p className="text-sm text-slate-600">
            {t("comparison.shown", { n: list.total, from: list.total === 0 ? 0 : page * 50 + 1, to: page * 50 + list.rows.length })}
          </p>
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="w-full text-sm" data-testid="comparison-persons">
              <thead className="bg-slate-50 text-left text-slate-600">
                <tr>
                  <th className="px-3 py-2">{t("comparison.col.idNumber")}</th>
                  <th className="px-3 py-2">{t("comparison.col.name")}</th>
                  <th className="px-3 py-2">{t("comparison.col.category")}</th>
                  <th className="px-3 py-2">{t("comparison.col.flags")}</th>
                  <th className="px-3 py-2">{t("comparison.col.missing")}</th>
                  <th className="px-3 py-2">{t("comparison.col.region")}</th>
                  <th className="px-3 py-2">{t("comparison.col.phone")}</th>
                </tr>
              </thead>
              <tbody>
                {list.rows.map((r) => (
                  <tr key={r.maskedId + r.name} className="border-t border-slate-100">
                    <td className="px-3 py-1.5 font-mono">
                      {roleHas(user.role, "person:view") ? <Link href={`/registry/${personRef(r.idNumber)}`} className="text-blue-700 hover:underline">{r.maskedId}</Link> : r.maskedId}
                    </td>
                    <td className="px-3 py-1.5">{r.name}</td>
                    <td className="px-3 py-1.5">{t(`comparison.category.${r.category}` as TMessageKey)}</td>
                    <td className="px-3 py-1.5 text-xs">{r.flags.map((f) => t(`comparison.flag.${f}` as TMessageKey)).join("、")}</td>
                    <td className="px-3 py-1.5">{r.missingSchemes.map((s) => schemeLabel(t, s)).join("、")}</td>
                    <td className="px-3 py-1.5 text-slate-500">{r.regionName ?? r.regionCode ?? ""}</td>
                    <td className="px-3 py-1.5 tabular-nums">{r.phone}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="flex gap-3 text-sm">
            {page > 0 && <Link href={`${query({ ...filter, page: page - 1 })}#list`} className="text-blue-700 underline">{t("common.prev")}</Link>}
            {(page + 1) * 50 < list.total && <Link href={`${query({ ...filter, page: page + 1 })}#list`} className="text-blue-700 underline">{t("common.next")}</Link>}
          </div>
        </section>
      </div>
    );
  }
}

/** The run and, when it is done, its numbers and list page; null when not found or out of scope. */
async function load(user: Actor, id: number, filter: ResultFilter, page: number) {
  try {
    if (id <= 0) throw new NotFoundError("comparison run");
    const run = await getRun(user, id);
    if (run.status !== "DONE") return { run, data: null };
    const { region, children } = await regionCounts(user, id, filter.region);
    const diff = await diffCounts(user, id);
    const list = await listResults(user, id, filter, page);
    return { run, data: { region, children, diff, list } };
  } catch (e) {
    if (e instanceof NotFoundError) return null;
    throw e;
  }
}
