import type { Translate, TMessageKey } from "@/lib/i18n/messages";
import { type AnalysisReport, analysisText, ratePct } from "@/lib/stats/analysis";
import { RATES } from "@/lib/stats/measures";
import { rateCell } from "@/lib/stats/report-tables";

// The body of the district analysis report (分析报告), shared by the portal page and its A4 print:
// the district's rates, its streets, the changes against the base, the generated text and the
// commentary. All numbers come from the report's data (live, or frozen when submitted).

export function AnalysisView({ t, r, print = false }: { t: Translate; r: AnalysisReport; print?: boolean }) {
  const { report, base } = r.data;
  const f = report.total.figures;
  const cell = print ? "border border-black px-1 py-0.5" : "border-t border-slate-100 px-2 py-1";
  const head = print ? "border border-black px-1 py-1 font-medium" : "bg-slate-50 px-2 py-1 text-left font-medium text-slate-600";
  const tableCls = print ? "mt-1 w-full border-collapse text-[10px]" : "w-full text-sm";
  const h2 = print ? "mt-3 text-sm font-bold" : "mt-4 mb-1 text-sm font-medium text-slate-600";
  // On screen, a figure opens its person list: the run's figures in the report's run, the survey's
  // live (a submitted report's frozen survey figures are not linked: its lists are today's).
  const list = (code: string, measure: string, shown: React.ReactNode) => {
    const survey = measure.startsWith("tasks:");
    const href = print || (survey && r.submitted) || (!survey && !report.run)
      ? null
      : `/stats/persons?${survey ? "" : `run=${report.run!.id}&`}region=${encodeURIComponent(code)}&measure=${encodeURIComponent(measure)}`;
    return href ? (
      <a href={href} className="text-blue-700 hover:underline">
        {shown}
      </a>
    ) : (
      shown
    );
  };
  return (
    <div data-testid="analysis-view">
      <p className="text-xs" data-testid="analysis-status">
        {r.submitted ? t("analysis.submittedAt", { at: r.submitted.at.toISOString().slice(0, 16).replace("T", " "), by: r.submitted.by }) : t("analysis.draft")}
        {" · "}
        {report.run ? t("report.sourceLive", { month: r.month, id: report.run.id, asOf: report.run.asOf ?? "—" }) : t("report.noRun")}
      </p>

      <h2 className={h2}>{t("analysis.text")}</h2>
      <ul className="list-disc pl-5 text-sm" data-testid="analysis-text">
        {analysisText(t, r.data).map((s) => (
          <li key={s}>{s}</li>
        ))}
      </ul>

      <h2 className={h2}>{t("analysis.changes")}</h2>
      {base ? (
        <>
          <p className="text-xs">{t("analysis.baseIs", { base: t(base.kind === "report" ? "analysis.base.report" : "analysis.base.snapshot", { month: base.month }) })}</p>
          <table className={tableCls} data-testid="analysis-changes">
            <thead>
              <tr>
                <th className={head}>{t("analysis.col.measure")}</th>
                <th className={head}>{t("analysis.col.now")}</th>
                <th className={head}>{t("analysis.col.base")}</th>
                <th className={head}>{t("analysis.col.change")}</th>
              </tr>
            </thead>
            <tbody>
              {RATES.map((rate) => {
                const now = ratePct(f, rate.num, rate.den);
                const before = ratePct(base.figures, rate.num, rate.den);
                const diff = now === null || before === null ? "—" : `${now - before >= 0 ? "+" : ""}${(Math.round((now - before) * 10) / 10).toFixed(1)}`;
                return (
                  <tr key={rate.code}>
                    <td className={cell}>{t(rate.label as TMessageKey)}</td>
                    <td className={cell}>{rateCell(f[rate.num] ?? 0, f[rate.den] ?? 0)}</td>
                    <td className={cell}>{rateCell(base.figures[rate.num] ?? 0, base.figures[rate.den] ?? 0)}</td>
                    <td className={`${cell} tabular-nums`}>{diff}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      ) : (
        <p className="text-sm">{t("analysis.noBase")}</p>
      )}

      <h2 className={h2}>{t("analysis.streets")}</h2>
      <table className={tableCls} data-testid="analysis-streets">
        <thead>
          <tr>
            <th className={head}>{t("stats.region")}</th>
            <th className={head}>{t("stats.m.persons")}</th>
            {RATES.slice(0, 3).map((rate) => (
              <th key={rate.code} className={head}>{t(rate.label as TMessageKey)}</th>
            ))}
            <th className={head}>{t("stats.m.needs_survey")}</th>
            <th className={head}>{t("report.col.completion")}</th>
          </tr>
        </thead>
        <tbody>
          {[...report.children, { ...report.total, name: t("stats.total") }].map((row, i) => (
            <tr key={`${row.code}-${i}`} className={i === report.children.length ? "font-bold" : undefined}>
              <td className={cell}>{row.name}</td>
              <td className={`${cell} tabular-nums`}>{list(row.code, "persons", row.figures.persons ?? 0)}</td>
              {RATES.slice(0, 3).map((rate) => (
                <td key={rate.code} className={`${cell} tabular-nums`}>{list(row.code, rate.num, rateCell(row.figures[rate.num] ?? 0, row.figures[rate.den] ?? 0))}</td>
              ))}
              <td className={`${cell} tabular-nums`}>{list(row.code, "needs_survey", row.figures.needs_survey ?? 0)}</td>
              <td className={`${cell} tabular-nums`}>{list(row.code, "tasks:closed", rateCell(row.survey.closed, row.survey.published))}</td>
            </tr>
          ))}
        </tbody>
      </table>

      {(print || r.submitted) && (
        <>
          <h2 className={h2}>{t("analysis.commentary")}</h2>
          <p className="whitespace-pre-wrap text-sm" data-testid="analysis-commentary-text">{r.commentary || "—"}</p>
        </>
      )}
    </div>
  );
}
