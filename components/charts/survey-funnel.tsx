"use client";

import { useRouter } from "next/navigation";
import { Bar, BarChart, CartesianGrid, Cell, Funnel, FunnelChart, LabelList, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

// Survey progress (issue 12): a funnel of the published tasks by the stage they have reached
// (lib/stats/survey.ts FUNNEL), and each child region's completion rate and return rate as bars
// (definitions in lib/stats/survey.ts: completion = closed by district approval or as unreachable /
// published; return = ever returned / ever submitted). A click on a stage opens the list of its
// tasks; a click on a rate bar, the list of the rate's numerator in that region. Rates with a zero
// denominator are not drawn.

const STAGE_COLORS = ["#1d4ed8", "#2563eb", "#3b82f6", "#60a5fa", "#16a34a"];

export function SurveyFunnel({ stages, tasksLabel }: { stages: { label: string; value: number; href: string | null }[]; tasksLabel: string }) {
  const router = useRouter();
  const data = stages.map((s, i) => ({ ...s, name: s.label, fill: STAGE_COLORS[i % STAGE_COLORS.length] }));
  return (
    <div className="h-64 w-full" data-testid="survey-funnel">
      <ResponsiveContainer width="100%" height="100%">
        <FunnelChart margin={{ top: 4, right: 130, bottom: 4, left: 4 }}>
          <Tooltip formatter={(v) => [v, tasksLabel]} />
          <Funnel dataKey="value" data={data} isAnimationActive={false} lastShapeType="rectangle" cursor="pointer" onClick={(d: { payload?: { href?: string | null }; href?: string | null }) => {
            const href = d.payload?.href ?? d.href;
            if (href) router.push(href);
          }}>
            {data.map((d) => (
              <Cell key={d.label} fill={d.fill} />
            ))}
            <LabelList position="right" fill="#334155" stroke="none" dataKey="name" style={{ fontSize: 11 }} />
            <LabelList position="center" fill="#fff" stroke="none" dataKey="value" style={{ fontSize: 12 }} />
          </Funnel>
        </FunnelChart>
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
