"use client";

import { useRouter } from "next/navigation";
import { Bar, BarChart, CartesianGrid, LabelList, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

// Reasons for not being insured from approved forms (horizontal bars, most frequent first); a click
// on a bar opens the person list of that reason (`href`, built by the page).

export function ReasonsChart({ data, unit }: { data: { label: string; persons: number; href: string | null }[]; unit: string }) {
  const router = useRouter();
  return (
    <div className="w-full" style={{ height: Math.max(120, 36 * data.length + 40) }} data-testid="reasons-chart">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} layout="vertical" margin={{ top: 4, right: 40, bottom: 4, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" allowDecimals={false} tick={{ fontSize: 11 }} />
          <YAxis type="category" dataKey="label" width={112} tick={{ fontSize: 11 }} />
          <Tooltip formatter={(v) => [v, unit]} />
          <Bar dataKey="persons" name={unit} fill="#dc2626" cursor="pointer" onClick={(d: { payload?: { href?: string | null } }) => d.payload?.href && router.push(d.payload.href)}>
            <LabelList dataKey="persons" position="right" style={{ fontSize: 11 }} />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
