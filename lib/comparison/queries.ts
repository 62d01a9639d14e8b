import { auditRead } from "@/lib/audit/log";
import { pool } from "@/lib/db/client";
import { env } from "@/lib/env";
import { comparisonProgress, type JobState, settleInterruptedRuns } from "@/lib/jobs/progress";
import { maskIdNumber, maskPhone } from "@/lib/ids/id-number";
import { type Actor, NotFoundError, scopePrefix } from "@/lib/policy";
import { CATEGORIES, FLAGS, SCHEMES } from "./run";

// Reads of comparison runs for the pages, every one scoped by the actor's region (lib/policy):
// a person is in scope when the community they are counted in starts with the actor's region
// code; persons without one (non-local insured, no_region) are the city's, seen by city-level
// posts only.

export interface RunRow {
  id: number;
  asOf: string;
  basis: string;
  status: string;
  startedAt: Date;
  durationMs: number | null;
  error: string | null;
  counts: { persons?: number; byCategory?: Record<string, number>; invalidRows?: number; tasks?: { created: number; kept: number; settled: number }; diff?: Record<string, number> } | null;
  /** Step progress of a RUNNING run (from the database: the same in every portal process). */
  progress?: JobState;
}

const RUN_COLUMNS = `id, to_char(as_of, 'YYYY-MM-DD') AS "asOf", basis::text, status::text, started_at AS "startedAt", duration_ms AS "durationMs", error, counts`;

/** Runs as they stand: a run whose process died shows as failed (interrupted), a running one with its step. */
async function withProgress(rows: RunRow[]): Promise<RunRow[]> {
  const progress = await comparisonProgress(rows.filter((r) => r.status === "RUNNING").map((r) => r.id));
  for (const r of rows) r.progress = progress.get(r.id);
  return rows;
}

export async function listRuns(actor: Actor): Promise<RunRow[]> {
  scopePrefix(actor, "comparison:view");
  await settleInterruptedRuns();
  const { rows } = await pool().query<RunRow>(`SELECT ${RUN_COLUMNS} FROM comparison_run ORDER BY id DESC LIMIT 100`);
  return withProgress(rows);
}

export async function getRun(actor: Actor, id: number): Promise<RunRow> {
  scopePrefix(actor, "comparison:view");
  await settleInterruptedRuns();
  const { rows } = await pool().query<RunRow>(`SELECT ${RUN_COLUMNS} FROM comparison_run WHERE id = $1`, [id]);
  if (!rows[0]) throw new NotFoundError("comparison run");
  return (await withProgress(rows))[0];
}

/** True when the actor's post covers the whole city (then persons without a region are theirs too). */
function isCityWide(prefix: string): boolean {
  return prefix.length <= env().CITY_CODE.length;
}

export interface RegionCounts {
  code: string;
  name: string;
  level: string;
  byCategory: Record<string, number>;
  total: number;
}

/**
 * Counts per category for `regionCode` (default: the actor's region) and each of its child regions,
 * from the run's dashboard counts. A region outside the actor's scope is "not found".
 */
export async function regionCounts(actor: Actor, runId: number, regionCode?: string): Promise<{ region: RegionCounts; children: RegionCounts[] }> {
  const prefix = scopePrefix(actor, "comparison:view");
  const code = regionCode && regionCode.startsWith(prefix) ? regionCode : prefix;
  if (regionCode && !regionCode.startsWith(prefix)) throw new NotFoundError("region");
  const { rows } = await pool().query<{ code: string; name: string; level: string; category: string | null; persons: number | null; is_self: boolean }>(
    `SELECT r.code, r.name, r.level::text, c.category, c.persons, r.code = $2 AS is_self
       FROM region r
       LEFT JOIN comparison_count c ON c.run_id = $1 AND c.region_code = r.code AND c.scheme = ''
      WHERE r.code = $2 OR r.parent_code = $2
      ORDER BY r.code = $2 DESC, r.code`,
    [runId, code],
  );
  const byCode = new Map<string, RegionCounts>();
  for (const r of rows) {
    const rc = byCode.get(r.code) ?? { code: r.code, name: r.name, level: r.level, byCategory: Object.fromEntries(CATEGORIES.map((c) => [c, 0])), total: 0 };
    if (r.category) {
      rc.byCategory[r.category] = r.persons ?? 0;
      rc.total += r.persons ?? 0;
    }
    byCode.set(r.code, rc);
  }
  const region = byCode.get(code) ?? { code, name: code, level: "", byCategory: Object.fromEntries(CATEGORIES.map((c) => [c, 0])), total: 0 };
  byCode.delete(code);
  return { region, children: [...byCode.values()] };
}

export interface ResultFilter {
  category?: string;
  flag?: string;
  scheme?: string;
  region?: string;
  change?: string;
}

/** Validates filter values against the rule vocabulary (anything else is ignored). */
export function cleanFilter(raw: Record<string, string | undefined>): ResultFilter {
  const f: ResultFilter = {};
  if (raw.category && (CATEGORIES as readonly string[]).includes(raw.category)) f.category = raw.category;
  if (raw.flag && (FLAGS as readonly string[]).includes(raw.flag)) f.flag = raw.flag;
  if (raw.scheme && (SCHEMES as readonly string[]).includes(raw.scheme)) f.scheme = raw.scheme;
  if (raw.region && /^\d{4,12}$/.test(raw.region)) f.region = raw.region;
  if (raw.change && ["NEW", "GONE", "CHANGED"].includes(raw.change)) f.change = raw.change;
  return f;
}

/**
 * The WHERE clause of a result list: run, the actor's scope, then the filters. Persons gone from scope
 * have no row in the run: their list is the previous run's rows of the persons the diff marks GONE
 * (filtered and scoped by what that run said of them).
 */
function resultWhere(actor: Actor, runId: number, f: ResultFilter): { sql: string; params: unknown[] } {
  const prefix = scopePrefix(actor, "comparison:view");
  const params: unknown[] = [runId];
  const where = [f.change === "GONE" ? "r.run_id = (SELECT previous_run_id FROM comparison_run WHERE id = $1)" : "r.run_id = $1"];
  if (!isCityWide(prefix)) {
    params.push(`${prefix}%`);
    where.push(`r.count_region_code LIKE $${params.length}`);
  }
  if (f.region) {
    if (!f.region.startsWith(prefix) && !prefix.startsWith(f.region)) throw new NotFoundError("region");
    params.push(`${f.region}%`);
    where.push(`r.count_region_code LIKE $${params.length}`);
  }
  if (f.category) {
    params.push(f.category);
    where.push(`r.category = $${params.length}`);
  }
  if (f.flag) {
    params.push(f.flag);
    where.push(`$${params.length} = ANY (r.flags)`);
  }
  if (f.scheme) {
    params.push(f.scheme);
    where.push(`$${params.length} = ANY (r.missing_schemes)`);
  }
  if (f.change) {
    params.push(f.change);
    where.push(`EXISTS (SELECT 1 FROM comparison_diff d WHERE d.run_id = $1 AND d.id_number = r.id_number AND d.change::text = $${params.length})`);
  }
  return { sql: where.join(" AND "), params };
}

export interface ResultListRow {
  idNumber: string;
  maskedId: string;
  name: string;
  category: string;
  flags: string[];
  missingSchemes: string[];
  regionCode: string | null;
  /** The region's name (joined in the query). */
  regionName: string | null;
  phone: string;
}

/**
 * One page of the persons behind a number, IDs and phones masked. A list view of personal data:
 * audited here with its filters, page and row count (issue 11 §6).
 */
export async function listResults(actor: Actor, runId: number, f: ResultFilter, page: number, pageSize = 50): Promise<{ rows: ResultListRow[]; total: number }> {
  const result = await resultPage(actor, runId, f, page, pageSize, false);
  await auditRead(actor, "comparison.list", { entity: "comparison_run", entityId: String(runId), filters: { ...f, page }, rows: result.rows.length });
  return result;
}

async function resultPage(actor: Actor, runId: number, f: ResultFilter, page: number, pageSize: number, unmasked: boolean): Promise<{ rows: ResultListRow[]; total: number }> {
  const { sql, params } = resultWhere(actor, runId, f);
  const total = (await pool().query<{ n: number }>(`SELECT count(*)::int AS n FROM comparison_result r WHERE ${sql}`, params)).rows[0].n;
  const { rows } = await pool().query<{ id_number: string; name: string; category: string; flags: string[]; missing_schemes: string[]; region_code: string | null; region_name: string | null; phone: string | null }>(
    `SELECT r.id_number, r.name, r.category, r.flags, r.missing_schemes, r.region_code, g.name AS region_name, p.phone
       FROM comparison_result r LEFT JOIN person p ON p.id_number = r.id_number::char(18) LEFT JOIN region g ON g.code = r.region_code
      WHERE ${sql} ORDER BY r.id_number LIMIT ${pageSize} OFFSET ${Math.max(0, page) * pageSize}`,
    params,
  );
  return {
    total,
    rows: rows.map((r) => ({
      idNumber: r.id_number,
      maskedId: unmasked ? r.id_number : maskIdNumber(r.id_number),
      name: r.name,
      category: r.category,
      flags: r.flags,
      missingSchemes: r.missing_schemes,
      regionCode: r.region_code,
      regionName: r.region_name,
      phone: unmasked ? (r.phone ?? "") : maskPhone(r.phone),
    })),
  };
}

/** How many rows a filtered list has (for the export's audit row). */
export async function countResults(actor: Actor, runId: number, f: ResultFilter): Promise<number> {
  const { sql, params } = resultWhere(actor, runId, f);
  return (await pool().query<{ n: number }>(`SELECT count(*)::int AS n FROM comparison_result r WHERE ${sql}`, params)).rows[0].n;
}

/**
 * Every row of a filtered list in batches (for the CSV/XLSX export): masked, or — for an export
 * whose stated reason the caller has audited — with full ID numbers and phones.
 */
export async function* iterateResults(actor: Actor, runId: number, f: ResultFilter, opts: { unmasked?: boolean } = {}): AsyncGenerator<ResultListRow[]> {
  for (let page = 0; ; page++) {
    const { rows } = await resultPage(actor, runId, f, page, 5000, opts.unmasked ?? false);
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < 5000) return;
  }
}

/** The diff of a run in the actor's scope: counts per change. */
export async function diffCounts(actor: Actor, runId: number): Promise<Record<string, number>> {
  const prefix = scopePrefix(actor, "comparison:view");
  const cityWide = isCityWide(prefix);
  const { rows } = await pool().query<{ change: string; n: number }>(
    `SELECT change::text, count(*)::int AS n FROM comparison_diff WHERE run_id = $1 ${cityWide ? "" : "AND region_code LIKE $2"} GROUP BY change`,
    cityWide ? [runId] : [runId, `${prefix}%`],
  );
  return Object.fromEntries(rows.map((r) => [r.change, r.n]));
}
