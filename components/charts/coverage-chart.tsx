"use client";

import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { Bar, BarChart, CartesianGrid, Legend, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

// Coverage per child region (bars, sortable): one bar per rate and region; a click on a bar opens
// the person list of the rate's numerator (`listBase` + region and measure) in that region. Rates with a zero denominator are not drawn.

export interface CoverageDatum {
  code: string;
  name: string;
  rates: Record<string, number | null>;
}

export function CoverageChart({
  data,
  series,
  target,
  labels,
  listBase,
}: {
  data: CoverageDatum[];
  series: { key: string; label: string; color: string; measure: string }[];
  listBase: string;
  target: number;
  labels: { sort: string; byCode: string; byRate: string; target: string };
}) {
  const router = useRouter();
  const [sort, setSort] = useState<"code" | "rate">("code");
  const rows = useMemo(() => {
    const r = data.map((d) => ({ code: d.code, name: d.name, ...Object.fromEntries(series.map((s) => [s.key, d.rates[s.key] === null ? undefined : Math.round(d.rates[s.key]! * 1000) / 10])) }));
    if (sort === "rate") r.sort((a, b) => ((b as Record<string, unknown>).pension as number ?? -1) - ((a as Record<string, unknown>).pension as number ?? -1));
    return r;
  }, [data, series, sort]);
  return (
    <div>
      <div className="mb-2 flex items-center gap-2 text-xs text-slate-600">
        <span>{labels.sort}</span>
        <button type="button" onClick={() => setSort("code")} className={`rounded px-2 py-0.5 ${sort === "code" ? "bg-blue-700 text-white" : "bg-slate-100"}`} data-testid="sort-code">
          {labels.byCode}
        </button>
        <button type="button" onClick={() => setSort("rate")} className={`rounded px-2 py-0.5 ${sort === "rate" ? "bg-blue-700 text-white" : "bg-slate-100"}`} data-testid="sort-rate">
          {labels.byRate}
        </button>
      </div>
      <div className="h-72 w-full" data-testid="coverage-chart">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="name" tick={{ fontSize: 11 }} interval={0} />
            <YAxis domain={[0, 100]} unit="%" tick={{ fontSize: 11 }} width={44} />
            <Tooltip formatter={(v) => `${v}%`} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            <ReferenceLine y={target} stroke="#dc2626" strokeDasharray="4 4" label={{ value: labels.target, fontSize: 11, fill: "#dc2626", position: "insideTopRight" }} />
            {series.map((s) => (
              <Bar key={s.key} dataKey={s.key} name={s.label} fill={s.color} cursor="pointer" onClick={(d: { payload?: { code?: string } }) => d.payload?.code && router.push(`${listBase}&region=${d.payload.code}&measure=${encodeURIComponent(s.measure)}`)} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
    </div>
  );
}
