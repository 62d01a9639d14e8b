import { CATEGORIES, FLAGS, SCHEMES } from "@/lib/comparison/codes";
import { pool } from "@/lib/db/client";
import { maskIdNumber } from "@/lib/ids/id-number";
import { type Actor, NotFoundError, requireInScope, requirePermission } from "@/lib/policy";
import { NOT_INSURED_REASONS } from "@/lib/survey/schema";
import { statsRun } from "./figures";
import { measureByCode, NO_REGION, STATS_ROWS_SQL } from "./measures";
import { counterWhere, formGivesReason, surveyFigure, TASK_STATES } from "./survey";

// 人员明细: the persons behind a figure. One query builder (listSql) serves the page, its count and
// its export, so the exported rows are exactly the list's:
//   - a figure of the run (lib/stats/measures.ts): the persons of the run in the region whose STATS
//     ROW meets the measure's condition — the condition the run counted with, so the list's count is
//     the figure;
//   - a survey figure (lib/stats/survey.ts SURVEY_FIGURES: tasks per state, published, closed,
//     submitted, returned, newly found, reasons): the tasks of the region (by the task's region, as
//     the survey figures count) that the figure counts, one row per task (per person for reasons).
// Filters narrow either list (the issue's: category, flag, missing scheme, task state, reason): on a
// survey list category/flags/missing schemes are the task's, the state is the task's; on a run list
// the state and the reason are the person's survey task's (any task of the person in that state; an
// approved form of the person giving the reason). Searchable by the beginning of the name or by part
// of the ID number (digits); IDs are masked. Scoped in the query: the region must lie in the actor's
// scope (else "not found"); '-' (persons counted at city level only) belongs to the city.
//
// Speed (issue 12: p95 ≤ 100 ms at 1 M persons): rows are ordered by (statistics region, ID number),
// the order of the index comparison_result (run_id, count_region_code, id_number) (migration
// stats_person_list), so a region's first page is an index range scan that stops after a page; the
// count of an unfiltered figure is the figure itself, read from the aggregate (stats_measure, or the
// survey counters) instead of counting a million rows on every page; a filtered list is counted up
// to the rows its pages can show — the tests count the list's
// rows (the export) against the figure, so the two cannot drift apart unseen. Pages are bounded
// (MAX_PAGE): beyond, filters, search or the export.

export const PAGE_SIZE = 50;
/** The last page a list shows (OFFSET stays bounded); further rows are reached by filter or export. */
export const MAX_PAGE = 200;

export const LIST_FILTERS = ["category", "flag", "missing", "state", "reason"] as const;
export type ListFilter = (typeof LIST_FILTERS)[number];

/** The values each filter accepts (codes; the page shows their labels). */
export const FILTER_VALUES: Record<ListFilter, readonly string[]> = {
  category: CATEGORIES,
  flag: FLAGS,
  missing: SCHEMES,
  state: TASK_STATES,
  reason: NOT_INSURED_REASONS,
};

export interface PersonListQuery {
  run?: number;
  region: string;
  measure: string;
  q?: string;
  page?: number;
  category?: string;
  flag?: string;
  missing?: string;
  state?: string;
  reason?: string;
}

export interface PersonListRow {
  idNumber: string;
  maskedId: string;
  name: string;
  category: string;
  flags: string[];
  missingSchemes: string[];
  regionCode: string | null;
  /** The survey task's state: on survey lists, the listed task's. */
  taskState: string | null;
}

export interface PersonList {
  runId: number | null;
  asOf: string | null;
  /** The figure: its code, its label's catalogue key, and whether it is a live survey figure. */
  measure: { code: string; label: string; survey: boolean };
  region: string;
  filters: Partial<Record<ListFilter, string>>;
  total: number;
  /** A filtered list with more rows than its pages show (total is then the rows the pages show). */
  more: boolean;
  page: number;
  pages: number;
  rows: PersonListRow[];
}

/** The filters of a query that are set, checked against their codes (an unknown code: not found). */
export function listFilters(query: Partial<Record<ListFilter, string | undefined>>): Partial<Record<ListFilter, string>> {
  const out: Partial<Record<ListFilter, string>> = {};
  for (const k of LIST_FILTERS) {
    const v = query[k];
    if (v === undefined || v === "") continue;
    if (!FILTER_VALUES[k].includes(v)) throw new NotFoundError(`filter ${k}`);
    out[k] = v;
  }
  return out;
}

/**
 * The end of the range of codes that start with `prefix` (digits): the prefix plus one, same length
 * ("320409" → "320410"), so [prefix, end) is an index range in any collation of digit strings.
 */
export function prefixEnd(prefix: string): string {
  const n = (BigInt(prefix) + 1n).toString().padStart(prefix.length, "0");
  return n.length > prefix.length ? "A" : n; // all nines: every digit string sorts below "A"
}

const ESCAPE_LIKE = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Checks the actor and the filters; builds the SQL of the list (FROM … WHERE …, rows in the list's order). */
async function listSql(actor: Actor, query: PersonListQuery) {
  requirePermission(actor, "stats:view");
  requirePermission(actor, "person:view");
  const runMeasure = measureByCode(query.measure);
  const survey = runMeasure ? undefined : surveyFigure(query.measure);
  if (!runMeasure && !survey) throw new NotFoundError("measure");
  const city = actor.regionCode?.length === 4 ? actor.regionCode : null;
  if (query.region === NO_REGION) {
    // the persons without a statistics region: run figures only (survey tasks always have a community)
    if (!city || survey) throw new NotFoundError("region");
  } else {
    if (!/^\d{4}(\d{2}(\d{3}(\d{3})?)?)?$/.test(query.region)) throw new NotFoundError("region");
    requireInScope(actor, "stats:view", query.region);
  }
  const filters = listFilters(query);
  const run = await statsRun(pool(), query.run ?? "latest");
  if (!run && !survey) throw new NotFoundError("run");
  if (query.run !== undefined && !run) throw new NotFoundError("run");

  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  // the region as an index range over the column `col` (codes are digits)
  const regionRange = (col: string) =>
    query.region.length === 4 && runMeasure ? "true" : `${col} >= ${p(query.region)} AND ${col} < ${p(prefixEnd(query.region))}`;

  let base: string;
  let order: string;
  const where: string[] = [];
  if (runMeasure) {
    const region = query.region === NO_REGION ? "r.count_region_code IS NULL" : regionRange("r.count_region_code");
    base = `(${STATS_ROWS_SQL} WHERE r.run_id = ${p(run!.id)} AND ${region}) s`;
    where.push(`(${runMeasure.where})`);
    if (filters.state) where.push(`EXISTS (SELECT 1 FROM survey_task t WHERE t.id_number = s.id_number AND t.state = ${p(filters.state)}::"SurveyTaskState")`);
    order = "s.count_region_code, s.id_number";
  } else {
    // one row per task; for a reason, per person (their latest approved task giving it)
    const latest = survey!.code.startsWith("reason:")
      ? ` AND NOT EXISTS (SELECT 1 FROM survey_task t2 WHERE t2.id_number = t.id_number AND t2.id > t.id AND ${survey!.where.replaceAll("t.", "t2.")} AND ${regionRange("t2.region_code")})`
      : "";
    base = `(SELECT t.id AS task_id, t.id_number, coalesce(p.name, f.data -> 'newPerson' ->> 'name', '') AS name, t.category, t.flags, t.missing_schemes,
                    t.region_code AS count_region_code, t.state::text AS task_state
               FROM survey_task t
               LEFT JOIN person p ON p.id_number = t.id_number::char(18)
               LEFT JOIN survey_form f ON f.task_id = t.id AND t.newly_found
              WHERE ${regionRange("t.region_code")} AND (${survey!.where})${latest}) s`;
    if (filters.state) where.push(`s.task_state = ${p(filters.state)}`);
    order = "s.count_region_code, s.id_number, s.task_id";
  }
  if (filters.category) where.push(`s.category = ${p(filters.category)}`);
  if (filters.flag) where.push(`${p(filters.flag)} = ANY (s.flags)`);
  if (filters.missing) where.push(`${p(filters.missing)} = ANY (s.missing_schemes)`);
  if (filters.reason) where.push(`EXISTS (SELECT 1 FROM survey_task rt WHERE rt.id_number = s.id_number AND rt.state = 'DISTRICT_APPROVED' AND ${formGivesReason("rt", p(filters.reason))})`);
  const q = (query.q ?? "").trim();
  if (q) {
    // digits (and X): part of the ID number; otherwise the beginning of the name (an index range)
    if (/^[\dXx]+$/.test(q)) where.push(`s.id_number LIKE ${p(`%${ESCAPE_LIKE(q.toUpperCase())}%`)}`);
    else where.push(`s.name LIKE ${p(`${ESCAPE_LIKE(q)}%`)}`);
  }
  const from = `FROM ${base} WHERE ${where.length ? where.join(" AND ") : "true"}`;
  const stateColumn = runMeasure
    ? `(SELECT t.state::text FROM survey_task t WHERE t.id_number = s.id_number ORDER BY t.id DESC LIMIT 1)`
    : "s.task_state";
  const columns = `s.id_number, s.name, s.category, s.flags, s.missing_schemes, s.count_region_code, ${stateColumn} AS task_state`;
  const measure = runMeasure
    ? { code: runMeasure.code, label: runMeasure.label, survey: false }
    : { code: survey!.code, label: survey!.label, survey: true };
  const plain = !q && Object.keys(filters).length === 0;
  return { run, measure, filters, from, columns, order, params, plain, counter: survey?.counter ?? false };
}

type DbRow = { id_number: string; name: string; category: string; flags: string[]; missing_schemes: string[]; count_region_code: string | null; task_state: string | null };

function toRow(r: DbRow): PersonListRow {
  return {
    idNumber: r.id_number,
    maskedId: maskIdNumber(r.id_number),
    name: r.name,
    category: r.category,
    flags: r.flags,
    missingSchemes: r.missing_schemes,
    regionCode: r.count_region_code,
    taskState: r.task_state,
  };
}

/**
 * The number of rows of an unfiltered list: its figure, from the aggregate the figure is shown from
 * (the run's stats_measure, or the survey counters). Null when the figure is not kept there.
 */
async function figureCount(runId: number | null, region: string, measure: string, survey: boolean, counter: boolean): Promise<number | null> {
  if (!survey) {
    if (runId === null) return null;
    const { rows } = await pool().query<{ n: number }>(
      region.length === 4
        ? `SELECT coalesce(sum(value), 0)::int AS n FROM stats_measure WHERE run_id = $1 AND measure = $2`
        : region === NO_REGION
          ? `SELECT coalesce(sum(value), 0)::int AS n FROM stats_measure WHERE run_id = $1 AND measure = $2 AND region_code = '${NO_REGION}'`
          : `SELECT coalesce(sum(value), 0)::int AS n FROM stats_measure WHERE run_id = $1 AND measure = $2 AND region_code >= $3 AND region_code < $4`,
      region.length === 4 || region === NO_REGION ? [runId, measure] : [runId, measure, region, prefixEnd(region)],
    );
    return rows[0].n;
  }
  const where = counter ? counterWhere(measure) : null;
  if (!where) return null;
  const { rows } = await pool().query<{ n: number }>(`SELECT coalesce(sum(tasks), 0)::int AS n FROM stats_task_count WHERE region_code >= $1 AND region_code < $2 AND ${where}`, [region, prefixEnd(region)]);
  return rows[0].n;
}

export async function personList(actor: Actor, query: PersonListQuery): Promise<PersonList> {
  const { run, measure, filters, from, columns, order, params, plain, counter } = await listSql(actor, query);
  const known = plain ? await figureCount(run?.id ?? null, query.region, measure.code, measure.survey, counter) : null;
  // a filtered or searched list is counted in SQL, up to the rows its pages can show (and one more)
  const cap = MAX_PAGE * PAGE_SIZE;
  const total = known ?? (await pool().query<{ n: number }>(`SELECT count(*)::int AS n FROM (SELECT 1 ${from} LIMIT ${cap + 1}) x`, params)).rows[0].n;
  const pages = Math.max(1, Math.min(MAX_PAGE, Math.ceil(total / PAGE_SIZE)));
  const page = Math.min(pages, Math.max(1, Math.floor(query.page ?? 1)));
  const rows = await pool().query<DbRow>(`SELECT ${columns} ${from} ORDER BY ${order} LIMIT ${PAGE_SIZE} OFFSET ${(page - 1) * PAGE_SIZE}`, params);
  return { runId: run?.id ?? null, asOf: run?.asOf ?? null, measure, region: query.region, filters, total: Math.min(total, known ?? cap), more: known === null && total > cap, page, pages, rows: rows.rows.map(toRow) };
}

/** Every row of the list (all pages), for the export: the same query without paging. */
export async function personListAll(actor: Actor, query: PersonListQuery): Promise<{ runId: number | null; measure: PersonList["measure"]; filters: PersonList["filters"]; rows: PersonListRow[] }> {
  requirePermission(actor, "export:run");
  const { run, measure, filters, from, columns, order, params } = await listSql(actor, query);
  const rows = await pool().query<DbRow>(`SELECT ${columns} ${from} ORDER BY ${order}`, params);
  return { runId: run?.id ?? null, measure, filters, rows: rows.rows.map(toRow) };
}
