import type pg from "pg";
import { NO_REGION, RATES } from "./measures";

// Trend of the headline rates (issue 12): the rates of a region across the comparison runs (their
// stored aggregates, stats_measure) and across the months (the month-end snapshots, stats_snapshot),
// the last TREND_POINTS of each (runs that wrote statistics; months that have a snapshot). Both read
// by their keys (an index range each), never scanning the aggregates of every run or month. Each point keeps the numerator and denominator of every rate (rates
// are never stored, statistics.md §2) and the run it comes from, so that a point opens the person
// list of that run. A region's sum follows figures.ts: the city counts the '-' rows too.

type Queryable = Pick<pg.Pool, "query"> | Pick<pg.ClientBase, "query">;

export const TREND_POINTS = 12;

export interface TrendPoint {
  /** "#<run id> <as-of>" for runs, "YYYY-MM" for months. */
  key: string;
  runId: number | null;
  asOf: string | null;
  figures: Record<string, number>;
}

const MEASURES_OF_RATES = [...new Set(RATES.flatMap((r) => [r.num, r.den]))];

function regionCondition(prefix: string): string {
  return prefix.length === 4 ? "true" : `s.region_code <> '${NO_REGION}' AND starts_with(s.region_code, $2)`;
}

/** The rates' measures of `prefix` for each of the last runs with statistics (oldest first). */
export async function runTrend(db: Queryable, prefix: string): Promise<TrendPoint[]> {
  const { rows } = await db.query<{ run_id: number; as_of: string; measure: string; value: number }>(
    `SELECT s.run_id, to_char(r.as_of, 'YYYY-MM-DD') AS as_of, s.measure, sum(s.value)::int AS value
       FROM stats_measure s
       JOIN comparison_run r ON r.id = s.run_id
      WHERE s.run_id IN (SELECT id FROM comparison_run WHERE status = 'DONE' ORDER BY id DESC LIMIT ${TREND_POINTS})
        AND s.measure = ANY ($1) AND ${regionCondition(prefix)}
      GROUP BY 1, 2, 3`,
    prefix.length === 4 ? [MEASURES_OF_RATES] : [MEASURES_OF_RATES, prefix],
  );
  return collect(rows.map((r) => ({ key: `#${r.run_id}`, runId: r.run_id, asOf: r.as_of, measure: r.measure, value: r.value }))).sort((a, b) => a.runId! - b.runId!);
}

/** The same for each month-end snapshot of the last TREND_POINTS months (China time; oldest first). */
export async function monthTrend(db: Queryable, prefix: string): Promise<TrendPoint[]> {
  const { rows } = await db.query<{ month: string; run_id: number | null; measure: string; value: number }>(
    `SELECT s.month, max(s.run_id) AS run_id, s.measure, sum(s.value)::int AS value
       FROM stats_snapshot s
      WHERE s.month IN (SELECT to_char((now() AT TIME ZONE 'Asia/Shanghai') - make_interval(months => k), 'YYYY-MM') FROM generate_series(0, ${TREND_POINTS - 1}) AS k)
        AND s.measure = ANY ($1) AND ${regionCondition(prefix)}
      GROUP BY 1, 3`,
    prefix.length === 4 ? [MEASURES_OF_RATES] : [MEASURES_OF_RATES, prefix],
  );
  return collect(rows.map((r) => ({ key: r.month, runId: r.run_id, asOf: null, measure: r.measure, value: r.value }))).sort((a, b) => (a.key < b.key ? -1 : 1));
}

function collect(rows: { key: string; runId: number | null; asOf: string | null; measure: string; value: number }[]): TrendPoint[] {
  const out = new Map<string, TrendPoint>();
  for (const r of rows) {
    let p = out.get(r.key);
    if (!p) out.set(r.key, (p = { key: r.key, runId: r.runId, asOf: r.asOf, figures: Object.fromEntries(MEASURES_OF_RATES.map((m) => [m, 0])) }));
    p.figures[r.measure] = r.value;
  }
  return [...out.values()];
}
