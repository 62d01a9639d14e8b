import type pg from "pg";

// The survey deadline of a run's tasks (考核), set by the city when it publishes the run's tasks
// (starting the comparison run that creates them: lib/comparison/run.ts calls this in the run's own
// transaction, so the deadline is stored and audited exactly when the run is DONE) and moved later on
// /assessment (setDeadline in ./assessment.ts). One table, run_deadline; one audit action.

export async function saveRunDeadline(client: Pick<pg.ClientBase, "query">, runId: number, deadline: string, by: { id: number; login: string } | null, regionCode: string): Promise<void> {
  await client.query(
    `INSERT INTO run_deadline (run_id, deadline, set_by_id) VALUES ($1, $2::date, $3)
     ON CONFLICT (run_id) DO UPDATE SET deadline = EXCLUDED.deadline, set_by_id = EXCLUDED.set_by_id, set_at = now()`,
    [runId, deadline, by?.id ?? null],
  );
  await client.query(
    `INSERT INTO audit_log (user_id, user_login, action, entity, entity_id, region_code, detail) VALUES ($1, $2, 'assessment.deadline', 'comparison_run', $3, $4, $5)`,
    [by?.id ?? null, by?.login ?? null, String(runId), regionCode, JSON.stringify({ deadline, at: "publication" })],
  );
}
