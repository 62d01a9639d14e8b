import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnect, pool } from "@/lib/db/client";
import { reasonsUnder } from "@/lib/stats/survey";
import { freshDatabase } from "../../helpers/db";

// statistics.md §3: reasons for not being insured from approved forms, each reason once per person.
// The dashboard reads counters (migration stats_reason_counts) kept by a statement trigger on
// survey_task; after every kind of change they must equal the count made from the tasks and forms
// themselves (per community, then summed), whatever wrote the tasks.

const C1 = "320402002001";
const C2 = "320402002002";
const C3 = "320404001001";

/** The reasons of `prefix` counted from the approved tasks and their forms. */
async function counted(prefix: string): Promise<{ reason: string; persons: number }[]> {
  const { rows } = await pool().query<{ reason: string; persons: number }>(
    `SELECT reason, sum(n)::int AS persons FROM (
       SELECT t.region_code, r.reason, count(DISTINCT t.id_number) AS n
         FROM survey_task t JOIN survey_form f ON f.task_id = t.id
         CROSS JOIN LATERAL jsonb_array_elements_text(f.data -> 'reasons') AS r(reason)
        WHERE t.state = 'DISTRICT_APPROVED' AND starts_with(t.region_code, $1)
        GROUP BY 1, 2) c
      GROUP BY reason ORDER BY persons DESC, reason`,
    [prefix],
  );
  return rows;
}

/** A submitted task with its form, then moved to `state` (a form is written after its task). */
async function task(idNumber: string, region: string, state: string, reasons: string[]): Promise<number> {
  const { rows } = await pool().query<{ id: number }>(
    `INSERT INTO survey_task (id_number, region_code, state, reason, category) VALUES ($1, $2, 'SUBMITTED', 'NOT_INSURED', 'NOT_INSURED') RETURNING id`,
    [idNumber, region],
  );
  await pool().query(`INSERT INTO survey_form (task_id, data, submitted_at) VALUES ($1, $2::jsonb, now())`, [rows[0].id, JSON.stringify({ reasons })]);
  await pool().query(`UPDATE survey_task SET state = $2::"SurveyTaskState" WHERE id = $1`, [rows[0].id, state]);
  return rows[0].id;
}

async function expectCountersRight(): Promise<void> {
  for (const prefix of ["3204", "320402", "320402002", C1, C2, C3]) expect(await reasonsUnder(pool(), prefix), prefix).toEqual(await counted(prefix));
}

beforeAll(async () => {
  await freshDatabase();
});

afterAll(async () => {
  await disconnect();
});

describe("reason counters (stats_reason_count)", () => {
  it("follow approvals one by one and in bulk, each reason once per person in a community", async () => {
    const a = await task("320402199001011234", C1, "STREET_APPROVED", ["UNWILLING", "CANNOT_AFFORD"]);
    const b = await task("320402199001021234", C1, "STREET_APPROVED", ["UNWILLING"]);
    const c = await task("320402199001031234", C2, "SUBMITTED", ["UNWILLING", "UNWILLING"]);
    const d = await task("320404199001041234", C3, "STREET_APPROVED", ["MISSING"]);
    expect(await reasonsUnder(pool(), "3204")).toEqual([]);
    await pool().query(`UPDATE survey_task SET state = 'DISTRICT_APPROVED' WHERE id = $1`, [a]);
    expect(await reasonsUnder(pool(), "3204")).toEqual([
      { reason: "CANNOT_AFFORD", persons: 1 },
      { reason: "UNWILLING", persons: 1 },
    ]);
    await pool().query(`UPDATE survey_task SET state = 'DISTRICT_APPROVED' WHERE id = ANY($1::int[])`, [[b, d]]);
    await pool().query(`UPDATE survey_task SET state = 'STREET_APPROVED' WHERE id = $1`, [c]);
    await pool().query(`UPDATE survey_task SET state = 'DISTRICT_APPROVED' WHERE id = $1`, [c]);
    await expectCountersRight();
    expect(await reasonsUnder(pool(), "320402")).toEqual([
      { reason: "UNWILLING", persons: 3 },
      { reason: "CANNOT_AFFORD", persons: 1 },
    ]);
    expect(await reasonsUnder(pool(), "320404")).toEqual([{ reason: "MISSING", persons: 1 }]);
  });

  it("count a person approved twice in one community once, and follow tasks leaving approval or moving", async () => {
    // a second approved task of the first person (a spot check's new task), giving one more reason
    const again = await task("320402199001011234", C1, "DISTRICT_APPROVED", ["UNWILLING", "COMMERCIAL"]);
    await expectCountersRight();
    expect((await reasonsUnder(pool(), C1)).find((r) => r.reason === "UNWILLING")!.persons).toBe(2);
    // an unrelated bulk update touching approved and other tasks alike changes nothing
    await pool().query(`UPDATE survey_task SET updated_at = now()`);
    await expectCountersRight();
    // leaving DISTRICT_APPROVED (settled by a run) takes the task's reasons away, not the person's other task's
    await pool().query(`UPDATE survey_task SET state = 'SETTLED' WHERE id = $1`, [again]);
    await expectCountersRight();
    expect((await reasonsUnder(pool(), C1)).find((r) => r.reason === "COMMERCIAL")).toBeUndefined();
    expect((await reasonsUnder(pool(), C1)).find((r) => r.reason === "UNWILLING")!.persons).toBe(2);
    // a task moved to another community moves its counts
    await pool().query(`UPDATE survey_task SET region_code = $2 WHERE region_code = $1 AND state = 'DISTRICT_APPROVED' AND id_number = '320402199001021234'`, [C1, C2]);
    await expectCountersRight();
  });

  it("follow deleted approved tasks", async () => {
    await pool().query(`DELETE FROM survey_task WHERE region_code = $1`, [C3]);
    await expectCountersRight();
    expect(await reasonsUnder(pool(), "320404")).toEqual([]);
  });
});
