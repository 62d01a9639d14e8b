import { forbidden } from "next/navigation";
import Link from "next/link";
import { refusePage } from "@/lib/http/refuse";
import { requireUser } from "@/lib/auth/session";
import { getT } from "@/lib/i18n/server";
import { can, guarded } from "@/lib/policy";
import { submittedReports } from "@/lib/stats/analysis";
import { statsReport } from "@/lib/stats/report";
import { reportTables } from "@/lib/stats/report-tables";

export const dynamic = "force-dynamic";

// 汇总 (seed 000 七3): the districts side by side with the city's own figures (the statistics report's
// coverage and survey tables of the region, lib/stats/report-tables.ts) and which districts have
// submitted their analysis report for the month, each opening the report.
export default async function SummaryPage({ searchParams }: { searchParams: Promise<{ region?: string; month?: string }> }) {
  const user = await requireUser();
  const t = await getT();
  if (!can(user, "stats:view")) forbidden();
  const sp = await searchParams;
  const res = await guarded(
    (async () => {
      const report = await statsReport(user, sp.region, sp.month);
      return { report, submitted: await submittedReports(user, report.region.code, report.month) };
    })(),
  );
  if (!res.ok) refusePage(res.refusal);
  const { report, submitted } = res.value;
  const tables = reportTables(t, report).filter((x) => x.key === "coverage" || x.key === "survey");
  const n = submitted.filter((s) => s.submittedAt).length;
  return (
    <div className="space-y-4" data-testid="summary-page">
      <div className="flex flex-wrap items-baseline gap-3">
        <h1 className="text-2xl font-semibold">
          {report.region.name} {t("analysis.summaryTitle")}（{report.month}）
        </h1>
        <Link href={`/print/stats?region=${report.region.code}&month=${report.month}`} className="text-sm text-blue-700 underline">
          {t("report.link")}
        </Link>
      </div>
      <section className="rounded-lg border border-slate-200 bg-white p-3">
        <h2 className="mb-1 text-sm font-medium text-slate-600">
          {t("analysis.districts")} · <span data-testid="summary-count">{t("analysis.submittedCount", { n, total: submitted.length })}</span>
        </h2>
        <table className="w-full text-sm" data-testid="summary-reports">
          <thead className="bg-slate-50 text-left text-slate-600">
            <tr>
              <th className="px-2 py-1">{t("analysis.col.district")}</th>
              <th className="px-2 py-1">{t("analysis.col.status")}</th>
              <th className="px-2 py-1" />
            </tr>
          </thead>
          <tbody>
            {submitted.map((s) => (
              <tr key={s.code} className="border-t border-slate-100" data-testid={`summary-report-${s.code}`}>
                <td className="px-2 py-1">{s.name}</td>
                <td className="px-2 py-1">{s.submittedAt ? t("analysis.submittedAt", { at: s.submittedAt.toISOString().slice(0, 16).replace("T", " "), by: s.submittedBy ?? "" }) : t("analysis.notSubmitted")}</td>
                <td className="px-2 py-1">
                  {s.submittedAt && (
                    <Link href={`/stats/analysis?region=${s.code}&month=${report.month}`} className="text-blue-700 underline" data-testid={`summary-open-${s.code}`}>
                      {t("analysis.open")}
                    </Link>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {tables.map((tb) => (
        <section key={tb.key} className="overflow-x-auto rounded-lg border border-slate-200 bg-white p-3">
          <h2 className="mb-1 text-sm font-medium text-slate-600">{tb.title}</h2>
          <table className="w-full text-sm" data-testid={`summary-table-${tb.key}`}>
            <thead className="bg-slate-50 text-left text-slate-600">
              <tr>
                {tb.header.map((h) => (
                  <th key={h} className="whitespace-nowrap px-2 py-1">{h}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {tb.rows.map((row, i) => (
                <tr key={i} className={i === tb.totalIndex ? "border-t-2 border-slate-300 bg-slate-50 font-medium" : "border-t border-slate-100"}>
                  {row.map((c, j) => (
                    <td key={j} className={`whitespace-nowrap px-2 py-1 ${j > 0 ? "text-right tabular-nums" : ""}`}>{typeof c === "number" ? c.toLocaleString("zh-CN") : c}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          {tb.note && <p className="mt-1 text-xs text-slate-500">{tb.note}</p>}
        </section>
      ))}
    </div>
  );
}
