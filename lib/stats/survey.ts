import type pg from "pg";
import { NOT_INSURED_REASONS } from "@/lib/survey/schema";

// Survey figures (statistics.md §3), live: read from the counters the triggers on survey_task keep
// current in the transaction of every task change (migration stats_task_counters), summed per region
// by code prefix. Per region (of the task):
//   - tasks per state (domain.md; SETTLED = closed because a comparison no longer needs the survey);
//   - completion rate = tasks closed by district approval or as unreachable / tasks published.
//     Choice: "published" is every task but SETTLED ones (a task the comparison settled is no longer
//     the survey's work; a newly found person's task is published when it is added);
//   - return rate = tasks ever returned / tasks ever submitted;
//   - newly found persons (tasks added on a visit), failed visits (recorded on the tasks since they
//     were last (re)opened: a reopened task starts its count again);
//   - reasons for not being insured from approved (DISTRICT_APPROVED) forms, each reason once per
//     person (in a community): counters kept by a trigger (migration stats_reason_counts), as the
//     task counters are — counting approved forms on request grows with the campaign.

type Queryable = Pick<pg.Pool, "query"> | Pick<pg.ClientBase, "query">;

export const TASK_STATES = ["PENDING", "ASSIGNED", "DRAFT", "SUBMITTED", "STREET_APPROVED", "RETURNED", "DISTRICT_APPROVED", "UNREACHABLE", "SETTLED"] as const;

/**
 * The survey figures as person lists (人员明细, lib/stats/persons.ts): each figure of §3 with the
 * condition over one survey_task row `t` that selects the tasks it counts, defined once here next to
 * the counting below (surveyFiguresUnder) so that a figure and its list agree:
 *   - tasks:<STATE>      tasks in that state;
 *   - tasks:published    the completion rate's denominator (every task but SETTLED ones);
 *   - tasks:closed       its numerator (closed by district approval or as unreachable);
 *   - tasks:submitted    the return rate's denominator (tasks ever submitted);
 *   - tasks:returned     its numerator (tasks ever returned);
 *   - tasks:newly_found  tasks of persons added on a visit;
 *   - tasks:failed_visits the tasks with failed visits (the figure is the number of visits, their sum);
 *   - reason:<CODE>      persons with an approved form giving that reason (each person once).
 * A task's list row is its person; lists are per task, the reason lists per person.
 */
export const SURVEY_FIGURES: readonly { code: string; label: string; where: string; counter: boolean }[] = [
  ...TASK_STATES.map((s) => ({ code: `tasks:${s}`, label: `task.state.${s}`, where: `t.state = '${s}'`, counter: true })),
  { code: "tasks:published", label: "stats.published", where: "t.state <> 'SETTLED'", counter: true },
  { code: "tasks:closed", label: "stats.closed", where: "t.state IN ('DISTRICT_APPROVED', 'UNREACHABLE')", counter: true },
  { code: "tasks:submitted", label: "stats.submitted", where: "t.ever_submitted", counter: true },
  { code: "tasks:returned", label: "stats.returned", where: "t.ever_returned", counter: true },
  { code: "tasks:newly_found", label: "stats.newlyFound", where: "t.newly_found", counter: true },
  // the funnel's stages between published and approved (see FUNNEL)
  { code: "tasks:reached_assigned", label: "stats.funnel.assigned", where: "t.state NOT IN ('SETTLED', 'PENDING')", counter: true },
  { code: "tasks:reached_submitted", label: "stats.funnel.submitted", where: "t.state <> 'SETTLED' AND t.ever_submitted", counter: true },
  { code: "tasks:reached_street", label: "stats.funnel.street", where: "t.state IN ('STREET_APPROVED', 'DISTRICT_APPROVED')", counter: true },
  { code: "tasks:failed_visits", label: "stats.failedVisitTasks", where: "t.failed_visits > 0", counter: false },
  ...NOT_INSURED_REASONS.map((r) => ({ code: `reason:${r}`, label: `survey.reason.${r}`, where: `t.state = 'DISTRICT_APPROVED' AND ${formGivesReason("t", `'${r}'`)}`, counter: false })),
];

export function surveyFigure(code: string) {
  return SURVEY_FIGURES.find((f) => f.code === code);
}

/** SQL: the approved form of task `alias` gives reason `reasonSql` (a literal or a parameter). */
export function formGivesReason(alias: string, reasonSql: string): string {
  return `EXISTS (SELECT 1 FROM survey_form f WHERE f.task_id = ${alias}.id AND jsonb_typeof(f.data -> 'reasons') = 'array' AND f.data -> 'reasons' ? ${reasonSql})`;
}

/**
 * Survey progress as a funnel (issue 12): the published tasks (not SETTLED) that have reached each
 * stage of the workflow — assigned to a team or further, submitted at least once, approved by the
 * street (or further), approved by the district (审定). Each stage is a figure above (its list).
 * Tasks closed as unreachable leave the funnel at the stage they had reached; they are shown apart.
 */
export const FUNNEL = ["tasks:published", "tasks:reached_assigned", "tasks:reached_submitted", "tasks:reached_street", "tasks:DISTRICT_APPROVED"] as const;

/** The survey counter (stats_task_count) condition of a figure counted there, for the list's count. */
export function counterWhere(code: string): string | null {
  if (code.startsWith("tasks:") && TASK_STATES.includes(code.slice(6) as (typeof TASK_STATES)[number])) return `state = '${code.slice(6)}'`;
  return {
    "tasks:reached_assigned": "state NOT IN ('SETTLED', 'PENDING')",
    "tasks:reached_submitted": "state <> 'SETTLED' AND ever_submitted",
    "tasks:reached_street": "state IN ('STREET_APPROVED', 'DISTRICT_APPROVED')",
    "tasks:published": "state <> 'SETTLED'", "tasks:closed": "state IN ('DISTRICT_APPROVED', 'UNREACHABLE')", "tasks:submitted": "ever_submitted", "tasks:returned": "ever_returned", "tasks:newly_found": "newly_found" }[code] ?? null;
}

export interface SurveyFigures {
  byState: Record<string, number>;
  published: number;
  closed: number;
  submitted: number;
  returned: number;
  newlyFound: number;
  failedVisits: number;
  /** The funnel's stages (FUNNEL), by figure code. */
  stages: Record<string, number>;
}

export function emptySurvey(): SurveyFigures {
  return { byState: Object.fromEntries(TASK_STATES.map((s) => [s, 0])), published: 0, closed: 0, submitted: 0, returned: 0, newlyFound: 0, failedVisits: 0, stages: Object.fromEntries(FUNNEL.map((c) => [c, 0])) };
}

/** The survey figures of `prefix` and of each child region (code of length `childLength`), keyed by code. */
export async function surveyFiguresUnder(db: Queryable, prefix: string, childLength: number | null): Promise<Map<string, SurveyFigures>> {
  const { rows } = await db.query<{ code: string; state: string; newly_found: boolean; ever_submitted: boolean; ever_returned: boolean; tasks: number; failed: number }>(
    `SELECT c AS code, state::text AS state, newly_found, ever_submitted, ever_returned, sum(tasks)::int AS tasks, sum(failed_visits)::int AS failed
       FROM stats_task_count
       CROSS JOIN LATERAL unnest(CASE WHEN $2::int IS NULL THEN ARRAY[$1::text] ELSE ARRAY[$1::text, left(region_code, $2::int)] END) AS c
      WHERE starts_with(region_code, $1)
      GROUP BY 1, 2, 3, 4, 5`,
    [prefix, childLength],
  );
  const out = new Map<string, SurveyFigures>();
  for (const r of rows) {
    let f = out.get(r.code);
    if (!f) out.set(r.code, (f = emptySurvey()));
    f.byState[r.state] = (f.byState[r.state] ?? 0) + r.tasks;
    if (r.state !== "SETTLED") f.published += r.tasks;
    if (r.state === "DISTRICT_APPROVED" || r.state === "UNREACHABLE") f.closed += r.tasks;
    if (r.ever_submitted) f.submitted += r.tasks;
    if (r.ever_returned) f.returned += r.tasks;
    if (r.newly_found) f.newlyFound += r.tasks;
    f.failedVisits += r.failed;
    if (r.state !== "SETTLED") f.stages["tasks:published"] += r.tasks;
    if (r.state !== "SETTLED" && r.state !== "PENDING") f.stages["tasks:reached_assigned"] += r.tasks;
    if (r.state !== "SETTLED" && r.ever_submitted) f.stages["tasks:reached_submitted"] += r.tasks;
    if (r.state === "STREET_APPROVED" || r.state === "DISTRICT_APPROVED") f.stages["tasks:reached_street"] += r.tasks;
    if (r.state === "DISTRICT_APPROVED") f.stages["tasks:DISTRICT_APPROVED"] += r.tasks;
  }
  return out;
}

/**
 * Reasons for not being insured from approved forms in `prefix` (the form's reasons, not
 * survey_task.reason, the comparison's reason for the task): the counters kept per community and
 * reason by the trigger of migration stats_reason_counts (each reason once per person in a
 * community), summed over the communities under `prefix`.
 */
export async function reasonsUnder(db: Queryable, prefix: string): Promise<{ reason: string; persons: number }[]> {
  const { rows } = await db.query<{ reason: string; persons: number }>(
    `SELECT reason, sum(persons)::int AS persons
       FROM stats_reason_count
      WHERE starts_with(region_code, $1)
      GROUP BY reason
     HAVING sum(persons) > 0
      ORDER BY persons DESC, reason`,
    [prefix],
  );
  return rows;
}
