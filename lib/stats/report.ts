import { pool, prisma } from "@/lib/db/client";
import { type Actor, NotFoundError, requireInScope, requirePermission } from "@/lib/policy";
import { env } from "@/lib/env";
import { dashboard, pensionTarget } from "./dashboard";
import { emptyFigures, type Figures, snapshotFiguresUnder } from "./figures";
import { NO_REGION } from "./measures";
import { emptySurvey, type SurveyFigures, TASK_STATES } from "./survey";

// 统计报表 (issue 12 "Reports"): the standard tables of a region in the user's scope and its child
// regions, for a month. The current month is the dashboard's figures (lib/stats/dashboard.ts: the
// latest run's aggregates and the live survey counters); a past month is its month-end snapshot
// (stats_snapshot, lib/stats/snapshot.ts), summed by code prefix exactly as the run's figures are
// (figures.ts). Nothing here counts person rows. A snapshot keeps the measures and the tasks per
// state; it keeps neither the submitted/returned counters nor the reasons, so a past month's return
// rate and reasons are not reported (shown as "—" / "not kept"), never recomputed from today's data.

export interface ReportRow {
  code: string;
  name: string;
  figures: Figures;
  survey: SurveyFigures;
}

export interface StatsReport {
  region: { code: string; name: string; level: string };
  /** YYYY-MM (China time). */
  month: string;
  /** True: the current month's live figures; false: a past month's snapshot. */
  live: boolean;
  run: { id: number; asOf: string | null } | null;
  children: ReportRow[];
  /** City level only: the '-' row (外地户籍在本地参保 / 未落地), without survey figures. */
  elsewhereRow: ReportRow | null;
  total: ReportRow;
  /** Reasons of the level's approved forms; null for a past month (a snapshot does not keep them). */
  reasons: { reason: string; persons: number }[] | null;
  /** False for a past month: the snapshot keeps tasks per state only. */
  returnRateKnown: boolean;
  pensionTarget: number;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export async function currentMonth(): Promise<string> {
  const { rows } = await pool().query<{ m: string }>(`SELECT to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') AS m`);
  return rows[0].m;
}

/** The months a report can be made for: the current one (live) and every month with a snapshot, newest first. */
export async function reportMonths(): Promise<string[]> {
  const now = await currentMonth();
  const { rows } = await pool().query<{ month: string }>(`SELECT DISTINCT month FROM stats_snapshot WHERE month < $1 ORDER BY month DESC`, [now]);
  return [now, ...rows.map((r) => r.month)];
}

/** Survey figures from a snapshot's `tasks:<STATE>` rows (tasks per state; the rest is not kept). */
function surveyFromSnapshot(f: Figures | undefined): SurveyFigures {
  const s = emptySurvey();
  for (const state of TASK_STATES) {
    const n = f?.[`tasks:${state}`] ?? 0;
    s.byState[state] = n;
    if (state !== "SETTLED") s.published += n;
    if (state === "DISTRICT_APPROVED" || state === "UNREACHABLE") s.closed += n;
  }
  return s;
}

function onlyMeasures(f: Figures | undefined): Figures {
  const out = emptyFigures();
  if (f) for (const k of Object.keys(out)) out[k] = f[k] ?? 0;
  return out;
}

export async function statsReport(actor: Actor, regionCode: string | undefined, month: string | undefined): Promise<StatsReport> {
  requirePermission(actor, "stats:view");
  const now = await currentMonth();
  const m = month || now;
  if (!MONTH.test(m) || m > now) throw new NotFoundError("month");
  if (m === now) {
    const d = await dashboard(actor, regionCode);
    return {
      region: { code: d.region.code, name: d.region.name, level: d.region.level },
      month: m,
      live: true,
      run: d.run ? { id: d.run.id, asOf: d.run.asOf } : null,
      children: d.children,
      elsewhereRow: d.elsewhereRow,
      total: d.total,
      reasons: d.reasons,
      returnRateKnown: true,
      pensionTarget: d.pensionTarget,
    };
  }
  const code = regionCode || actor.regionCode || "";
  if (!/^\d{4}(\d{2}(\d{3}(\d{3})?)?)?$/.test(code)) throw new NotFoundError("region");
  requireInScope(actor, "stats:view", code);
  const region = await prisma().region.findUnique({ where: { code }, select: { code: true, name: true, level: true } });
  if (!region) throw new NotFoundError("region");
  const { rows: meta } = await pool().query<{ run_id: number | null; as_of: string | null }>(
    `SELECT s.run_id, to_char(r.as_of, 'YYYY-MM-DD') AS as_of FROM stats_snapshot s LEFT JOIN comparison_run r ON r.id = s.run_id WHERE s.month = $1 LIMIT 1`,
    [m],
  );
  if (meta.length === 0) throw new NotFoundError("snapshot");
  const [children, figures, target] = await Promise.all([
    prisma().region.findMany({ where: { parentCode: code }, orderBy: { code: "asc" }, select: { code: true, name: true } }),
    snapshotFiguresUnder(pool(), m, code),
    pensionTarget(env().CITY_CODE),
  ]);
  const row = (c: string, name: string): ReportRow => ({ code: c, name, figures: onlyMeasures(figures.get(c)), survey: surveyFromSnapshot(figures.get(c)) });
  return {
    region,
    month: m,
    live: false,
    run: meta[0].run_id === null ? null : { id: meta[0].run_id, asOf: meta[0].as_of },
    children: children.map((c) => row(c.code, c.name)),
    elsewhereRow: code.length === 4 ? { ...row(NO_REGION, ""), survey: emptySurvey() } : null,
    total: row(code, region.name),
    reasons: null,
    returnRateKnown: false,
    pensionTarget: target,
  };
}
