"use client";

import { useRouter } from "next/navigation";
import { Bar, BarChart, CartesianGrid, Cell, LabelList, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

// Survey progress (issue 12): a funnel of the published tasks by the stage they have reached
// (lib/stats/survey.ts FUNNEL), and each child region's completion rate and return rate as bars
// (definitions in lib/stats/survey.ts: completion = closed by district approval or as unreachable /
// published; return = ever returned / ever submitted). A click on a stage opens the list of its
// tasks; a click on a rate bar, the list of the rate's numerator in that region. Rates with a zero
// denominator are not drawn.

const STAGE_COLORS = ["#1d4ed8", "#2563eb", "#3b82f6", "#60a5fa", "#16a34a"];

/**
 * The funnel drawn as centred horizontal bars, one per stage in workflow order, each as wide as its
 * count (a funnel whose stages stay readable when a later stage is empty, as early in a survey).
 */
export function SurveyFunnel({ stages, tasksLabel }: { stages: { label: string; value: number; href: string | null }[]; tasksLabel: string }) {
  const router = useRouter();
  const max = Math.max(1, ...stages.map((s) => s.value));
  // a transparent spacer before each bar centres it
  const data = stages.map((s) => ({ ...s, spacer: (max - s.value) / 2 }));
  return (
    <div className="w-full" style={{ height: 44 * stages.length + 16 }} data-testid="survey-funnel">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} layout="vertical" margin={{ top: 4, right: 40, bottom: 4, left: 8 }} barCategoryGap={4}>
          <XAxis type="number" hide domain={[0, max]} />
          <YAxis type="category" dataKey="label" width={104} tick={{ fontSize: 11 }} />
          <Tooltip formatter={(v, name) => (name === "spacer" ? [null, null] : [v, tasksLabel])} cursor={false} />
          <Bar dataKey="spacer" stackId="f" fill="transparent" isAnimationActive={false} legendType="none" />
          <Bar dataKey="value" name={tasksLabel} stackId="f" isAnimationActive={false} cursor="pointer" onClick={(d: { payload?: { href?: string | null } }) => d.payload?.href && router.push(d.payload.href)}>
            {data.map((d, i) => (
              <Cell key={d.label} fill={STAGE_COLORS[i % STAGE_COLORS.length]} />
            ))}
            <LabelList dataKey="value" position="right" fill="#0f172a" style={{ fontSize: 11 }} />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

export interface CompletionDatum {
  code: string;
  name: string;
  completion: number | null;
  returnRate: number | null;
  completionHref: string | null;
  returnHref: string | null;
}

export function CompletionChart({ data, labels }: { data: CompletionDatum[]; labels: { completion: string; returnRate: string } }) {
  const router = useRouter();
  const rows = data.map((d) => ({
    ...d,
    completion: d.completion === null ? undefined : Math.round(d.completion * 1000) / 10,
    returnRate: d.returnRate === null ? undefined : Math.round(d.returnRate * 1000) / 10,
  }));
  return (
    <div className="h-64 w-full" data-testid="completion-chart">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="name" tick={{ fontSize: 11 }} interval={0} />
          <YAxis domain={[0, 100]} unit="%" tick={{ fontSize: 11 }} width={44} />
          <Tooltip formatter={(v) => `${v}%`} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar dataKey="completion" name={labels.completion} fill="#16a34a" cursor="pointer" onClick={(d: { payload?: CompletionDatum }) => d.payload?.completionHref && router.push(d.payload.completionHref)} />
          <Bar dataKey="returnRate" name={labels.returnRate} fill="#f97316" cursor="pointer" onClick={(d: { payload?: CompletionDatum }) => d.payload?.returnHref && router.push(d.payload.returnHref)} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
