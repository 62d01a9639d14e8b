import type pg from "pg";

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

export interface SurveyFigures {
  byState: Record<string, number>;
  published: number;
  closed: number;
  submitted: number;
  returned: number;
  newlyFound: number;
  failedVisits: number;
}

export function emptySurvey(): SurveyFigures {
  return { byState: Object.fromEntries(TASK_STATES.map((s) => [s, 0])), published: 0, closed: 0, submitted: 0, returned: 0, newlyFound: 0, failedVisits: 0 };
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
  }
  return out;
}

/**
 * Reasons for not being insured from approved forms in `prefix`: the counters kept per community
 * and reason by the trigger of migration stats_reason_counts (each reason once per person in a
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
