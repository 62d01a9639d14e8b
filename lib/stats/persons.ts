import { pool } from "@/lib/db/client";
import { maskIdNumber } from "@/lib/ids/id-number";
import { type Actor, NotFoundError, requireInScope, requirePermission } from "@/lib/policy";
import { statsRun } from "./figures";
import { type Measure, measureByCode, NO_REGION, STATS_ROWS_SQL } from "./measures";

// 人员明细: the persons behind a figure — the persons of the run in the region whose STATS ROW meets
// the measure's condition (lib/stats/measures.ts, the same condition the run counted with), so the
// list's count is the figure. Scoped in the query: the region must lie in the actor's scope (else
// "not found"); '-' (persons counted at city level only) belongs to the city. Searchable by name and
// by part of the ID number; IDs are masked. The export takes exactly the list's rows.

export const PAGE_SIZE = 50;

export interface PersonListQuery {
  run?: number;
  region: string;
  measure: string;
  q?: string;
  page?: number;
}

export interface PersonListRow {
  idNumber: string;
  maskedId: string;
  name: string;
  category: string;
  flags: string[];
  missingSchemes: string[];
  activeSchemes: string[];
  regionCode: string | null;
}

export interface PersonList {
  runId: number;
  asOf: string;
  measure: Measure;
  region: string;
  total: number;
  page: number;
  rows: PersonListRow[];
}

/** Checks the actor and the filters; returns the SQL and parameters of the list (rows in ID order). */
async function listSql(actor: Actor, query: PersonListQuery) {
  requirePermission(actor, "stats:view");
  requirePermission(actor, "person:view");
  const measure = measureByCode(query.measure);
  if (!measure) throw new NotFoundError("measure");
  const city = actor.regionCode?.length === 4 ? actor.regionCode : null;
  if (query.region === NO_REGION) {
    if (!city) throw new NotFoundError("region");
  } else {
    if (!/^\d{4}(\d{2}(\d{3}(\d{3})?)?)?$/.test(query.region)) throw new NotFoundError("region");
    requireInScope(actor, "stats:view", query.region);
  }
  const run = await statsRun(pool(), query.run ?? "latest");
  if (!run) throw new NotFoundError("run");
  const params: unknown[] = [run.id];
  let region: string;
  if (query.region === NO_REGION) region = "r.count_region_code IS NULL";
  else if (query.region.length === 4) region = "true"; // the city: every person of the run
  else {
    params.push(query.region);
    region = `starts_with(r.count_region_code, $${params.length})`;
  }
  let search = "";
  const q = (query.q ?? "").trim();
  if (q) {
    params.push(`%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    search = ` AND (s.name LIKE $${params.length} OR s.id_number LIKE upper($${params.length}))`;
  }
  const from = `FROM (${STATS_ROWS_SQL} WHERE r.run_id = $1 AND ${region}) s WHERE (${measure.where})${search}`;
  return { run, measure, from, params };
}

function toRow(r: { id_number: string; name: string; category: string; flags: string[]; missing_schemes: string[]; active_schemes: string[]; count_region_code: string | null }): PersonListRow {
  return {
    idNumber: r.id_number,
    maskedId: maskIdNumber(r.id_number),
    name: r.name,
    category: r.category,
    flags: r.flags,
    missingSchemes: r.missing_schemes,
    activeSchemes: r.active_schemes,
    regionCode: r.count_region_code,
  };
}

const COLUMNS = "s.id_number, s.name, s.category, s.flags, s.missing_schemes, s.active_schemes, s.count_region_code";

export async function personList(actor: Actor, query: PersonListQuery): Promise<PersonList> {
  const { run, measure, from, params } = await listSql(actor, query);
  const page = Math.max(1, Math.floor(query.page ?? 1));
  const [count, rows] = await Promise.all([
    pool().query<{ n: number }>(`SELECT count(*)::int AS n ${from}`, params),
    pool().query(`SELECT ${COLUMNS} ${from} ORDER BY s.id_number LIMIT ${PAGE_SIZE} OFFSET ${(page - 1) * PAGE_SIZE}`, params),
  ]);
  return { runId: run.id, asOf: run.asOf, measure, region: query.region, total: count.rows[0].n, page, rows: rows.rows.map(toRow) };
}

/** Every row of the list (all pages), for the export: the same query without paging. */
export async function personListAll(actor: Actor, query: PersonListQuery): Promise<{ runId: number; measure: Measure; rows: PersonListRow[] }> {
  requirePermission(actor, "export:run");
  const { run, measure, from, params } = await listSql(actor, query);
  const rows = await pool().query(`SELECT ${COLUMNS} ${from} ORDER BY s.id_number`, params);
  return { runId: run.id, measure, rows: rows.rows.map(toRow) };
}
