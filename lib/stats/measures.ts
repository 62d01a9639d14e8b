import { CATEGORIES } from "@/lib/comparison/codes";

// The measures of statistics.md §2, defined once, in the table's order. Each is a count of the
// persons of a comparison run for whom `where` holds. `where` is an SQL condition over one row of
// the STATS ROW shape below, which both places that count persons provide:
//   - the comparison run's statistics step (statsStepSql: counts per statistics region, written into
//     stats_measure in the run's transaction), and
//   - the person lists (人员明细, lib/stats/persons.ts: the persons behind a figure),
// so that every figure is the count of its list.
//
// STATS ROW columns (comparison_result's, plus the registry's status):
//   category text, flags text[], active_schemes text[], pension_applies boolean,
//   employee_applies boolean, registered_by_survey boolean (person.status = REGISTERED_BY_SURVEY:
//   a district approved (审定) a survey and no later run found a new problem, domain.md).
//
// statistics.md §1: a person counts in their statistics region — the survey region of
// comparison-rules.md §3 when it is a known community, whatever the category (count_region_code of
// the result row) — and in its ancestors; everyone else (non_local, no known community) in the city
// only, under region '-'.

const TO_REGISTER = "category <> 'EXCLUDED'";

export interface Measure {
  /** The code of the export (statistics.md §4). */
  code: string;
  /** Message catalogue key of the label. */
  label: string;
  /** SQL condition over a STATS ROW. */
  where: string;
}

export const MEASURES: readonly Measure[] = [
  { code: "persons", label: "stats.m.persons", where: "true" },
  ...CATEGORIES.map((c) => ({ code: `category:${c}`, label: `comparison.category.${c}`, where: `category = '${c}'` })),
  { code: "to_register", label: "stats.m.to_register", where: TO_REGISTER },
  // of to_register: confirmed by the comparison or registered by an approved survey
  { code: "registered", label: "stats.m.registered", where: `${TO_REGISTER} AND (category = 'CONFIRMED' OR registered_by_survey)` },
  // §3: age ≥ 16 on the as-of date and not a student
  { code: "pension_applies", label: "stats.m.pension_applies", where: `${TO_REGISTER} AND pension_applies` },
  // 110, 120 or 170 active (locally or elsewhere, or a pension benefit: active_schemes is §3's "active")
  { code: "pension_active", label: "stats.m.pension_active", where: `${TO_REGISTER} AND pension_applies AND active_schemes && '{110,120,170}'::text[]` },
  { code: "medical_applies", label: "stats.m.medical_applies", where: TO_REGISTER },
  { code: "medical_active", label: "stats.m.medical_active", where: `${TO_REGISTER} AND active_schemes && '{310,390}'::text[]` },
  { code: "employee_applies", label: "stats.m.employee_applies", where: `${TO_REGISTER} AND employee_applies` },
  { code: "unemployment_active", label: "stats.m.unemployment_active", where: `${TO_REGISTER} AND employee_applies AND '210' = ANY (active_schemes)` },
  { code: "work_injury_active", label: "stats.m.work_injury_active", where: `${TO_REGISTER} AND employee_applies AND '410' = ANY (active_schemes)` },
  { code: "maternity_active", label: "stats.m.maternity_active", where: `${TO_REGISTER} AND employee_applies AND '510' = ANY (active_schemes)` },
  { code: "elsewhere_in_province", label: "stats.m.elsewhere_in_province", where: `${TO_REGISTER} AND 'elsewhere_in_province' = ANY (flags)` },
  { code: "elsewhere_out_of_province", label: "stats.m.elsewhere_out_of_province", where: `${TO_REGISTER} AND 'elsewhere_out_of_province' = ANY (flags)` },
  // by category, whether or not a task could be created (non_local and no_region persons included)
  { code: "needs_survey", label: "stats.m.needs_survey", where: "category NOT IN ('EXCLUDED', 'CONFIRMED')" },
];

export const MEASURE_CODES: readonly string[] = MEASURES.map((m) => m.code);

export function measureByCode(code: string): Measure | undefined {
  return MEASURES.find((m) => m.code === code);
}

/** The region of the persons counted at city level only (statistics.md §1 last point). */
export const NO_REGION = "-";

/**
 * Rates of statistics.md §2: ratios of two measures, never stored. `target` marks the rate the
 * programme is run by (养老参保率, seed 002: 90 %; the city's setting, lib/stats/settings.ts).
 */
export const RATES = [
  { code: "registration", label: "stats.r.registration", num: "registered", den: "to_register" },
  { code: "pension", label: "stats.r.pension", num: "pension_active", den: "pension_applies", target: "pension" },
  { code: "medical", label: "stats.r.medical", num: "medical_active", den: "medical_applies" },
  { code: "unemployment", label: "stats.r.unemployment", num: "unemployment_active", den: "employee_applies" },
  { code: "work_injury", label: "stats.r.work_injury", num: "work_injury_active", den: "employee_applies" },
  { code: "maternity", label: "stats.r.maternity", num: "maternity_active", den: "employee_applies" },
] as const;

/**
 * The statistics step of a comparison run (run after the registry step, inside the run's
 * transaction, lib/comparison/run.ts): the measures per statistics region into stats_measure.
 * Persons are first grouped by everything a measure reads (a few thousand groups for a million
 * persons), the measures are then summed over the groups. The '-' rows are written even when zero.
 */
export function statsStepSql(): string {
  const sums = MEASURES.map((m, i) => `coalesce(sum(n) FILTER (WHERE ${m.where}), 0)::int AS m${i}`).join(",\n         ");
  const values = MEASURES.map((m, i) => `('${m.code}', g.m${i})`).join(", ");
  return `-- statistics.md §1–2 (lib/stats/measures.ts): the measures per statistics region of the run.
INSERT INTO stats_measure (run_id, region_code, measure, value)
SELECT (SELECT run_id FROM cmp_param), g.region, v.measure, v.value
  FROM (
    SELECT region,
         ${sums}
      FROM (SELECT coalesce(o.count_region, '${NO_REGION}') AS region, o.category, f.flags, a.codes AS active_schemes,
                   o.pension_applies, o.employee_applies, o.registered_by_survey, o.n
              FROM (SELECT o.count_region, o.category, o.flag_mask, o.active_mask, o.pension_applies, o.employee_applies,
                           rs.id_number IS NOT NULL AS registered_by_survey, count(*) AS n
                      FROM cmp_out o
                      LEFT JOIN (SELECT id_number::text AS id_number FROM person WHERE status = 'REGISTERED_BY_SURVEY') rs ON rs.id_number = o.id
                     GROUP BY 1, 2, 3, 4, 5, 6, 7) o
              JOIN cmp_flag_list f ON f.mask = o.flag_mask
              JOIN cmp_scheme_list a ON a.mask = o.active_mask) r
     GROUP BY region
  ) g
  CROSS JOIN LATERAL (VALUES ${values}) AS v(measure, value);
INSERT INTO stats_measure (run_id, region_code, measure, value)
SELECT (SELECT run_id FROM cmp_param), '${NO_REGION}', m, 0 FROM unnest(ARRAY[${MEASURES.map((m) => `'${m.code}'`).join(", ")}]) AS m
ON CONFLICT DO NOTHING;
-- statistics.md §3: the survey counters' deltas (migration stats_task_counters) folded into one row
-- per group; rows written meanwhile by other transactions are not seen and stay as they are.
WITH d AS (DELETE FROM stats_task_count RETURNING *)
INSERT INTO stats_task_count (region_code, state, newly_found, ever_submitted, ever_returned, tasks, failed_visits)
SELECT region_code, state, newly_found, ever_submitted, ever_returned, sum(tasks), sum(failed_visits)
  FROM d GROUP BY 1, 2, 3, 4, 5 HAVING sum(tasks) <> 0 OR sum(failed_visits) <> 0;`;
}

/**
 * The STATS ROW of every person of run `$1` (comparison_result joined with the registry), for the
 * person lists and the per-person checks. Columns: the result row's, plus registered_by_survey.
 */
export const STATS_ROWS_SQL = `SELECT r.*, coalesce(p.status = 'REGISTERED_BY_SURVEY', false) AS registered_by_survey
  FROM comparison_result r
  LEFT JOIN person p ON p.id_number = r.id_number::char(18)`;
