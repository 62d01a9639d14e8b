import Link from "next/link";
import type { Translate } from "@/lib/i18n/messages";
import { PROGRESS_COLUMNS, type ProgressLine, type TProgressColumn } from "@/lib/regions/progress";

// The survey progress of a region's sub-regions: one row per sub-region (its name opens its own
// progress), one column per step (未下发 and 待分配 apart), the total and the completion in per cent,
// and a totals row. Every count opens its tasks: /regions/<code>/tasks?state=<column>.

const fmt = (n: number) => n.toLocaleString("zh-CN");
export const percent = (v: number | null) => (v === null ? "—" : `${v.toFixed(1)}%`);

function CountCell({ code, column, n }: { code: string; column?: TProgressColumn; n: number }) {
  const href = `/regions/${code}/tasks${column ? `?state=${column}` : ""}`;
  return (
    <td className="px-2 py-2 text-right tabular-nums">
      {n === 0 ? (
        <span className="text-slate-400">0</span>
      ) : (
        <Link href={href} className="text-blue-700 hover:underline" data-testid={`count-${code}-${column ?? "TOTAL"}`}>
          {fmt(n)}
        </Link>
      )}
    </td>
  );
}

export function ProgressTable({ t, rows, totals, childLinks }: { t: Translate; rows: ProgressLine[]; totals: ProgressLine; childLinks: boolean }) {
  const th = "px-2 py-2 text-right font-normal whitespace-nowrap";
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="w-full text-sm" data-testid="progress-table">
        <thead className="bg-slate-50 text-slate-600">
          <tr>
            <th className="sticky left-0 bg-slate-50 px-3 py-2 text-left font-normal">{t("progress.region")}</th>
            {PROGRESS_COLUMNS.map((c) => (
              <th key={c} className={th} data-column={c}>
                {t(`progress.col.${c}`)}
              </th>
            ))}
            <th className={th}>{t("progress.total")}</th>
            <th className={th}>{t("progress.completion")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.code} className="border-t border-slate-100" data-testid={`progress-${r.code}`}>
              <td className="sticky left-0 whitespace-nowrap bg-white px-3 py-2">
                {childLinks ? (
                  <Link href={`/regions/${r.code}`} className="text-blue-700 hover:underline">
                    {r.name}
                  </Link>
                ) : (
                  r.name
                )}
              </td>
              {PROGRESS_COLUMNS.map((c) => (
                <CountCell key={c} code={r.code} column={c} n={r.counts[c]} />
              ))}
              <CountCell code={r.code} n={r.total} />
              <td className="px-2 py-2 text-right tabular-nums" data-testid={`completion-${r.code}`}>
                {percent(r.completion)}
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr className="border-t-2 border-slate-300 bg-slate-50 font-medium" data-testid="progress-totals">
            <td className="sticky left-0 bg-slate-50 px-3 py-2">{t("progress.totalsRow")}</td>
            {PROGRESS_COLUMNS.map((c) => (
              <CountCell key={c} code={totals.code} column={c} n={totals.counts[c]} />
            ))}
            <CountCell code={totals.code} n={totals.total} />
            <td className="px-2 py-2 text-right tabular-nums" data-testid={`completion-${totals.code}`}>
              {percent(totals.completion)}
            </td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
