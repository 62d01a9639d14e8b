import { pool } from "@/lib/db/client";

// Month-end snapshots (stats_snapshot): the figures a month had — the measures of the run that was
// the latest when the snapshot was taken (per community and '-', as stats_measure holds them) and
// the survey tasks per state per community (`tasks:<STATE>`, from the live counters). Months are
// China time (Asia/Shanghai). `npm run cli -- snapshot [--month YYYY-MM]` (re)takes a month, by
// default the current one; the first dashboard of a new month takes the month before when nobody
// did (ensureLastMonthSnapshot) — with the figures of that moment, the closest there are to its end.

const LOCK_KEY = 727276;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export async function takeSnapshot(month: string | null, opts: { replace: boolean } = { replace: true }): Promise<{ month: string; rows: number; runId: number | null }> {
  if (month !== null && !MONTH.test(month)) throw new Error(`--month must be YYYY-MM, got ${month}`);
  const client = await pool().connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock($1)", [LOCK_KEY]);
    const m = month ?? (await client.query<{ m: string }>(`SELECT to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') AS m`)).rows[0].m;
    const exists = (await client.query(`SELECT 1 FROM stats_snapshot WHERE month = $1 LIMIT 1`, [m])).rowCount ?? 0;
    if (exists && !opts.replace) {
      await client.query("COMMIT");
      return { month: m, rows: 0, runId: null };
    }
    await client.query(`DELETE FROM stats_snapshot WHERE month = $1`, [m]);
    const runId = (await client.query<{ id: number | null }>(`SELECT max(run_id) AS id FROM stats_measure`)).rows[0].id;
    const a = await client.query(
      `INSERT INTO stats_snapshot (month, region_code, measure, value, run_id)
       SELECT $1, region_code, measure, value, run_id FROM stats_measure WHERE run_id = $2`,
      [m, runId],
    );
    const b = await client.query(
      `INSERT INTO stats_snapshot (month, region_code, measure, value, run_id)
       SELECT $1, region_code, 'tasks:' || state::text, sum(tasks)::int, $2 FROM stats_task_count
        GROUP BY region_code, state HAVING sum(tasks) <> 0`,
      [m, runId],
    );
    await client.query("COMMIT");
    return { month: m, rows: (a.rowCount ?? 0) + (b.rowCount ?? 0), runId };
  } catch (e) {
    await client.query("ROLLBACK").catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}

/** Takes the previous month's snapshot if it was never taken (and there are statistics to keep). */
export async function ensureLastMonthSnapshot(): Promise<void> {
  const r = await pool().query<{ m: string; have: boolean; stats: boolean }>(
      `SELECT to_char((now() AT TIME ZONE 'Asia/Shanghai') - interval '1 month', 'YYYY-MM') AS m,
              EXISTS (SELECT 1 FROM stats_snapshot WHERE month = to_char((now() AT TIME ZONE 'Asia/Shanghai') - interval '1 month', 'YYYY-MM')) AS have,
              EXISTS (SELECT 1 FROM stats_measure) AS stats`,
    );
  if (r.rows[0].have || !r.rows[0].stats) return;
  await takeSnapshot(r.rows[0].m, { replace: false });
}
