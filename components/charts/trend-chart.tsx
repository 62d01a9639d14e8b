"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

// Trend of the headline rates across comparison runs and month-end snapshots (lib/stats/trend.ts).
// Each point is a rate (percent, one decimal; absent when the denominator is zero); a click on a
// point opens the person list of the rate's numerator in the run the point comes from.

export interface TrendDatum {
  key: string;
  label: string;
  /** rate code → percent (null: zero denominator) */
  values: Record<string, number | null>;
  /** rate code → the numerator's person list */
  hrefs: Record<string, string | null>;
}

export function TrendChart({
  runs,
  months,
  series,
  target,
  labels,
}: {
  runs: TrendDatum[];
  months: TrendDatum[];
  series: { key: string; label: string; color: string }[];
  target: number;
  labels: { byRun: string; byMonth: string; none: string; target: string };
}) {
  const router = useRouter();
  const [by, setBy] = useState<"run" | "month">("run");
  const data = (by === "run" ? runs : months).map((d) => ({ label: d.label, hrefs: d.hrefs, ...Object.fromEntries(series.map((s) => [s.key, d.values[s.key] ?? undefined])) }));
  return (
    <div>
      <div className="mb-2 flex items-center gap-2 text-xs text-slate-600">
        <button type="button" onClick={() => setBy("run")} className={`rounded px-2 py-0.5 ${by === "run" ? "bg-blue-700 text-white" : "bg-slate-100"}`} data-testid="trend-by-run">
          {labels.byRun}
        </button>
        <button type="button" onClick={() => setBy("month")} className={`rounded px-2 py-0.5 ${by === "month" ? "bg-blue-700 text-white" : "bg-slate-100"}`} data-testid="trend-by-month">
          {labels.byMonth}
        </button>
      </div>
      {data.length === 0 ? (
        <p className="py-8 text-center text-sm text-slate-500" data-testid="trend-empty">{labels.none}</p>
      ) : (
        <div className="h-64 w-full" data-testid="trend-chart">
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="label" tick={{ fontSize: 11 }} />
              <YAxis domain={[0, 100]} unit="%" tick={{ fontSize: 11 }} width={44} />
              <Tooltip formatter={(v) => `${v}%`} />
              <Legend wrapperStyle={{ fontSize: 12 }} />
              <ReferenceLine y={target} stroke="#dc2626" strokeDasharray="4 4" label={{ value: labels.target, fontSize: 11, fill: "#dc2626", position: "insideBottomRight" }} />
              {series.map((s) => (
                <Line
                  key={s.key}
                  type="monotone"
                  dataKey={s.key}
                  name={s.label}
                  stroke={s.color}
                  isAnimationActive={false}
                  connectNulls
                  dot={{ r: 4, cursor: "pointer" }}
                  activeDot={{
                    r: 6,
                    cursor: "pointer",
                    onClick: (_e: unknown, p: unknown) => {
                      const href = (p as { payload?: { hrefs?: Record<string, string | null> } }).payload?.hrefs?.[s.key];
                      if (href) router.push(href);
                    },
                  }}
                />
              ))}
            </LineChart>
          </ResponsiveContainer>
        </div>
      )}
    </div>
  );
}
