"use client";

import { useRouter } from "next/navigation";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

// Persons per category and child region (stacked bars); a click on a segment opens the person list
// of that category in that region.

const COLORS = ["#94a3b8", "#f59e0b", "#a855f7", "#dc2626", "#f97316", "#eab308", "#16a34a"];

export function CategoryChart({
  data,
  categories,
  listBase,
}: {
  data: { code: string; name: string; counts: Record<string, number> }[];
  categories: { key: string; label: string }[];
  listBase: string;
}) {
  const router = useRouter();
  const rows = data.map((d) => ({ code: d.code, name: d.name, ...d.counts }));
  return (
    <div className="h-72 w-full" data-testid="category-chart">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="name" tick={{ fontSize: 11 }} interval={0} />
          <YAxis tick={{ fontSize: 11 }} width={44} />
          <Tooltip />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {categories.map((c, i) => (
            <Bar key={c.key} dataKey={c.key} name={c.label} stackId="c" fill={COLORS[i % COLORS.length]} cursor="pointer" onClick={(d: { payload?: { code?: string } }) => d.payload?.code && router.push(`${listBase}&region=${d.payload.code}&measure=${encodeURIComponent(`category:${c.key}`)}`)} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
