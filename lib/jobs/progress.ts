import type pg from "pg";
import { pool } from "@/lib/db/client";

// Progress of long work — an import (upload, then loading) and a comparison run — kept in the
// database (table job_progress), so that every portal process and a page reloaded after a restart
// show the same figures. A job records the PostgreSQL backend doing its work; a job still marked as
// running whose backend is gone (the process that ran it died or was restarted) is reported as
// "interrupted", never as running forever. While an upload streams there is no backend yet: there
// the job's own heartbeat (updated_at, written as bytes arrive) must be recent.

export const RUNNING_PHASES = ["uploading", "importing", "running"] as const;
export type TJobPhase = (typeof RUNNING_PHASES)[number] | "done" | "refused" | "failed" | "interrupted";

export interface JobState {
  key: string;
  kind: string;
  fileName: string | null;
  phase: TJobPhase;
  done: number;
  total: number;
  rows: number;
  label: string | null;
  message: string | null;
  startedAt: Date;
  updatedAt: Date;
}

/** How long an upload may go without a byte before it counts as interrupted. */
export const UPLOAD_SILENCE_S = 120;

/** SQL: whether the job row `j` is still alive (shared by every reader). */
const ALIVE = `(j.phase NOT IN ('uploading', 'importing', 'running')
   OR (j.backend_pid IS NOT NULL AND EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = j.backend_pid))
   OR (j.backend_pid IS NULL AND j.updated_at > now() - make_interval(secs => ${UPLOAD_SILENCE_S})))`;

const COLUMNS = `j.job_key AS key, j.kind, j.file_name AS "fileName",
  CASE WHEN ${ALIVE} THEN j.phase ELSE 'interrupted' END AS phase,
  j.done::float8 AS done, j.total::float8 AS total, j.rows::float8 AS rows, j.label, j.message,
  j.started_at AS "startedAt", j.updated_at AS "updatedAt"`;

export interface JobFields {
  phase?: TJobPhase;
  done?: number;
  total?: number;
  rows?: number;
  label?: string | null;
  backendPid?: number | null;
  message?: string | null;
}

type Queryable = Pick<pg.Pool | pg.Client, "query">;

async function upsert(db: Queryable, key: string, owner: { kind: string; userId: number | null; fileName: string | null }, f: JobFields): Promise<void> {
  await db.query(
    `INSERT INTO job_progress (job_key, kind, user_id, file_name, phase, done, total, rows, label, backend_pid, message)
     VALUES ($1, $2, $3, $4, coalesce($5, 'running'), coalesce($6, 0), coalesce($7, 0), coalesce($8, 0), $9, $10, $11)
     ON CONFLICT (job_key) DO UPDATE SET
       phase = coalesce($5, job_progress.phase), done = coalesce($6, job_progress.done), total = coalesce($7, job_progress.total),
       rows = coalesce($8, job_progress.rows), label = CASE WHEN $12 THEN $9 ELSE job_progress.label END,
       backend_pid = CASE WHEN $13 THEN $10 ELSE job_progress.backend_pid END,
       message = CASE WHEN $14 THEN $11 ELSE job_progress.message END, updated_at = now()`,
    [
      key, owner.kind, owner.userId, owner.fileName, f.phase ?? null, f.done ?? null, f.total ?? null, f.rows ?? null,
      f.label ?? null, f.backendPid ?? null, f.message ?? null, f.label !== undefined, f.backendPid !== undefined, f.message !== undefined,
    ],
  );
}

/**
 * Writes one job's progress: updates are written in order, at most one per `intervalMs` (the
 * latest wins), and a change of phase at once; `flush` waits for everything written so far.
 */
export class JobProgressWriter {
  private pending: JobFields | null = null;
  private chain: Promise<void> = Promise.resolve();
  private last = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    readonly key: string,
    private readonly owner: { kind: string; userId: number | null; fileName: string | null },
    private readonly db: Queryable = pool(),
    private readonly intervalMs = 500,
  ) {}

  update(f: JobFields): void {
    this.pending = { ...this.pending, ...f };
    if (f.phase !== undefined || Date.now() - this.last >= this.intervalMs) this.write();
    else this.timer ??= setTimeout(() => this.write(), this.intervalMs);
  }

  private write(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const f = this.pending;
    this.pending = null;
    if (!f) return;
    this.last = Date.now();
    // Progress is advice: a failed write must not fail the import or the run it describes.
    this.chain = this.chain.then(() => upsert(this.db, this.key, this.owner, f)).catch((e: unknown) => console.error(`[progress] ${this.key}: ${(e as Error).message}`));
  }

  /** Writes `f` (and anything pending) now and waits until it is stored. */
  async flush(f: JobFields = {}): Promise<void> {
    this.pending = { ...this.pending, ...f };
    this.write();
    await this.chain;
  }
}

export function importJobKey(jobId: string): string {
  return `import:${jobId}`;
}

export function comparisonJobKey(runId: number): string {
  return `comparison:${runId}`;
}

/** One job, only for the user who started it (an import's progress is its owner's business). */
export async function getJob(key: string, userId: number): Promise<JobState | null> {
  const { rows } = await pool().query<JobState>(`SELECT ${COLUMNS} FROM job_progress j WHERE j.job_key = $1 AND j.user_id = $2`, [key, userId]);
  return rows[0] ?? null;
}

/** The user's imports of the last day, newest first (the import page lists them after a reload). */
export async function recentImportJobs(userId: number, limit = 10): Promise<JobState[]> {
  const { rows } = await pool().query<JobState>(
    `SELECT ${COLUMNS} FROM job_progress j
      WHERE j.user_id = $1 AND j.job_key LIKE 'import:%' AND j.started_at > now() - interval '1 day'
      ORDER BY j.started_at DESC LIMIT $2`,
    [userId, limit],
  );
  return rows;
}

/** Step progress of comparison runs (comparison:view: the run list itself is not personal data). */
export async function comparisonProgress(runIds: number[]): Promise<Map<number, JobState>> {
  if (runIds.length === 0) return new Map();
  const { rows } = await pool().query<JobState>(`SELECT ${COLUMNS} FROM job_progress j WHERE j.job_key = ANY($1::text[])`, [runIds.map(comparisonJobKey)]);
  return new Map(rows.map((r) => [Number(r.key.slice("comparison:".length)), r]));
}

/**
 * Marks FAILED ("interrupted") every RUNNING comparison run whose backend is gone: the process that
 * ran it died, and its transaction was rolled back with the connection. Called by the pages that
 * show runs, so that no run shows as running forever; the next run does the same under its lock.
 */
export async function settleInterruptedRuns(db: Queryable = pool()): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE comparison_run r SET status = 'FAILED', error = 'interrupted', finished_at = now()
      WHERE r.status = 'RUNNING' AND r.backend_pid IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = r.backend_pid)`,
  );
  if (rowCount) await db.query(`UPDATE job_progress SET phase = 'interrupted', updated_at = now() WHERE phase = 'running' AND job_key IN (SELECT 'comparison:' || id FROM comparison_run WHERE error = 'interrupted')`);
  return rowCount ?? 0;
}
