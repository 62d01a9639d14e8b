import type pg from "pg";
import { MEASURE_CODES, NO_REGION } from "./measures";

// The figures of statistics.md §2 per region, read from the aggregates a comparison run wrote
// (stats_measure: one row per community and measure, and the '-' rows). A street, district or the
// city is the sum of its communities by code prefix; the city also counts the '-' rows (§1: persons
// without a known community count in the city total only). Nothing here counts person rows.

export type Figures = Record<string, number>;

type Queryable = Pick<pg.Pool, "query"> | Pick<pg.ClientBase, "query">;

export interface StatsRun {
  id: number;
  asOf: string;
  basis: string;
  finishedAt: Date | null;
  cityCode: string;
}

/** A run with statistics: "latest" (the last run that wrote them) or an id. Null when there is none. */
export async function statsRun(db: Queryable, run: "latest" | number): Promise<StatsRun | null> {
  const { rows } = await db.query<StatsRun>(
    `SELECT r.id, to_char(r.as_of, 'YYYY-MM-DD') AS "asOf", r.basis::text AS basis, r.finished_at AS "finishedAt", r.city_code AS "cityCode"
       FROM comparison_run r
      WHERE r.status = 'DONE'
        AND r.id = ${run === "latest" ? "(SELECT max(run_id) FROM stats_measure)" : "$1"}
        AND EXISTS (SELECT 1 FROM stats_measure s WHERE s.run_id = r.id)`,
    run === "latest" ? [] : [run],
  );
  return rows[0] ?? null;
}

export function emptyFigures(): Figures {
  return Object.fromEntries(MEASURE_CODES.map((m) => [m, 0]));
}

/**
 * The figures of every region at or below `prefix` that has persons (keyed by region code; regions
 * without persons are absent), plus `'-'` — the persons counted at city level only — when `prefix`
 * is the city. Each community row is added to its own code and to its street, district and city.
 */
export async function figuresUnder(db: Queryable, runId: number, prefix: string, only?: { childLength: number | null }): Promise<Map<string, Figures>> {
  return sumUnder(db, "stats_measure", "run_id", runId, prefix, only);
}

/**
 * The same sums over a month-end snapshot (stats_snapshot, lib/stats/snapshot.ts): the measures the
 * then latest run had, plus the survey tasks per state as `tasks:<STATE>` (communities only).
 */
export async function snapshotFiguresUnder(db: Queryable, month: string, prefix: string): Promise<Map<string, Figures>> {
  return sumUnder(db, "stats_snapshot", "month", month, prefix);
}

/**
 * `only`: just `prefix` itself and its child regions (codes of `childLength`; none when null) —
 * the dashboard's rows, without summing (and sending) every region below. Without it, every level.
 */
async function sumUnder(
  db: Queryable,
  table: "stats_measure" | "stats_snapshot",
  keyColumn: "run_id" | "month",
  key: number | string,
  prefix: string,
  only?: { childLength: number | null },
): Promise<Map<string, Figures>> {
  const isCity = prefix.length === 4;
  const levels = only === undefined ? null : (only.childLength ?? 0);
  const { rows } = await db.query<{ code: string; measure: string; value: number }>(
    `SELECT a.code, s.measure, sum(s.value)::int AS value
       FROM ${table} s
       CROSS JOIN LATERAL (
         SELECT c FROM unnest(CASE WHEN s.region_code = '${NO_REGION}' THEN ARRAY['${NO_REGION}', $3]
                                   WHEN $5::int = 0 THEN ARRAY[$2::text]
                                   WHEN $5::int > 0 THEN ARRAY[$2::text, left(s.region_code, $5::int)]
                                   ELSE ARRAY[left(s.region_code, 4), left(s.region_code, 6), left(s.region_code, 9), s.region_code] END) AS c
       ) AS a(code)
      WHERE s.${keyColumn} = $1
        AND (starts_with(s.region_code, $2) OR ($4 AND s.region_code = '${NO_REGION}'))
        AND (starts_with(a.code, $2) OR a.code = '${NO_REGION}')
      GROUP BY a.code, s.measure`,
    [key, prefix, isCity ? prefix : "", isCity, levels],
  );
  const out = new Map<string, Figures>();
  for (const r of rows) {
    let f = out.get(r.code);
    if (!f) out.set(r.code, (f = emptyFigures()));
    f[r.measure] = r.value;
  }
  return out;
}
