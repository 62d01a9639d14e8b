import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { exportResults } from "@/lib/comparison/export";
import { attachPartitionTable, createPartitionTable, RESULT_PARTITIONS } from "@/lib/db/partitions";
import { runComparison } from "@/lib/comparison/run";
import { freshDatabase } from "../../helpers/db";
import { COMMUNITY_A, COMMUNITY_B, COMMUNITY_C, db, department, enrolment, newId, ownerDb, population, resident, retireAll, seedRegions } from "./fixture";

// comparison-rules.md §6: what a run produces besides the result rows (export, counts, diff, survey
// tasks, the registry), and that a failed or cancelled run leaves the previous results intact.

const AS_OF = "2026-11-25";
let c: pg.Client;

beforeAll(async () => {
  await freshDatabase();
  c = await db();
  await seedRegions(c);
});
afterAll(async () => c.end());
beforeEach(async () => {
  await retireAll(c);
  await c.query(`UPDATE survey_task SET state = 'SETTLED' WHERE state <> 'SETTLED'`);
});

async function tasksOf(id: string) {
  const { rows } = await c.query<{ id: number; state: string; region_code: string; category: string; flags: string[]; created_run_id: number; updated_run_id: number; version: number }>(
    `SELECT id, state::text, region_code, category, flags, created_run_id, updated_run_id, version FROM survey_task WHERE id_number = $1 ORDER BY id`,
    [id],
  );
  return rows;
}

async function personOf(id: string) {
  const { rows } = await c.query<{ status: string; category: string; last_run_id: number; name: string; survey_region_code: string | null }>(
    `SELECT status::text, category, last_run_id, name, survey_region_code FROM person WHERE id_number = $1`,
    [id],
  );
  return rows[0];
}

describe("results export (import-formats.md)", () => {
  it("is UTF-8 with BOM, the exact header, sorted ;-joined flags and schemes, empty fields empty, rows by ID, quoting as RFC 4180", async () => {
    const a = newId("19900101");
    const b = newId("19800101");
    const child = newId("20200101");
    await population(c, [
      { id: child, name: "王五" },
      { id: a, name: "张,三", hukou: COMMUNITY_B },
      { id: b, name: '李"四', gender: "2" },
    ]);
    await enrolment(c, [...resident(a), { id: b, scheme: "390", name: '李"四' }], "张,三");
    const s = await runComparison({ asOf: AS_OF });
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cmp-export-")), "results.csv");
    const r = await exportResults("latest", out);
    expect(r).toEqual({ runId: s.runId, rows: 3 });
    const bytes = fs.readFileSync(out);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const sorted = [a, b, child].sort();
    expect(sorted).toEqual([b, a, child]);
    const lines: Record<string, string> = {
      [a]: `${a},"张,三",CONFIRMED,,,`,
      [b]: `${b},"李""四",INFO_ERROR,gender_mismatch;no_pension,170,${COMMUNITY_A}`,
      [child]: `${child},王五,NOT_INSURED,no_medical,390,${COMMUNITY_A}`,
    };
    expect(bytes.toString("utf8")).toBe(`\uFEFFid_number,name,category,flags,missing_schemes,region_code\n${sorted.map((id) => `${lines[id]}\n`).join("")}`);
  });

  it("refuses an unknown or unfinished run", async () => {
    await expect(exportResults(99999, path.join(os.tmpdir(), "never.csv"))).rejects.toThrow(/no finished comparison run/);
    await expect(exportResults("abc", path.join(os.tmpdir(), "never.csv"))).rejects.toThrow(/run id/);
  });
});

describe("counts per category × region × scheme", () => {
  it("count every person at the city level and those with a known community at district, street and community", async () => {
    const a = newId("19800101");
    const b = newId("19800101");
    const d = newId("19800101");
    const e = newId("19800101");
    await population(c, [{ id: a, hukou: COMMUNITY_A }, { id: b, hukou: COMMUNITY_B }, { id: d, hukou: COMMUNITY_C }, { id: e, hukou: "" }]);
    await enrolment(c, [{ id: a, scheme: "390" }, { id: b, scheme: "390" }, ...resident(d), ...resident(e)]);
    const s = await runComparison({ asOf: AS_OF });
    const { rows } = await c.query<{ level: string; region_code: string; category: string; scheme: string; persons: number; insured: number; missing: number }>(
      `SELECT level::text, region_code, category, scheme, persons, insured, missing FROM comparison_count WHERE run_id = $1 AND scheme IN ('', '170', '390') ORDER BY region_code, category, scheme`,
      [s.runId],
    );
    const get = (code: string, cat: string, scheme = "") => rows.find((r) => r.region_code === code && r.category === cat && r.scheme === scheme);
    expect(get("3204", "PARTIAL")).toMatchObject({ level: "CITY", persons: 2, insured: 2, missing: 2 });
    expect(get("3204", "PARTIAL", "170")).toMatchObject({ persons: 2, insured: 0, missing: 2 });
    expect(get("3204", "PARTIAL", "390")).toMatchObject({ persons: 2, insured: 2, missing: 0 });
    expect(get("3204", "INFO_ERROR")).toMatchObject({ persons: 1 });
    expect(get("3204", "CONFIRMED")).toMatchObject({ persons: 1 });
    expect(get("320402", "PARTIAL")).toMatchObject({ level: "DISTRICT", persons: 2 });
    expect(get("320402001", "PARTIAL")).toMatchObject({ level: "STREET", persons: 2 });
    expect(get(COMMUNITY_A, "PARTIAL")).toMatchObject({ level: "COMMUNITY", persons: 1 });
    expect(get("320404", "CONFIRMED")).toMatchObject({ persons: 1 });
    expect(get("320404", "INFO_ERROR")).toBeUndefined();
    const { rows: totals } = await c.query<{ n: number }>(`SELECT sum(persons)::int AS n FROM comparison_count WHERE run_id = $1 AND level = 'CITY' AND scheme = ''`, [s.runId]);
    expect(totals[0].n).toBe(4);
  });
});

describe("diff, survey tasks and the registry across runs", () => {
  it("opens tasks for persons needing a survey, keeps open ones with the reason updated, settles the rest, and diffs the runs", async () => {
    const a = newId("19800101");
    const b = newId("19800101");
    const x = newId("19800101");
    const p1 = await population(c, [{ id: a }, { id: b, hukou: COMMUNITY_C }, { id: x, status: "deceased" }]);
    const e1 = await enrolment(c, resident(b));
    const r1 = await runComparison({ asOf: AS_OF });
    expect(r1.tasks).toEqual({ created: 1, kept: 0, settled: 0 });
    expect(await tasksOf(a)).toMatchObject([{ state: "PENDING", region_code: COMMUNITY_A, category: "NOT_INSURED", created_run_id: r1.runId, version: 1 }]);
    expect(await tasksOf(b)).toEqual([]);
    expect(await personOf(a)).toMatchObject({ status: "NEEDS_SURVEY", category: "NOT_INSURED", last_run_id: r1.runId, survey_region_code: COMMUNITY_A });
    expect(await personOf(b)).toMatchObject({ status: "CONFIRMED_BY_COMPARISON", category: "CONFIRMED" });
    expect(await personOf(x)).toMatchObject({ status: "EXCLUDED" });

    // The street assigned a's task; a is now insured for medical only (still needs a survey).
    await c.query(`UPDATE survey_task SET state = 'ASSIGNED' WHERE id_number = $1`, [a]);
    const n = newId("19800101");
    await c.query(`UPDATE import_batch SET status = 'RETIRED' WHERE id IN ($1, $2)`, [p1, e1]);
    await population(c, [{ id: a }, { id: b, hukou: COMMUNITY_C }, { id: n }]);
    await enrolment(c, [{ id: a, scheme: "390" }, { id: b, scheme: "390" }, ...resident(n)]);
    const r2 = await runComparison({ asOf: AS_OF });
    expect(r2.tasks).toEqual({ created: 1, kept: 1, settled: 0 });
    expect(await tasksOf(a)).toMatchObject([{ state: "ASSIGNED", category: "PARTIAL", created_run_id: r1.runId, updated_run_id: r2.runId, version: 2 }]);
    expect(await tasksOf(b)).toMatchObject([{ state: "PENDING", region_code: COMMUNITY_C, category: "PARTIAL" }]);
    expect(r2.diff).toEqual({ NEW: 1, GONE: 1, CHANGED: 2 });
    const { rows: diff } = await c.query(`SELECT id_number, change::text, old_category, new_category FROM comparison_diff WHERE run_id = $1 ORDER BY id_number`, [r2.runId]);
    expect(diff).toEqual(
      [
        { id_number: a, change: "CHANGED", old_category: "NOT_INSURED", new_category: "PARTIAL" },
        { id_number: b, change: "CHANGED", old_category: "CONFIRMED", new_category: "PARTIAL" },
        { id_number: x, change: "GONE", old_category: "EXCLUDED", new_category: null },
        { id_number: n, change: "NEW", old_category: null, new_category: "CONFIRMED" },
      ].sort((p, q) => (p.id_number < q.id_number ? -1 : 1)),
    );

    // a becomes fully insured and b was registered by survey: a's task is settled, b stays registered.
    await c.query(`UPDATE person SET status = 'REGISTERED_BY_SURVEY' WHERE id_number = $1`, [b]);
    await c.query(`UPDATE survey_task SET state = 'DISTRICT_APPROVED' WHERE id_number = $1`, [b]);
    await enrolment(c, [{ id: a, scheme: "170" }, { id: b, scheme: "170" }]);
    const r3 = await runComparison({ asOf: AS_OF });
    expect(r3.tasks).toEqual({ created: 0, kept: 0, settled: 1 });
    expect(await tasksOf(a)).toMatchObject([{ state: "SETTLED", updated_run_id: r3.runId, version: 3 }]);
    expect(await personOf(a)).toMatchObject({ status: "CONFIRMED_BY_COMPARISON", category: "CONFIRMED" });
    expect(await personOf(b)).toMatchObject({ status: "REGISTERED_BY_SURVEY", category: "CONFIRMED", last_run_id: r3.runId });

    // a later comparison that finds a new problem for b opens a new task
    await department(c, [{ id: b, kind: "student" }]);
    await enrolment(c, [{ id: b, scheme: "310" }]);
    const starter = (await c.query<{ id: number }>(`INSERT INTO app_user (login, real_name, password_hash, role, region_code) VALUES ('cmp-starter', '比对员', 'x', 'CITY_STAFF', '3204') RETURNING id`)).rows[0].id;
    const r4 = await runComparison({ asOf: AS_OF, startedBy: { id: starter, login: "cmp-starter" } });
    expect(r4.tasks.created).toBe(1);
    expect(await personOf(b)).toMatchObject({ status: "NEEDS_SURVEY", category: "DUPLICATE" });
    // …and the registry's history says why (domain.md "The registry")
    const history = async (id: string) =>
      (await c.query(`SELECT field, old_value, new_value, reason, changed_by_id FROM person_history WHERE id_number = $1 ORDER BY id`, [id])).rows;
    expect(await history(b)).toEqual([
      { field: "status", old_value: "CONFIRMED_BY_COMPARISON", new_value: "NEEDS_SURVEY", reason: `数据比对 #${r2.runId}`, changed_by_id: null },
      { field: "category", old_value: "CONFIRMED", new_value: "PARTIAL", reason: `数据比对 #${r2.runId}`, changed_by_id: null },
      // with a change of status, the flags and missing schemes that changed too
      { field: "flags", old_value: "", new_value: "no_pension", reason: `数据比对 #${r2.runId}`, changed_by_id: null },
      { field: "missing_schemes", old_value: "", new_value: "170", reason: `数据比对 #${r2.runId}`, changed_by_id: null },
      { field: "category", old_value: "PARTIAL", new_value: "CONFIRMED", reason: `数据比对 #${r3.runId}`, changed_by_id: null },
      { field: "status", old_value: "REGISTERED_BY_SURVEY", new_value: "NEEDS_SURVEY", reason: `数据比对 #${r4.runId}`, changed_by_id: starter },
      { field: "category", old_value: "CONFIRMED", new_value: "DUPLICATE", reason: `数据比对 #${r4.runId}`, changed_by_id: starter },
      { field: "flags", old_value: "", new_value: "dup_medical", reason: `数据比对 #${r4.runId}`, changed_by_id: starter },
    ]);
    const { rows: audit } = await c.query(`SELECT entity_id FROM audit_log WHERE action = 'comparison.run' AND entity_id::int >= $1 ORDER BY id`, [r1.runId]);
    expect(audit.map((r) => r.entity_id)).toEqual([r1, r2, r3, r4].map((r) => String(r.runId)));
  });

  it("a person registered by survey stays registered while later runs agree; a new problem reopens the survey", async () => {
    const d = newId("19800101");
    await population(c, [{ id: d }]);
    const r1 = await runComparison({ asOf: AS_OF });
    expect(await personOf(d)).toMatchObject({ status: "NEEDS_SURVEY", category: "NOT_INSURED", last_run_id: r1.runId });
    // the survey found d not insured (and recorded why); the district approved it
    await c.query(`UPDATE person SET status = 'REGISTERED_BY_SURVEY' WHERE id_number = $1`, [d]);
    await c.query(`UPDATE survey_task SET state = 'DISTRICT_APPROVED' WHERE id_number = $1`, [d]);

    // the next run finds the same: d stays registered, no task opens, nothing is written for d
    const r2 = await runComparison({ asOf: AS_OF });
    expect(r2.tasks.created).toBe(0);
    expect(await tasksOf(d)).toMatchObject([{ state: "DISTRICT_APPROVED" }]);
    expect(await personOf(d)).toMatchObject({ status: "REGISTERED_BY_SURVEY", category: "NOT_INSURED", last_run_id: r1.runId });

    // a run that finds something new (d is now insured for medical only: PARTIAL) reopens it
    await enrolment(c, [{ id: d, scheme: "390" }]);
    const r3 = await runComparison({ asOf: AS_OF });
    expect(r3.tasks.created).toBe(1);
    expect(await tasksOf(d)).toMatchObject([{ state: "DISTRICT_APPROVED" }, { state: "PENDING", category: "PARTIAL", created_run_id: r3.runId }]);
    expect(await personOf(d)).toMatchObject({ status: "NEEDS_SURVEY", category: "PARTIAL", last_run_id: r3.runId });
    const { rows: history } = await c.query(`SELECT field, old_value, new_value, reason FROM person_history WHERE id_number = $1 ORDER BY id`, [d]);
    expect(history).toEqual([
      { field: "status", old_value: "REGISTERED_BY_SURVEY", new_value: "NEEDS_SURVEY", reason: `数据比对 #${r3.runId}` },
      { field: "category", old_value: "NOT_INSURED", new_value: "PARTIAL", reason: `数据比对 #${r3.runId}` },
      { field: "flags", old_value: "no_medical;no_pension", new_value: "no_pension", reason: `数据比对 #${r3.runId}` },
      { field: "missing_schemes", old_value: "170;390", new_value: "170", reason: `数据比对 #${r3.runId}` },
    ]);
  });

  it("a run that brings more new persons than the registry holds rebuilds the registry's indexes as they were", async () => {
    const indexes = async () =>
      (await c.query<{ oid: number; def: string }>(`SELECT indexrelid::int AS oid, pg_get_indexdef(indexrelid) AS def FROM pg_index WHERE indrelid = 'person'::regclass ORDER BY 2`)).rows;
    const held = (await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM person`)).rows[0].n;
    const before = await indexes();
    const ids = Array.from({ length: 2 * held + 3 }, () => newId("19800101"));
    await population(c, ids.map((id) => ({ id })));
    const r = await runComparison({ asOf: AS_OF });
    const after = await indexes();
    expect(after.map((i) => i.def)).toEqual(before.map((i) => i.def));
    expect(after.map((i) => i.oid)).not.toEqual(before.map((i) => i.oid)); // built again, not kept
    expect(await personOf(ids[0])).toMatchObject({ status: "NEEDS_SURVEY", category: "NOT_INSURED", last_run_id: r.runId });
    expect((await c.query(`SELECT count(*)::int AS n FROM person`)).rows[0].n).toBe(held + ids.length);
    // a run with few new persons keeps them
    await population(c, [{ id: newId("19800101") }]);
    await runComparison({ asOf: AS_OF });
    expect((await indexes()).map((i) => i.oid)).toEqual(after.map((i) => i.oid));
  });

  it("a repeated run over the same data writes no registry row (version and run kept)", async () => {
    const id = newId("19800101");
    await population(c, [{ id }]);
    const r1 = await runComparison({ asOf: AS_OF });
    const before = (await c.query(`SELECT last_run_id, version, updated_at FROM person WHERE id_number = $1`, [id])).rows[0];
    expect(before.last_run_id).toBe(r1.runId);
    await runComparison({ asOf: AS_OF });
    expect((await c.query(`SELECT last_run_id, version, updated_at FROM person WHERE id_number = $1`, [id])).rows[0]).toEqual(before);
    // a change of basic data in the population batch is written, and only then
    await retireAll(c);
    await population(c, [{ id, phone: "13900000000" }]);
    const r3 = await runComparison({ asOf: AS_OF });
    expect((await c.query(`SELECT last_run_id, version, phone FROM person WHERE id_number = $1`, [id])).rows[0]).toEqual({ last_run_id: r3.runId, version: before.version + 1, phone: "13900000000" });
  });

  it("a person needing a survey without a known community gets no task", async () => {
    const id = newId("19800101");
    await population(c, [{ id, hukou: "" }]);
    const r = await runComparison({ asOf: AS_OF });
    expect(await tasksOf(id)).toEqual([]);
    expect(await personOf(id)).toMatchObject({ status: "NEEDS_SURVEY", category: "INFO_ERROR", last_run_id: r.runId });
  });
});

describe("a failed or cancelled run", () => {
  async function snapshot(runId: number) {
    const q = async (sql: string, params: unknown[] = []) => JSON.stringify((await c.query(sql, params)).rows);
    return {
      results: await q(`SELECT * FROM comparison_result WHERE run_id = $1 ORDER BY id_number`, [runId]),
      persons: await q(`SELECT id_number, category, flags, status, last_run_id, version FROM person ORDER BY id_number`),
      tasks: await q(`SELECT id, id_number, state, category, version FROM survey_task ORDER BY id`),
      counts: await q(`SELECT count(*) FROM comparison_count`),
      invalid: await q(`SELECT count(*) FROM comparison_invalid_row`),
      diff: await q(`SELECT count(*) FROM comparison_diff`),
    };
  }

  async function prepare() {
    const a = newId("19800101");
    const b = newId("19800101");
    await population(c, [{ id: a }, { id: b }, { id: "bad" }]);
    await enrolment(c, resident(b));
    const r1 = await runComparison({ asOf: AS_OF });
    await enrolment(c, resident(a));
    await population(c, [{ id: newId("19900101") }]);
    return r1;
  }

  /** Runs `check` while every INSERT (or COPY) into `table` fails with `message`. */
  async function failingInserts(table: string, message: string, check: () => Promise<unknown>): Promise<void> {
    // Only the tables' owner may add a trigger (the application's role may not).
    const owner = await ownerDb();
    try {
      await owner.query(`CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '${message}'; END $$`);
      await owner.query(`CREATE TRIGGER boom BEFORE INSERT ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION boom()`);
      try {
        await check();
      } finally {
        await owner.query(`DROP TRIGGER boom ON ${table}`);
        await owner.query(`DROP FUNCTION boom()`);
      }
    } finally {
      await owner.end();
    }
  }

  it("cancelled half way (pg_cancel_backend while it waits on the registry) leaves the previous results, registry and tasks intact", async () => {
    const r1 = await prepare();
    const before = await snapshot(r1.runId);
    const blocker = await db();
    await blocker.query("BEGIN");
    await blocker.query("LOCK TABLE person IN ACCESS EXCLUSIVE MODE");
    let cancelled = false;
    const run = runComparison({
      asOf: AS_OF,
      onProgress: (p) => {
        if (p.label !== "survey tasks") return; // the first step that reads the registry (08-tasks.sql)
        void (async () => {
          // wait until the run blocks on the locked registry, then cancel its query
          for (let i = 0; i < 200 && !cancelled; i++) {
            const { rows } = await c.query(`SELECT wait_event_type FROM pg_stat_activity WHERE pid = $1`, [p.backendPid]);
            if (rows[0]?.wait_event_type === "Lock") {
              cancelled = (await c.query(`SELECT pg_cancel_backend($1) AS ok`, [p.backendPid])).rows[0].ok;
              break;
            }
            await new Promise((r) => setTimeout(r, 25));
          }
        })();
      },
    });
    await expect(run).rejects.toThrow(/cancel/i);
    await blocker.query("ROLLBACK");
    await blocker.end();
    expect(cancelled).toBe(true);
    const { rows } = await c.query(`SELECT status::text, error FROM comparison_run WHERE id = (SELECT max(id) FROM comparison_run)`);
    expect(rows[0].status).toBe("FAILED");
    expect(rows[0].error).toMatch(/cancel/i);
    expect(await snapshot(r1.runId)).toEqual(before);
    // the next run works, and diffs against the last finished run
    const r3 = await runComparison({ asOf: AS_OF });
    const { rows: prev } = await c.query(`SELECT previous_run_id FROM comparison_run WHERE id = $1`, [r3.runId]);
    expect(prev[0].previous_run_id).toBe(r1.runId);
  });

  it("a failure on the connection that writes the result rows fails the run and leaves nothing of it", async () => {
    const r1 = await prepare();
    const before = await snapshot(r1.runId);
    // the run's result partition cannot be created: a table of that name is in the way
    const next = (await c.query(`SELECT last_value + 1 AS id FROM comparison_run_id_seq`)).rows[0].id;
    await c.query(`CREATE TABLE comparison_result_${next} (x int)`);
    try {
      await expect(runComparison({ asOf: AS_OF })).rejects.toThrow(/comparison_result_\d+" already exists/);
    } finally {
      await c.query(`DROP TABLE comparison_result_${next}`);
    }
    const { rows } = await c.query(`SELECT id, status::text FROM comparison_run WHERE id = (SELECT max(id) FROM comparison_run)`);
    expect(rows[0]).toEqual({ id: Number(next), status: "FAILED" });
    expect((await c.query(`SELECT count(*)::int AS n FROM comparison_result WHERE run_id = $1`, [rows[0].id])).rows[0].n).toBe(0);
    expect(await snapshot(r1.runId)).toEqual(before);
  });

  it("a failure on the connection that writes the new survey tasks fails the run and leaves nothing of it", async () => {
    const r1 = await prepare();
    const before = await snapshot(r1.runId);
    await failingInserts("survey_task", "tasks disk full (simulated)", () => expect(runComparison({ asOf: AS_OF })).rejects.toThrow(/tasks disk full/));
    const { rows } = await c.query(`SELECT id, status::text FROM comparison_run WHERE id = (SELECT max(id) FROM comparison_run)`);
    expect(rows[0].status).toBe("FAILED");
    expect(await snapshot(r1.runId)).toEqual(before);
  });

  it("result rows and tasks of a run that died between its two commits are removed by the next run", async () => {
    await prepare();
    const dead = (await c.query(`INSERT INTO comparison_run (as_of, basis, city_code, status) VALUES ($1, 'hukou', '3204', 'RUNNING') RETURNING id`, [AS_OF])).rows[0].id;
    await createPartitionTable(c, RESULT_PARTITIONS, dead);
    await attachPartitionTable(c, RESULT_PARTITIONS, dead);
    await c.query(`INSERT INTO comparison_result (run_id, id_number, name, category, non_local, age) VALUES ($1, '320402198001010011', '甲', 'CONFIRMED', false, 45)`, [dead]);
    await c.query(
      `INSERT INTO survey_task (id_number, region_code, reason, category, created_run_id, updated_run_id) VALUES ('320402198001010011', $2, 'NOT_INSURED', 'NOT_INSURED', $1, $1)`,
      [dead, COMMUNITY_A],
    );
    const r = await runComparison({ asOf: AS_OF });
    const { rows } = await c.query(`SELECT status::text FROM comparison_run WHERE id = $1`, [dead]);
    expect(rows[0].status).toBe("FAILED");
    expect((await c.query(`SELECT count(*)::int AS n FROM comparison_result WHERE run_id = $1`, [dead])).rows[0].n).toBe(0);
    expect((await c.query(`SELECT count(*)::int AS n FROM survey_task WHERE created_run_id = $1`, [dead])).rows[0].n).toBe(0);
    expect((await c.query(`SELECT count(*)::int AS n FROM comparison_result WHERE run_id = $1`, [r.runId])).rows[0].n).toBe(r.persons);
  });

  it("an error mid-run (after results were written) rolls everything back and marks the run FAILED", async () => {
    const r1 = await prepare();
    const before = await snapshot(r1.runId);
    await failingInserts("comparison_diff", "disk full (simulated)", () => expect(runComparison({ asOf: AS_OF })).rejects.toThrow(/disk full/));
    const { rows } = await c.query(`SELECT status::text, error FROM comparison_run WHERE id = (SELECT max(id) FROM comparison_run)`);
    expect(rows[0]).toMatchObject({ status: "FAILED" });
    expect(rows[0].error).toMatch(/disk full/);
    expect(await snapshot(r1.runId)).toEqual(before);
  });
});
