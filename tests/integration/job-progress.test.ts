import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { getRun, listRuns } from "@/lib/comparison/queries";
import { STEPS } from "@/lib/comparison/run";
import { pool } from "@/lib/db/client";
import { getJob, importJobKey, JobProgressWriter, recentImportJobs } from "@/lib/jobs/progress";
import type { Actor } from "@/lib/policy";
import { freshDatabase } from "@/tests/helpers/db";

// Progress of imports and comparison runs lives in the database: another portal process (here:
// another connection pool, another OS process) reads the same figures, and work whose process died
// is shown as interrupted / FAILED, never as running forever.

const ROOT = path.resolve(import.meta.dirname, "../..");
let databaseUrl = "";
let userId = 0;
const city: Actor = { id: 0, login: "city", role: "CITY_STAFF", regionCode: "3204" };

/** A connection of "another portal process". */
async function other(): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  return c;
}

async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined | false>, ms = 90_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  databaseUrl = await freshDatabase();
  userId = (await pool().query<{ id: number }>(`INSERT INTO app_user (login, real_name, password_hash, role, region_code) VALUES ('progress-user', '进度', 'x', 'CITY_STAFF', NULL) RETURNING id`)).rows[0].id;
});

describe("import progress", () => {
  it("is written to the database and read the same by another process", async () => {
    const shown = new JobProgressWriter(importJobKey("job-aaaaaaaa"), { kind: "population", userId, fileName: "户籍.csv" });
    const c = await other();
    try {
      await shown.flush({ phase: "importing", done: 500, total: 1000, rows: 4200, backendPid: (await c.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0].pid });
      const seen = await c.query(`SELECT phase, done::int, total::int, rows::int, file_name FROM job_progress WHERE job_key = 'import:job-aaaaaaaa'`);
      expect(seen.rows).toEqual([{ phase: "importing", done: 500, total: 1000, rows: 4200, file_name: "户籍.csv" }]);
      expect(await getJob(importJobKey("job-aaaaaaaa"), userId)).toMatchObject({ phase: "importing", done: 500, total: 1000, rows: 4200 });
      // another user never sees it
      expect(await getJob(importJobKey("job-aaaaaaaa"), userId + 1)).toBeNull();
    } finally {
      await c.end();
    }
    // The backend that did the work is gone (its process died): the job is interrupted.
    await waitFor("the backend to leave", async () => (await getJob(importJobKey("job-aaaaaaaa"), userId))?.phase === "interrupted");
    expect((await recentImportJobs(userId)).map((j) => [j.fileName, j.phase])).toEqual([["户籍.csv", "interrupted"]]);
  });

  it("updates are throttled but the latest always lands; a finished job stays finished", async () => {
    const shown = new JobProgressWriter(importJobKey("job-bbbbbbbb"), { kind: "enrolment", userId, fileName: "参保.xlsx" }, pool(), 10_000);
    shown.update({ phase: "uploading", done: 0, total: 100 });
    for (let i = 1; i <= 100; i++) shown.update({ done: i });
    await shown.flush({ phase: "done", rows: 99, backendPid: null });
    expect(await getJob(importJobKey("job-bbbbbbbb"), userId)).toMatchObject({ phase: "done", done: 100, rows: 99 });
  });

  it("an upload whose bytes stopped arriving long ago is interrupted", async () => {
    const shown = new JobProgressWriter(importJobKey("job-cccccccc"), { kind: "department", userId, fileName: "部门.csv" });
    await shown.flush({ phase: "uploading", done: 10, total: 100 });
    expect((await getJob(importJobKey("job-cccccccc"), userId))?.phase).toBe("uploading");
    await pool().query(`UPDATE job_progress SET updated_at = now() - interval '10 minutes' WHERE job_key = 'import:job-cccccccc'`);
    expect((await getJob(importJobKey("job-cccccccc"), userId))?.phase).toBe("interrupted");
  });
});

describe("comparison progress", () => {
  it("a run in another process shows its step here; killed, it is shown FAILED (interrupted), not running forever", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "progress-"));
    // One OS process (tsx's own CLI would run the command in a child that SIGKILL does not reach).
    const cli = (...args: string[]) => ["--import", "tsx", "lib/cli/main.ts", ...args];
    const env = { ...process.env, DATABASE_URL: databaseUrl };
    expect(spawnSync(process.execPath, cli("generate", "--persons", "3000", "--out", dir, "--seed", "3"), { cwd: ROOT, env }).status).toBe(0);
    expect(spawnSync(process.execPath, cli("import-dir", "--dir", dir), { cwd: ROOT, env }).status).toBe(0);
    const child = spawn(process.execPath, cli("compare", "--as-of", "2026-11-25"), { cwd: ROOT, env, stdio: "ignore" });
    try {
      // Another process (this one) sees the run and its step from the database.
      const running = await waitFor("the run to reach step 3", async () => {
        const runs = await listRuns(city);
        const r = runs.find((x) => x.status === "RUNNING");
        return r?.progress && r.progress.done >= 3 ? r : null;
      });
      expect(running.progress).toMatchObject({ phase: "running", total: STEPS.length + 1 });
    } finally {
      child.kill("SIGKILL");
    }
    const runId = (await pool().query<{ id: number }>(`SELECT max(id)::int AS id FROM comparison_run`)).rows[0].id;
    // Its backend finishes the statement it was in, finds its client gone and rolls back; from then on
    // every page shows the run as failed.
    const failed = await waitFor("the run to be shown FAILED", async () => {
      const r = await getRun(city, runId);
      return r.status === "FAILED" ? r : null;
    });
    expect(failed.error).toBe("interrupted");
    expect((await pool().query(`SELECT phase FROM job_progress WHERE job_key = $1`, [`comparison:${runId}`])).rows).toEqual([{ phase: "interrupted" }]);
    // Nothing of the run took effect.
    expect((await pool().query(`SELECT count(*)::int AS n FROM comparison_result WHERE run_id = $1`, [runId])).rows[0].n).toBe(0);
    expect((await pool().query(`SELECT count(*)::int AS n FROM person`)).rows[0].n).toBe(0);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 240_000);
});
