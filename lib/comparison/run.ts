import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom, to as copyTo } from "pg-copy-streams";
import { attachPartitionTable, createPartitionTable, type PartitionOf, partitionTable, RESULT_PARTITIONS } from "@/lib/db/partitions";
import { actAsOwnerOf } from "@/lib/db/roles";
import { env } from "@/lib/env";
import { comparisonJobKey, JobProgressWriter } from "@/lib/jobs/progress";
import { statsStepSql } from "@/lib/stats/measures";
import { CATEGORIES } from "./codes";
import { settleOutreach } from "@/lib/outreach/settle";
import { saveRunDeadline } from "@/lib/quality/deadline";

// Runs a comparison (数据比对, comparison-rules.md): the rules are the set-based SQL files in
// ./sql, executed in order in ONE transaction on a dedicated connection. Their working tables live
// in a schema of the run's own (`cmp_work`, first on the search path), created inside the transaction
// and dropped before it commits: UNLOGGED tables rather than temporary ones, because PostgreSQL
// runs no parallel worker on a temporary table, and the steps are parallel queries on both cores.
// A run that fails or is killed half way leaves the previous results, registry and survey tasks
// exactly as they were (its working schema goes with the rollback); its run row is then marked
// FAILED. Runs are serialised by an advisory lock (the diff and the task updates assume one at a time).

export type TSurveyBasis = "hukou" | "residence";

export interface ComparisonProgress {
  runId: number;
  step: number;
  total: number;
  label: string;
  /** PostgreSQL backend of the run's connection (lets an operator or a test cancel the run). */
  backendPid: number;
}

export interface RunComparisonOptions {
  /** YYYY-MM-DD: ages and ID birth dates are judged on this date. */
  asOf: string;
  basis?: TSurveyBasis;
  startedBy?: { id: number; login: string } | null;
  /** YYYY-MM-DD: the survey deadline of the tasks the run publishes (考核, lib/quality), stored with the run. */
  deadline?: string | null;
  onProgress?: (p: ComparisonProgress) => void;
  /** Defaults to DATABASE_URL. */
  databaseUrl?: string;
}

export interface ComparisonSummary {
  runId: number;
  durationMs: number;
  persons: number;
  byCategory: Record<string, number>;
  invalidRows: number;
  invalidByReason: Record<string, number>;
  tasks: { created: number; kept: number; settled: number };
  diff: { NEW: number; GONE: number; CHANGED: number };
  inputBatchIds: number[];
}

// The codes of comparison-rules.md (categories in §5 order, flags, schemes): ./codes.ts
export { CATEGORIES, FLAGS, SCHEMES, type TCategory } from "./codes";

// Found next to this file, or from the working directory when bundled by Next.
const SQL_DIRS = [path.join(import.meta.dirname ?? "", "sql"), path.join(process.cwd(), "lib/comparison/sql")];

/** The steps of a run: one SQL file each, in file-name order. */
export const STEPS: { file: string; label: string; sql?: () => string }[] = [
  { file: "01-functions.sql", label: "functions" },
  { file: "02-inputs.sql", label: "inputs and ID validity" },
  { file: "03-population.sql", label: "population and duplicate IDs" },
  { file: "04-records.sql", label: "enrolment, elsewhere and department records" },
  { file: "05-scope.sql", label: "scope" },
  { file: "06-classify.sql", label: "classification" },
  { file: "07-results.sql", label: "results, counts and diff" },
  { file: "08-tasks.sql", label: "survey tasks" },
  { file: "09-registry.sql", label: "registry" },
  // statistics.md: the measures per statistics region, after the registry (registered by survey);
  // generated from the one definition of the measures, lib/stats/measures.ts
  { file: "10-stats", label: "statistics", sql: statsStepSql },
];

const LOCK_KEY = 727275;

/** The settings of a run's transaction (also the benchmark's, lib/comparison/bench.ts). */
export const RUN_SETTINGS = [
  "SET LOCAL work_mem = '512MB'",
  "SET LOCAL maintenance_work_mem = '512MB'",
  // Parallel plans for statements that return a million rows: PostgreSQL's default costs assume
  // shipping a row from a worker costs a tenth of reading it, and rarely choose one.
  "SET LOCAL parallel_setup_cost = 100",
  "SET LOCAL parallel_tuple_cost = 0.01",
  "SET LOCAL min_parallel_table_scan_size = '1MB'",
];

/**
 * What the second connection loads before a step: the rows of `sql` (a SELECT) into `table (columns)`;
 * with `partition`, into the run's own partition of that table, created and attached by the loader.
 */
const ROWS_BEFORE: Record<string, { sql: string; table: string; columns: string; partition?: PartitionOf }> = {
  // comparison_result in the column order of 07-result-rows.sql, in comparison_result_<run id>
  "07-results.sql": {
    sql: "07-result-rows.sql",
    table: "comparison_result",
    columns: "run_id, id_number, name, category, flags, missing_schemes, active_schemes, region_code, survey_region_code, hukou_region_code, count_region_code, non_local, age, pension_applies, employee_applies",
    partition: RESULT_PARTITIONS,
  },
  // the new survey tasks of 08-task-rows.sql
  "09-registry.sql": {
    sql: "08-task-rows.sql",
    table: "survey_task",
    columns: "id_number, region_code, state, reason, category, flags, missing_schemes, created_run_id, updated_run_id",
  },
};

/**
 * The run's second connection. The run's biggest writes are plain rows it has computed (result rows,
 * new survey tasks): they leave the run's transaction through a temporary file and are COPYed here,
 * one after the other in one transaction, while the run's own connection goes on (counts, diff,
 * registry) on the other core. This transaction commits right before the run's; a run that fails
 * before then rolls both back. Rows of a run that died between the two commits are deleted by the
 * next run (and by markFailed).
 */
class RowWriter {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly files: string[] = [];
  private constructor(private readonly client: pg.Client) {}

  static async open(url: string): Promise<RowWriter> {
    const client = new pg.Client({ connectionString: url });
    client.on("error", () => {});
    await client.connect();
    await client.query("BEGIN");
    return new RowWriter(client);
  }

  /**
   * Writes the rows of `select` (run on `from`) to a file now, and queues their COPY into `table
   * (columns)` — or into the table's partition for `runId` (created, COPY FREEZE, attached) — here.
   * Returns the row count.
   */
  async load(from: pg.Client, select: string, into: { table: string; columns: string; partition?: PartitionOf }, runId: number, file: string): Promise<number> {
    this.files.push(file);
    const out = from.query(copyTo(`COPY (\n${select}\n) TO STDOUT`));
    await pipeline(out, fs.createWriteStream(file));
    const { partition } = into;
    this.queue = this.queue.then(async () => {
      if (partition) await createPartitionTable(this.client, partition, runId);
      const target = partition ? `${partitionTable(partition, runId)} (${into.columns}) FROM STDIN WITH (FREEZE)` : `${into.table} (${into.columns}) FROM STDIN`;
      await pipeline(fs.createReadStream(file), this.client.query(copyFrom(`COPY ${target}`)));
      if (partition) await attachPartitionTable(this.client, partition, runId);
    });
    this.queue.catch(() => {}); // awaited by commit(); a failure there fails the run
    return out.rowCount;
  }

  async commit(): Promise<void> {
    await this.queue;
    await this.client.query("COMMIT");
  }

  /** Closing the connection aborts its transaction, even in the middle of a COPY. */
  async close(): Promise<void> {
    await this.client.end().catch(() => {});
    for (const f of this.files) fs.rmSync(f, { force: true });
  }
}

function loadSql(file: string): string {
  const dir = SQL_DIRS.find((d) => fs.existsSync(path.join(d, file)));
  if (!dir) throw new Error(`lib/comparison/sql/${file} not found`);
  return fs.readFileSync(path.join(dir, file), "utf8");
}

function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** Runs one comparison to the end; throws (after marking the run FAILED) when it fails. */
export async function runComparison(opts: RunComparisonOptions): Promise<ComparisonSummary> {
  const basis = opts.basis ?? "hukou";
  if (!isIsoDate(opts.asOf)) throw new Error(`as-of date must be YYYY-MM-DD, got ${opts.asOf}`);
  if (basis !== "hukou" && basis !== "residence") throw new Error(`basis must be hukou or residence, got ${basis}`);
  const city = env().CITY_CODE;
  const url = opts.databaseUrl ?? env().DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set");

  // The run row is committed first, so that a run in progress (or one that died) is visible.
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  client.on("error", () => {});
  let runId = 0;
  let writer: RowWriter | null = null;
  // Progress goes to job_progress on a connection of its own (the run's is inside its transaction).
  let progressDb: pg.Client | null = null;
  let shown: JobProgressWriter | null = null;
  let tasksCreated = 0;
  const started = Date.now();
  try {
    const pid = (await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0].pid;
    runId = (
      await client.query<{ id: number }>(
        `INSERT INTO comparison_run (as_of, basis, city_code, status, started_by_id, backend_pid) VALUES ($1, $2, $3, 'RUNNING', $4, $5) RETURNING id`,
        [opts.asOf, basis, city, opts.startedBy?.id ?? null, pid],
      )
    ).rows[0].id;
    const total = STEPS.length + 1;
    progressDb = new pg.Client({ connectionString: url });
    await progressDb.connect();
    progressDb.on("error", () => {});
    shown = new JobProgressWriter(comparisonJobKey(runId), { kind: "comparison", userId: opts.startedBy?.id ?? null, fileName: null }, progressDb, 0);
    const progress = async (step: number, label: string) => {
      await shown!.flush({ phase: "running", done: step, total, label, backendPid: pid });
      opts.onProgress?.({ runId, step, total, label, backendPid: pid });
    };

    await client.query("BEGIN");
    // Its working schema and tables belong to the bulk role, as its result partition does.
    await actAsOwnerOf(client, "comparison_result");
    for (const setting of RUN_SETTINGS) await client.query(setting);
    await client.query("SELECT pg_advisory_xact_lock($1)", [LOCK_KEY]);
    await client.query("CREATE SCHEMA cmp_work");
    await client.query("SET LOCAL search_path = cmp_work, public");
    // Runs are serialised by the lock: an older run still RUNNING now is one whose process died.
    await client.query(
      `UPDATE comparison_run SET status = 'FAILED', error = 'interrupted', finished_at = now() WHERE status = 'RUNNING' AND id < $1`,
      [runId],
    );
    // Rows a failed run's second connection committed just before the run died (RowWriter).
    await deleteRowsOfFailedRuns(client, `SELECT id FROM comparison_run WHERE status = 'FAILED'`);
    await client.query(
      `CREATE UNLOGGED TABLE cmp_param AS
       SELECT $1::int AS run_id, $2::date AS as_of, to_char($2::date, 'YYYYMMDD') AS as_of_ymd, $3::text AS basis,
              $4::text AS city, left($4::text, 2) AS province,
              (SELECT max(id) FROM comparison_run WHERE status = 'DONE' AND id < $1) AS prev_run_id, $5::int AS started_by`,
      [runId, opts.asOf, basis, city, opts.startedBy?.id ?? null],
    );
    for (let i = 0; i < STEPS.length; i++) {
      await progress(i + 1, STEPS[i].label);
      const rows = ROWS_BEFORE[STEPS[i].file];
      if (rows) {
        writer ??= await RowWriter.open(url);
        const file = path.join(os.tmpdir(), `comparison-run-${runId}-${process.pid}-${i}.copy`);
        const n = await writer.load(client, loadSql(rows.sql), rows, runId, file);
        if (rows.sql === "08-task-rows.sql") tasksCreated = n;
      }
      await client.query(STEPS[i].sql?.() ?? loadSql(STEPS[i].file));
    }
    await progress(total, "summary");
    const summary = await summarise(client, runId, tasksCreated);
    const durationMs = Date.now() - started;
    summary.durationMs = durationMs;
    await client.query(
      `UPDATE comparison_run SET status = 'DONE', finished_at = now(), duration_ms = $2, counts = $3, previous_run_id = (SELECT prev_run_id FROM cmp_param)
        WHERE id = $1`,
      [runId, durationMs, JSON.stringify(countsJson(summary))],
    );
    await client.query(
      `INSERT INTO audit_log (user_id, user_login, action, entity, entity_id, region_code, detail) VALUES ($1, $2, 'comparison.run', 'comparison_run', $3, $4, $5)`,
      [opts.startedBy?.id ?? null, opts.startedBy?.login ?? null, String(runId), city, JSON.stringify({ asOf: opts.asOf, basis, ...countsJson(summary) })],
    );
    if (opts.deadline) await saveRunDeadline(client, runId, opts.deadline, opts.startedBy ?? null, city);
    await client.query("DROP SCHEMA cmp_work CASCADE");
    await writer?.commit();
    await client.query("COMMIT");
    // The outreach ledger follows the run (lib/outreach/settle.ts); should this fail, the ledger's
    // pages settle it when next opened, so the run stays done.
    await settleOutreach(client, runId).catch((e) => console.error(`outreach ledger not settled with run ${runId}:`, e));
    await shown?.flush({ phase: "done" });
    return summary;
  } catch (e) {
    await writer?.close();
    await client.query("ROLLBACK").catch(() => {});
    if (runId) await markFailed(url, runId, e, Date.now() - started);
    await shown?.flush({ phase: "failed", message: e instanceof Error ? e.message : String(e) });
    throw e;
  } finally {
    await client.end().catch(() => {});
    await writer?.close();
    await progressDb?.end().catch(() => {});
  }
}

async function markFailed(url: string, runId: number, e: unknown, durationMs: number): Promise<void> {
  // A fresh connection: the run's own may be the one that was cancelled or broken.
  const c = new pg.Client({ connectionString: url });
  try {
    await c.connect();
    // Rows of the second connection exist only if the run failed between the two commits.
    await deleteRowsOfFailedRuns(c, String(runId));
    await c.query(`UPDATE comparison_run SET status = 'FAILED', finished_at = now(), duration_ms = $2, error = $3 WHERE id = $1`, [
      runId,
      durationMs,
      e instanceof Error ? e.message : String(e),
    ]);
  } catch {
    /* the database is gone: the next run marks this one FAILED */
  } finally {
    await c.end().catch(() => {});
  }
}

/**
 * Deletes what RowWriter committed for the runs `runIds` (a list or a sub-select): result rows and the
 * tasks they opened. (The run's result partition stays, empty: dropping it would lock every reader of
 * comparison_result out until the run commits.)
 */
async function deleteRowsOfFailedRuns(c: pg.Client, runIds: string): Promise<void> {
  await c.query(`DELETE FROM comparison_result WHERE run_id IN (${runIds})`);
  await c.query(`DELETE FROM survey_task WHERE created_run_id IN (${runIds})`);
}

function countsJson(s: ComparisonSummary) {
  return { persons: s.persons, byCategory: s.byCategory, invalidRows: s.invalidRows, invalidByReason: s.invalidByReason, tasks: s.tasks, diff: s.diff };
}

async function summarise(client: pg.Client, runId: number, created: number): Promise<ComparisonSummary> {
  const cat = await client.query<{ category: string; n: number }>(`SELECT category, count(*)::int AS n FROM cmp_out GROUP BY category`);
  const byCategory: Record<string, number> = Object.fromEntries(CATEGORIES.map((c) => [c, 0]));
  for (const r of cat.rows) byCategory[r.category] = r.n;
  const inv = await client.query<{ reason: string; n: number }>(`SELECT reason, count(*)::int AS n FROM comparison_invalid_row WHERE run_id = $1 GROUP BY reason ORDER BY reason`, [runId]);
  // created = the rows of 08-task-rows.sql (written on the second connection, not visible here);
  // kept = open tasks of persons who still need a survey (whether or not their reason changed)
  const tasks = await client.query<{ kept: number; settled: number }>(
    `SELECT (SELECT count(*) FROM survey_task t JOIN cmp_needs n ON n.id = t.id_number
              WHERE (t.created_run_id IS DISTINCT FROM $1)
                AND t.state IN ('PENDING', 'ASSIGNED', 'DRAFT', 'SUBMITTED', 'STREET_APPROVED', 'RETURNED'))::int AS kept,
            (SELECT count(*) FROM survey_task WHERE updated_run_id = $1 AND state = 'SETTLED')::int AS settled`,
    [runId],
  );
  const diff = await client.query<{ change: "NEW" | "GONE" | "CHANGED"; n: number }>(`SELECT change, count(*)::int AS n FROM comparison_diff WHERE run_id = $1 GROUP BY change`, [runId]);
  const batches = await client.query<{ ids: number[] }>(`SELECT input_batch_ids AS ids FROM comparison_run WHERE id = $1`, [runId]);
  return {
    runId,
    durationMs: 0,
    persons: cat.rows.reduce((a, r) => a + r.n, 0),
    byCategory,
    invalidRows: inv.rows.reduce((a, r) => a + r.n, 0),
    invalidByReason: Object.fromEntries(inv.rows.map((r) => [r.reason, r.n])),
    tasks: { created, ...tasks.rows[0] },
    diff: { NEW: 0, GONE: 0, CHANGED: 0, ...Object.fromEntries(diff.rows.map((r) => [r.change, r.n])) },
    inputBatchIds: batches.rows[0].ids,
  };
}
