import fs from "node:fs";
import path from "node:path";
import type pg from "pg";
import { pool } from "@/lib/db/client";

// Settling the outreach ledger with a comparison run (./sql/settle.sql): after every run (called by
// lib/comparison/run.ts once the run has committed) and, should that have failed, when a ledger page
// is opened (ensureSettled). Each run is settled once, in order: a run older than one already
// settled is skipped. Runs serialise on an advisory lock, so two portal processes never settle at once.

const SQL_DIRS = [path.join(import.meta.dirname ?? "", "sql"), path.join(process.cwd(), "lib/outreach/sql")];
const LOCK_KEY = 727276;
let settleSql: string | null = null;

function sql(runId: number): string {
  if (settleSql === null) {
    const dir = SQL_DIRS.find((d) => fs.existsSync(path.join(d, "settle.sql")));
    if (!dir) throw new Error("lib/outreach/sql/settle.sql not found");
    settleSql = fs.readFileSync(path.join(dir, "settle.sql"), "utf8");
  }
  // Several statements in one simple query: the run id goes in as a literal (an integer, checked).
  return settleSql.replace(/\$1\b/g, String(runId));
}

/** Settles the ledger with run `runId` (a DONE run); true when it did, false when already settled or older. */
export async function settleOutreach(client: pg.ClientBase, runId: number): Promise<boolean> {
  if (!Number.isSafeInteger(runId) || runId <= 0) throw new Error(`bad run id ${runId}`);
  await client.query("BEGIN");
  try {
    await client.query("SELECT pg_advisory_xact_lock($1)", [LOCK_KEY]);
    const { rows } = await client.query<{ ok: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM comparison_run WHERE id = $1 AND status = 'DONE')
              AND NOT EXISTS (SELECT 1 FROM outreach_settlement WHERE run_id >= $1) AS ok`,
      [runId],
    );
    if (!rows[0].ok) {
      await client.query("ROLLBACK");
      return false;
    }
    await client.query(`INSERT INTO outreach_settlement (run_id, entered, enrolled, closed) VALUES ($1, 0, 0, 0)`, [runId]);
    await client.query(sql(runId));
    await client.query("COMMIT");
    return true;
  } catch (e) {
    await client.query("ROLLBACK").catch(() => {});
    throw e;
  }
}

/** The latest DONE run, settled into the ledger if it is not yet (cheap when it is). Null: no run yet. */
export async function ensureSettled(): Promise<number | null> {
  const { rows } = await pool().query<{ id: number | null; settled: boolean }>(
    `SELECT r.id, EXISTS (SELECT 1 FROM outreach_settlement s WHERE s.run_id >= r.id) AS settled
       FROM (SELECT max(id) AS id FROM comparison_run WHERE status = 'DONE') r`,
  );
  const { id, settled } = rows[0];
  if (id === null) return null;
  if (!settled) {
    const client = await pool().connect();
    try {
      await settleOutreach(client, id);
    } finally {
      client.release();
    }
  }
  return id;
}
