import { forbidden } from "next/navigation";
import Link from "next/link";
import { CategoryChart } from "@/components/charts/category-chart";
import { CoverageChart } from "@/components/charts/coverage-chart";
import { refusePage } from "@/lib/http/refuse";
import { requireUser } from "@/lib/auth/session";
import { CATEGORIES } from "@/lib/comparison/codes";
import type { TMessageKey } from "@/lib/i18n/messages";
import { getT } from "@/lib/i18n/server";
import { guarded, roleHas } from "@/lib/policy";
import { type Dashboard, dashboard, type DashboardRow } from "@/lib/stats/dashboard";
import { belowTarget, formatRate } from "@/lib/stats/format";
import { ensureLastMonthSnapshot } from "@/lib/stats/snapshot";
import { NO_REGION, RATES } from "@/lib/stats/measures";
import { TASK_STATES } from "@/lib/stats/survey";

// 统计分析: the dashboard of a region in the user's scope (their own by default; ?region= a region
// below it). Figures of the latest comparison run (which run and its as-of date are shown) and live
// survey figures; every number opens its person list (/stats/persons). Rates always with numerator
// and denominator; "—" when the denominator is zero; the pension rate marked below the city's target.

export const dynamic = "force-dynamic";

function pct(num: number, den: number): string | null {
  return den === 0 ? null : formatRate(num, den);
}

export default async function StatsPage({ searchParams }: { searchParams: Promise<{ region?: string }> }) {
  const user = await requireUser();
  const t = await getT();
  if (!roleHas(user.role, "stats:view")) forbidden();
  await ensureLastMonthSnapshot(); // the first dashboard of a new month keeps the month before
  const res = await guarded(dashboard(user, (await searchParams).region));
  if (!res.ok) refusePage(res.refusal);
  const d = res.value;
  const canList = roleHas(user.role, "person:view");
  const listBase = d.run ? `/stats/persons?run=${d.run.id}` : "";
  const href = (code: string, measure: string) => `${listBase}&region=${encodeURIComponent(code)}&measure=${encodeURIComponent(measure)}`;
  const num = (row: DashboardRow, measure: string, testId?: string) => {
    const v = row.figures[measure] ?? 0;
    const text = v.toLocaleString("zh-CN");
    return d.run && canList ? (
      <Link href={href(row.code, measure)} className="text-blue-700 tabular-nums hover:underline" data-testid={testId}>
        {text}
      </Link>
    ) : (
      <span className="tabular-nums" data-testid={testId}>{text}</span>
    );
  };
  const rateCell = (row: DashboardRow, rate: (typeof RATES)[number], testId?: string) => {
    const n = row.figures[rate.num] ?? 0;
    const den = row.figures[rate.den] ?? 0;
    const p = pct(n, den);
    const below = "target" in rate && belowTarget(n, den, d.pensionTarget);
    return (
      <span className={below ? "font-semibold text-red-700" : undefined} data-testid={testId} title={below ? t("stats.belowTarget", { target: d.pensionTarget }) : undefined}>
        <span className="tabular-nums">{p ?? "—"}</span>
        {below && <span aria-label={t("stats.belowTarget", { target: d.pensionTarget })}> ▼</span>}
        <span className="ml-1 text-xs text-slate-500">
          ({num(row, rate.num)}/{num(row, rate.den)})
        </span>
      </span>
    );
  };
  const rows: DashboardRow[] = [...d.children, ...(d.elsewhereRow ? [{ ...d.elsewhereRow, name: t("stats.elsewhereRow") }] : [])];
  const regionLink = (row: DashboardRow) =>
    row.code === NO_REGION ? <span>{row.name}</span> : <Link href={`/stats?region=${row.code}`} className="text-blue-700 hover:underline">{row.name}</Link>;

  return (
    <div className="space-y-6" data-testid="stats-page">
      <div className="flex flex-wrap items-baseline gap-3">
        <h1 className="text-2xl font-semibold">
          {t("stats.title")} · <span data-testid="stats-region-name">{d.region.name}</span>
        </h1>
        <span className="rounded bg-blue-50 px-2 py-0.5 text-sm text-blue-800">{t(`level.${d.region.level}` as TMessageKey)}</span>
        {d.region.parentCode && d.region.code !== user.regionCode && (
          <Link href={`/stats?region=${d.region.parentCode}`} className="text-sm text-blue-700 underline">
            {t("stats.up")}
          </Link>
        )}
        <Link href={`/print/stats?region=${d.region.code}`} className="text-sm text-blue-700 underline" data-testid="stats-report-link">
          {t("report.link")}
        </Link>
        {d.region.level === "DISTRICT" && (
          <Link href={`/stats/analysis?region=${d.region.code}`} className="text-sm text-blue-700 underline" data-testid="stats-analysis-link">
            {t("analysis.link")}
          </Link>
        )}
        <Link href={`/stats/summary?region=${d.region.code}`} className="text-sm text-blue-700 underline" data-testid="stats-summary-link">
          {t("analysis.summaryLink")}
        </Link>
      </div>
      <p className="text-sm text-slate-600" data-testid="stats-source">
        {d.run ? t("stats.source", { id: d.run.id, asOf: d.run.asOf, finished: d.run.finishedAt ? d.run.finishedAt.toISOString().slice(0, 16).replace("T", " ") : "—" }) : t("stats.noRun")}
        {" · "}
        {t("stats.live")} · {t("stats.target", { target: d.pensionTarget })}
      </p>

      {d.run && <Headline d={d} rateCell={rateCell} num={num} t={t} />}

      {d.run && rows.length > 0 && (
        <>
          <section>
            <h2 className="mb-2 text-sm font-medium text-slate-600">{t("stats.rates")}</h2>
            <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
              <table className="w-full text-sm" data-testid="stats-rates">
                <thead className="bg-slate-50 text-left text-slate-600">
                  <tr>
                    <th className="px-3 py-2">{t("stats.region")}</th>
                    {RATES.map((r) => (
                      <th key={r.code} className="whitespace-nowrap px-3 py-2">{t(r.label as TMessageKey)}</th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {rows.map((row) => (
                    <tr key={row.code} className="border-t border-slate-100" data-testid={`rates-${row.code}`}>
                      <td className="whitespace-nowrap px-3 py-2">{regionLink(row)}</td>
                      {RATES.map((r) => (
                        <td key={r.code} className="whitespace-nowrap px-3 py-2">{rateCell(row, r)}</td>
                      ))}
                    </tr>
                  ))}
                  <tr className="border-t-2 border-slate-300 bg-slate-50 font-medium" data-testid="rates-total">
                    <td className="px-3 py-2">{t("stats.total")}</td>
                    {RATES.map((r) => (
                      <td key={r.code} className="whitespace-nowrap px-3 py-2">{rateCell(d.total, r)}</td>
                    ))}
                  </tr>
                </tbody>
              </table>
            </div>
          </section>

          <section>
            <h2 className="mb-2 text-sm font-medium text-slate-600">{t("stats.categories")} · {t("stats.others")}</h2>
            <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
              <table className="w-full text-sm" data-testid="stats-counts">
                <thead className="bg-slate-50 text-left text-slate-600">
                  <tr>
                    <th className="px-3 py-2">{t("stats.region")}</th>
                    <th className="whitespace-nowrap px-3 py-2 text-right">{t("stats.m.persons")}</th>
                    {CATEGORIES.map((c) => (
                      <th key={c} className="whitespace-nowrap px-3 py-2 text-right">{t(`comparison.category.${c}` as TMessageKey)}</th>
                    ))}
                    {["needs_survey", "elsewhere_in_province", "elsewhere_out_of_province"].map((m) => (
                      <th key={m} className="whitespace-nowrap px-3 py-2 text-right">{t(`stats.m.${m}` as TMessageKey)}</th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {[...rows, { ...d.total, name: t("stats.total") }].map((row, i) => (
                    <tr key={`${row.code}-${i}`} className={i === rows.length ? "border-t-2 border-slate-300 bg-slate-50 font-medium" : "border-t border-slate-100"} data-testid={i === rows.length ? "counts-total" : `counts-${row.code}`}>
                      <td className="whitespace-nowrap px-3 py-2">{i === rows.length ? row.name : regionLink(row)}</td>
                      {["persons", ...CATEGORIES.map((c) => `category:${c}`), "needs_survey", "elsewhere_in_province", "elsewhere_out_of_province"].map((m) => (
                        <td key={m} className="px-3 py-2 text-right">{num(row, m, `n-${row.code}-${m}`)}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>

          {d.children.length > 0 && (
            <div className="grid gap-6 lg:grid-cols-2">
              <section className="rounded-lg border border-slate-200 bg-white p-3">
                <h2 className="mb-2 text-sm font-medium text-slate-600">{t("stats.chart.coverage")}</h2>
                <CoverageChart
                  data={d.children.map((c) => ({
                    code: c.code,
                    name: c.name,
                    rates: Object.fromEntries(RATES.slice(0, 3).map((r) => [r.code, (c.figures[r.den] ?? 0) === 0 ? null : (c.figures[r.num] ?? 0) / c.figures[r.den]])),
                  }))}
                  series={[
                    { key: "registration", label: t("stats.r.registration"), color: "#2563eb", measure: "registered" },
                    { key: "pension", label: t("stats.r.pension"), color: "#16a34a", measure: "pension_active" },
                    { key: "medical", label: t("stats.r.medical"), color: "#f59e0b", measure: "medical_active" },
                  ]}
                  target={d.pensionTarget}
                  listBase={listBase}
                  labels={{ sort: t("stats.chart.sort"), byCode: t("stats.chart.sortCode"), byRate: t("stats.chart.sortRate"), target: t("stats.target", { target: d.pensionTarget }) }}
                />
              </section>
              <section className="rounded-lg border border-slate-200 bg-white p-3">
                <h2 className="mb-2 text-sm font-medium text-slate-600">{t("stats.chart.categories")}</h2>
                <CategoryChart
                  data={d.children.map((c) => ({ code: c.code, name: c.name, counts: Object.fromEntries(CATEGORIES.map((k) => [k, c.figures[`category:${k}`] ?? 0])) }))}
                  categories={CATEGORIES.map((k) => ({ key: k, label: t(`comparison.category.${k}` as TMessageKey) }))}
                  listBase={listBase}
                />
              </section>
            </div>
          )}
        </>
      )}

      <SurveySection d={d} t={t} />
    </div>
  );
}

function Headline({
  d,
  rateCell,
  num,
  t,
}: {
  d: Dashboard;
  rateCell: (row: DashboardRow, rate: (typeof RATES)[number], testId?: string) => React.ReactNode;
  num: (row: DashboardRow, measure: string, testId?: string) => React.ReactNode;
  t: (k: TMessageKey, p?: Record<string, string | number>) => string;
}) {
  return (
    <section className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-3" data-testid="stats-headline">
      {RATES.map((r) => (
        <div key={r.code} className="rounded-lg border border-slate-200 bg-white p-4">
          <div className="text-sm text-slate-500">{t(r.label as TMessageKey)}</div>
          <div className="mt-1 text-xl font-semibold">{rateCell(d.total, r, `rate-${r.code}`)}</div>
        </div>
      ))}
      <div className="rounded-lg border border-slate-200 bg-white p-4">
        <div className="text-sm text-slate-500">{t("stats.m.needs_survey")}</div>
        <div className="mt-1 text-xl font-semibold">{num(d.total, "needs_survey", "headline-needs-survey")}</div>
      </div>
      <div className="rounded-lg border border-slate-200 bg-white p-4">
        <div className="text-sm text-slate-500">{t("stats.m.elsewhere_in_province")} / {t("stats.m.elsewhere_out_of_province")}</div>
        <div className="mt-1 text-xl font-semibold">
          {num(d.total, "elsewhere_in_province")} / {num(d.total, "elsewhere_out_of_province")}
        </div>
      </div>
    </section>
  );
}

function SurveySection({ d, t }: { d: Dashboard; t: (k: TMessageKey, p?: Record<string, string | number>) => string }) {
  const rows = [...d.children, { ...d.total, name: t("stats.total") }];
  const states = TASK_STATES;
  return (
    <section className="space-y-3">
      <h2 className="text-sm font-medium text-slate-600">
        {t("stats.survey")} <span className="ml-2 rounded bg-green-50 px-1.5 py-0.5 text-xs text-green-800">{t("stats.live")}</span>
      </h2>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-sm" data-testid="stats-survey">
          <thead className="bg-slate-50 text-left text-slate-600">
            <tr>
              <th className="px-3 py-2">{t("stats.region")}</th>
              {states.map((s) => (
                <th key={s} className="whitespace-nowrap px-3 py-2 text-right">{t(`task.state.${s}` as TMessageKey)}</th>
              ))}
              <th className="whitespace-nowrap px-3 py-2 text-right">{t("stats.completion")}</th>
              <th className="whitespace-nowrap px-3 py-2 text-right">{t("stats.returnRate")}</th>
              <th className="whitespace-nowrap px-3 py-2 text-right">{t("stats.newlyFound")}</th>
              <th className="whitespace-nowrap px-3 py-2 text-right">{t("stats.failedVisits")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => (
              <tr key={`${row.code}-${i}`} className={i === rows.length - 1 ? "border-t-2 border-slate-300 bg-slate-50 font-medium" : "border-t border-slate-100"}>
                <td className="whitespace-nowrap px-3 py-2">{row.name}</td>
                {states.map((s) => (
                  <td key={s} className="px-3 py-2 text-right tabular-nums">{(row.survey.byState[s] ?? 0).toLocaleString("zh-CN")}</td>
                ))}
                <td className="whitespace-nowrap px-3 py-2 text-right tabular-nums">
                  {pct(row.survey.closed, row.survey.published) ?? "—"} <span className="text-xs text-slate-500">({row.survey.closed}/{row.survey.published})</span>
                </td>
                <td className="whitespace-nowrap px-3 py-2 text-right tabular-nums">
                  {pct(row.survey.returned, row.survey.submitted) ?? "—"} <span className="text-xs text-slate-500">({row.survey.returned}/{row.survey.submitted})</span>
                </td>
                <td className="px-3 py-2 text-right tabular-nums">{row.survey.newlyFound}</td>
                <td className="px-3 py-2 text-right tabular-nums">{row.survey.failedVisits}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="rounded-lg border border-slate-200 bg-white p-3">
        <h3 className="mb-2 text-sm font-medium text-slate-600">{t("stats.reasons")}</h3>
        {d.reasons.length === 0 ? (
          <p className="text-sm text-slate-500">{t("stats.noReasons")}</p>
        ) : (
          <ul className="grid gap-1 text-sm sm:grid-cols-2" data-testid="stats-reasons">
            {d.reasons.map((r) => (
              <li key={r.reason} className="flex justify-between gap-2 border-b border-slate-100 py-1">
                <span>{t(`survey.reason.${r.reason}` as TMessageKey)}</span>
                <span className="tabular-nums">{r.persons}</span>
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
