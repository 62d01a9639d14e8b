import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnect, prisma } from "@/lib/db/client";
import { type EmbeddedServer, startEmbedded } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import { makeIdNumber } from "@/lib/ids/id-number";
import { reviewTask } from "@/lib/review/mutations";
import { createTeam, submitForm } from "@/lib/survey/mutations";
import { setEnv } from "@/lib/env";
import { seedRegionsAndUsers } from "../helpers/registry-fixture";

// Nothing a user was told is saved may be lost: an approval that has returned survives the database
// server being killed outright. A server of its own, with fsync on (tests otherwise run without), is
// killed with SIGKILL — the postmaster and every process of it at once, so that nothing still in
// PostgreSQL's memory (a commit not yet flushed, as with synchronous_commit = off) gets written — and
// started again on the same folder; the approval and its audit row are there. (A kill of the
// processes keeps what they wrote into the operating system's cache, and PostgreSQL wakes its WAL
// writer at an asynchronous commit, so the kill alone rarely catches synchronous_commit = off: the
// test also checks the setting the application's sessions commit with, on the server as started.)

let dir: string;
let server: EmbeddedServer | null = null;

/** SIGKILL, for a process that may already have ended (a short-lived worker listed a moment ago). */
function kill(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ESRCH") throw e;
  }
}

/** The postmaster and its children (backends, WAL writer, checkpointer…). */
function processTree(pid: number): number[] {
  const children = fs
    .readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        const stat = fs.readFileSync(`/proc/${d}/stat`, "utf8");
        return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
  return [...children, pid];
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !fs.readFileSync(`/proc/${pid}/stat`, "utf8").includes(") Z ");
  } catch {
    return false;
  }
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "enrolment-crash-pg-"));
  server = await startEmbedded({ dir: path.join(dir, "pg"), database: "crash", persistent: false, fsync: true });
  await migrate(server.migrationUrl);
  await disconnect();
  setEnv("DATABASE_URL", server.url);
}, 120_000);

afterAll(async () => {
  await disconnect().catch(() => {});
  await server?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe("a committed approval survives a crash of the database server", () => {
  it("is there after SIGKILL and restart, with its audit row", async () => {
    const users = await seedRegionsAndUsers();
    const teamId = await createTeam(users.qinglong, { communityCode: "320402002001", name: "甲一组", memberIds: [users.s1.id, users.s2.id] });
    const idNumber = makeIdNumber("320402", "19800101", 7);
    await prisma().person.create({ data: { idNumber, name: "测试", hukouRegionCode: "320402002001", surveyRegionCode: "320402002001", status: "NEEDS_SURVEY" } });
    const t = await prisma().surveyTask.create({
      data: { idNumber, regionCode: "320402002001", state: "ASSIGNED", reason: "未参保", category: "NOT_INSURED", releasedAt: new Date(), teamId },
    });
    await submitForm(users.s1, t.id, { employment: "FLEXIBLE", mobile: "13912345678", pension: "RESIDENT", medical: "RESIDENT", surveyors: ["张洋", "徐艳"], residenceAddress: "青龙街道甲社区 1 幢" }, t.version);
    const submitted = await prisma().surveyTask.findUniqueOrThrow({ where: { id: t.id } });
    expect(await reviewTask(users.qinglong, { taskId: t.id, decision: "approve", expectedVersion: submitted.version })).toBe("STREET_APPROVED");

    // The approval returns: the clerk is told it is saved. Kill the server at once (its processes
    // listed beforehand, so that no time passes between the return and the kill).
    const before = processTree(server!.pid);
    expect(await reviewTask(users.tianning, { taskId: t.id, decision: "approve", expectedVersion: submitted.version + 1 })).toBe("DISTRICT_APPROVED");
    for (const pid of before) kill(pid);
    const tree = [...new Set([...before, ...processTree(server!.pid)])];
    for (const pid of tree) if (alive(pid)) kill(pid);
    for (let i = 0; i < 100 && tree.some(alive); i++) await new Promise((r) => setTimeout(r, 100));
    expect(tree.filter(alive)).toEqual([]);
    await disconnect().catch(() => {});

    // Started again on the same folder (crash recovery replays the WAL).
    server = await startEmbedded({ dir: path.join(dir, "pg"), database: "crash", persistent: false, fsync: true });
    const c = new pg.Client({ connectionString: server.url });
    await c.connect();
    try {
      const task = await c.query(`SELECT state::text FROM survey_task WHERE id = $1`, [t.id]);
      expect(task.rows[0].state).toBe("DISTRICT_APPROVED");
      const person = await c.query(`SELECT status::text FROM person WHERE id_number = $1`, [idNumber]);
      expect(person.rows[0].status).toBe("REGISTERED_BY_SURVEY");
      const audit = await c.query(`SELECT user_login FROM audit_log WHERE action = 'task.approve' AND entity_id = $1 ORDER BY id`, [String(t.id)]);
      expect(audit.rows.map((r) => r.user_login)).toEqual(["qinglong", "tianning"]);
      const setting = await c.query(`SELECT current_setting('synchronous_commit') AS s, current_setting('fsync') AS f`);
      expect(setting.rows[0]).toEqual({ s: "on", f: "on" });
    } finally {
      await c.end();
    }
  }, 180_000);
});
