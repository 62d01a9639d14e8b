import Link from "next/link";
import type { Translate } from "@/lib/i18n/messages";
import { pensionChange, type RankedRow, registrationChange } from "@/lib/quality/assessment";

const pct = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(1)}%` : "—");
const pp = (x: number | null) => (x === null ? "—" : `${x > 0 ? "+" : ""}${x.toFixed(1)}`);

/** The assessment ranking (portal page and printed bulletin). */
export function RankingTable({ t, rows, streetsHref }: { t: Translate; rows: RankedRow[]; streetsHref?: (code: string) => string }) {
  return (
    <>
    <table className="w-full min-w-[56rem] border-collapse text-sm print:min-w-0" data-testid="assessment-ranking">
      <thead className="text-left text-slate-600">
        <tr className="border-b border-slate-300">
          <th className="whitespace-nowrap px-2 py-1.5">{t("assessment.col.rank")}</th>
          <th className="whitespace-nowrap px-2 py-1.5">{t("assessment.col.region")}</th>
          <th className="px-2 py-1.5 text-right">{t("assessment.col.tasks")}</th>
          <th className="px-2 py-1.5 text-right">{t("assessment.col.completed")}</th>
          <th className="px-2 py-1.5 text-right">{t("assessment.col.completion")}</th>
          <th className="px-2 py-1.5 text-right">{t("assessment.col.overdue")}</th>
          <th className="px-2 py-1.5 text-right">{t("assessment.col.medianDays")}</th>
          <th className="px-2 py-1.5 text-right">{t("assessment.col.returnRate")}</th>
          <th className="px-2 py-1.5 text-right">{t("assessment.col.passRate")}</th>
          <th className="px-2 py-1.5 text-right">{t("assessment.col.registrationChange")}</th>
          <th className="px-2 py-1.5 text-right">{t("assessment.col.pensionChange")}</th>
          <th className="px-2 py-1.5 text-right">{t("assessment.col.enrolled")}</th>
          <th className="px-2 py-1.5 text-right">{t("assessment.col.conversion")}</th>
          <th className="px-2 py-1.5 text-right">{t("assessment.col.score")}</th>
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 && (
          <tr>
            <td colSpan={14} className="px-2 py-3 text-slate-500">{t("assessment.none")}</td>
          </tr>
        )}
        {rows.map((r) => (
          <tr key={r.regionCode} className="border-b border-slate-100">
            <td className="px-2 py-1.5 tabular-nums">{r.rank}</td>
            <td className="whitespace-nowrap px-2 py-1.5">
              {streetsHref ? (
                <Link href={streetsHref(r.regionCode)} className="text-blue-700 hover:underline print:text-black">{r.regionName}</Link>
              ) : (
                r.regionName
              )}
            </td>
            <td className="px-2 py-1.5 text-right tabular-nums">{r.tasks}</td>
            <td className="px-2 py-1.5 text-right tabular-nums">{r.completed}</td>
            <td className="px-2 py-1.5 text-right tabular-nums">{pct(r.completed, r.tasks)}</td>
            <td className="px-2 py-1.5 text-right tabular-nums">{r.overdue}</td>
            <td className="px-2 py-1.5 text-right tabular-nums">{r.medianDays === null ? "—" : r.medianDays.toFixed(1)}</td>
            <td className="px-2 py-1.5 text-right tabular-nums">{pct(r.returned, r.submitted)}</td>
            <td className="px-2 py-1.5 text-right tabular-nums">{pct(r.passed, r.checked)}</td>
            <td className="px-2 py-1.5 text-right tabular-nums" data-testid="registration-change">{pp(registrationChange(r))}</td>
            <td className="px-2 py-1.5 text-right tabular-nums" data-testid="pension-change">{pp(pensionChange(r))}</td>
            <td className="px-2 py-1.5 text-right tabular-nums">{r.enrolled}</td>
            <td className="px-2 py-1.5 text-right tabular-nums">{pct(r.enrolled, r.entries)}</td>
            <td className="px-2 py-1.5 text-right font-medium tabular-nums">{r.score.toFixed(1)}</td>
          </tr>
        ))}
      </tbody>
    </table>
    <p className="mt-2 px-2 text-xs text-slate-500">{t("assessment.outcomesNote")}</p>
    </>
  );
}
