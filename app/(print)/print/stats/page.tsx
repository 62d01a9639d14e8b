import { forbidden } from "next/navigation";
import { refusePage } from "@/lib/http/refuse";
import { writeAudit } from "@/lib/audit/log";
import { requireUser } from "@/lib/auth/session";
import { getT } from "@/lib/i18n/server";
import { can, guarded } from "@/lib/policy";
import { reportMonths, statsReport } from "@/lib/stats/report";
import { reportTables } from "@/lib/stats/report-tables";

export const dynamic = "force-dynamic";

// 统计报表 on A4 landscape: the standard tables (lib/stats/report-tables.ts, the same as the XLSX) of
// a region in the user's scope (?region=, their own by default) for a month (?month=YYYY-MM: the
// current month live, a past month from its snapshot). Scoped in the query; printing is audited.
export default async function PrintStatsReportPage({ searchParams }: { searchParams: Promise<{ region?: string; month?: string }> }) {
  const user = await requireUser();
  const t = await getT();
  if (!can(user, "stats:view")) forbidden();
  const sp = await searchParams;
  const res = await guarded(statsReport(user, sp.region, sp.month));
  if (!res.ok) refusePage(res.refusal);
  const r = res.value;
  const months = await reportMonths();
  await writeAudit(user, { action: "stats.report-print", entity: "region", entityId: r.region.code, regionCode: r.region.code, detail: { month: r.month, live: r.live, runId: r.run?.id ?? null } });
  const tables = reportTables(t, r);
  const th = "border border-black px-1 py-1 font-medium";
  const td = "border border-black px-1 py-0.5";
  return (
    <>
    <form className="no-print mx-auto mt-3 flex max-w-[297mm] flex-wrap items-center gap-2 px-4 text-sm" method="get">
      <input type="hidden" name="region" value={r.region.code} />
      <label className="flex items-center gap-1">
        {t("report.month")}
        <select name="month" defaultValue={r.month} className="rounded border border-slate-300 px-2 py-1" data-testid="report-month">
          {months.map((m, i) => (
            <option key={m} value={m}>{t(i === 0 ? "report.monthLive" : "report.monthSnapshot", { month: m })}</option>
          ))}
        </select>
      </label>
      <button type="submit" className="rounded border border-slate-300 bg-white px-3 py-1">{t("report.show")}</button>
      <a href={`/api/stats/report?region=${r.region.code}&month=${r.month}`} className="text-blue-700 underline" data-testid="report-xlsx">{t("report.xlsx")}</a>
    </form>
    <article className="sheet sheet-landscape" data-testid="print-stats-report">
      <h1 className="text-center text-lg font-bold">
        {r.region.name} {t("report.title")}（{r.month}）
      </h1>
      <p className="mt-1 flex flex-wrap justify-between gap-2 text-xs">
        <span data-testid="report-source">
          {r.run ? t(r.live ? "report.sourceLive" : "report.sourceSnapshot", { month: r.month, id: r.run.id, asOf: r.run.asOf ?? "—" }) : t("report.noRun")}
        </span>
        <span>{t("report.printedAt", { at: new Date().toISOString().slice(0, 16).replace("T", " "), user: user.login })}</span>
      </p>
      <p className="text-xs">{t("report.rateNote")}</p>
      {tables.map((tb) => (
        <section key={tb.key} className="mt-3 break-inside-avoid" data-testid={`report-table-${tb.key}`}>
          <h2 className="text-sm font-bold">{tb.title}</h2>
          {tb.rows.length > 0 && (
            <table className="mt-1 w-full border-collapse text-[9px] leading-snug">
              <thead>
                <tr>
                  {tb.header.map((h) => (
                    <th key={h} className={th}>{h}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {tb.rows.map((row, i) => (
                  <tr key={i} className={i === tb.totalIndex ? "font-bold" : undefined} data-testid={i === tb.totalIndex ? `report-${tb.key}-total` : `report-${tb.key}-row`}>
                    {row.map((c, j) => (
                      <td key={j} className={`${td} ${typeof c === "number" || j > 0 ? "text-right tabular-nums" : ""}`}>
                        {typeof c === "number" ? c.toLocaleString("zh-CN") : c}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {tb.note && <p className="mt-0.5 text-[9px]">{tb.note}</p>}
        </section>
      ))}
    </article>
    </>
  );
}
