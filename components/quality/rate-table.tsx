import type { Translate } from "@/lib/i18n/messages";
import type { PassRate } from "@/lib/quality/spot-checks";

/** Spot-check pass rates per region (checked, passed, rate). */
export function RateTable({ t, title, rows, testId }: { t: Translate; title: string; rows: PassRate[]; testId: string }) {
  return (
    <section className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <h2 className="px-3 pt-3 font-medium">{title}</h2>
      <table className="w-full text-sm" data-testid={testId}>
        <thead className="text-left text-slate-600">
          <tr>
            <th className="px-3 py-2">{t("quality.col.region")}</th>
            <th className="px-3 py-2 text-right">{t("quality.col.checked")}</th>
            <th className="px-3 py-2 text-right">{t("quality.col.passed")}</th>
            <th className="px-3 py-2 text-right">{t("quality.col.rate")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr>
              <td colSpan={4} className="px-3 py-3 text-slate-500">{t("quality.none")}</td>
            </tr>
          )}
          {rows.map((r) => (
            <tr key={r.regionCode} className="border-t border-slate-100">
              <td className="px-3 py-1.5 tabular-nums">{r.regionCode}</td>
              <td className="px-3 py-1.5 text-right tabular-nums">{r.checked}</td>
              <td className="px-3 py-1.5 text-right tabular-nums">{r.passed}</td>
              <td className="px-3 py-1.5 text-right tabular-nums">{r.checked ? `${((100 * r.passed) / r.checked).toFixed(1)}%` : "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
