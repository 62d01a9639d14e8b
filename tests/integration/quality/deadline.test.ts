import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runComparison } from "@/lib/comparison/run";
import { ZStartComparison } from "@/lib/comparison/schema";
import type { Actor } from "@/lib/policy";
import { getDeadline, setDeadline } from "@/lib/quality/assessment";
import { freshDatabase } from "../../helpers/db";
import { COMMUNITY_A, db, newId, population, seedRegions } from "../comparison/fixture";

// 考核: the city sets the survey deadline when it publishes a run's tasks (the comparison run that
// creates them), stored in run_deadline with the run and audited; /assessment moves it later.

const city: Actor = { id: 1, login: "city", role: "CITY_STAFF", regionCode: "3204" };
let c: pg.Client;

beforeAll(async () => {
  await freshDatabase();
  c = await db();
  await seedRegions(c);
  await population(c, [{ id: newId("19800101"), hukou: COMMUNITY_A }]);
});
afterAll(async () => c.end());

async function audits(runId: number) {
  const { rows } = await c.query<{ action: string; user_login: string | null; detail: { deadline: string } }>(
    `SELECT action, user_login, detail FROM audit_log WHERE action = 'assessment.deadline' AND entity_id = $1 ORDER BY id`,
    [String(runId)],
  );
  return rows;
}

describe("the survey deadline of a run's tasks", () => {
  it("the start form takes an optional deadline after the as-of date, with a Chinese message otherwise", () => {
    expect(ZStartComparison.parse({ asOf: "2026-11-25", deadline: "" }).deadline).toBeUndefined();
    expect(ZStartComparison.parse({ asOf: "2026-11-25", deadline: "2026-12-20" }).deadline).toBe("2026-12-20");
    const early = ZStartComparison.safeParse({ asOf: "2026-11-25", deadline: "2026-11-25" });
    expect(early.success).toBe(false);
    expect(early.error?.issues[0]).toMatchObject({ path: ["deadline"], message: "msg:comparison.deadlineBeforeAsOf" });
    expect(ZStartComparison.safeParse({ asOf: "2026-11-25", deadline: "2026-02-30" }).success).toBe(false);
  });

  it("is stored and audited with the run that publishes the tasks, and moved on /assessment", async () => {
    const without = (await runComparison({ asOf: "2026-11-25", startedBy: { id: city.id, login: city.login } })).runId;
    expect(await getDeadline(without)).toBeNull();
    expect(await audits(without)).toEqual([]);

    const runId = (await runComparison({ asOf: "2026-11-26", deadline: "2026-12-20", startedBy: { id: city.id, login: city.login } })).runId;
    expect(await getDeadline(runId)).toBe("2026-12-20");
    expect(await audits(runId)).toMatchObject([{ user_login: "city", detail: { deadline: "2026-12-20" } }]);

    await setDeadline(city, { run: runId, deadline: "2026-12-31" });
    expect(await getDeadline(runId)).toBe("2026-12-31");
    expect((await audits(runId)).map((a) => a.detail.deadline)).toEqual(["2026-12-20", "2026-12-31"]);
  });
});
