import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanFilter, diffCounts, listResults, listRuns, regionCounts } from "@/lib/comparison/queries";
import { runComparison } from "@/lib/comparison/run";
import type { Actor } from "@/lib/policy";
import { freshDatabase } from "../../helpers/db";
import { COMMUNITY_A, COMMUNITY_C, db, enrolment, newId, population, seedRegions } from "./fixture";

// The run pages' reads are scoped by the actor's region: a district sees its own persons only,
// a region outside the post is "not found", lists mask IDs and phones.

const city: Actor = { id: 1, login: "city", role: "CITY_STAFF", regionCode: "3204" };
const tianning: Actor = { id: 2, login: "tianning", role: "DISTRICT_REVIEWER", regionCode: "320402" };
const zhonglou: Actor = { id: 3, login: "zhonglou", role: "DISTRICT_REVIEWER", regionCode: "320404" };
const admin: Actor = { id: 4, login: "admin", role: "SYSTEM_ADMIN", regionCode: null };
let c: pg.Client;
let runId: number;
const a = newId("19800101");
const b = newId("19800101");
const nonLocal = newId("19800101");

beforeAll(async () => {
  await freshDatabase();
  c = await db();
  await seedRegions(c);
  await population(c, [{ id: a, hukou: COMMUNITY_A, phone: "13812345678" }, { id: b, hukou: COMMUNITY_C }]);
  await enrolment(c, [{ id: b, scheme: "390" }, { id: nonLocal, scheme: "390" }]);
  runId = (await runComparison({ asOf: "2026-11-25" })).runId;
});
afterAll(async () => c.end());

describe("comparison reads are scoped by region", () => {
  it("the city sees everyone, including persons without a survey region; a district only its own", async () => {
    expect((await listResults(city, runId, {}, 0)).total).toBe(3);
    const t = await listResults(tianning, runId, {}, 0);
    expect(t.rows.map((r) => r.idNumber)).toEqual([a]);
    expect((await listResults(zhonglou, runId, {}, 0)).rows.map((r) => r.idNumber)).toEqual([b]);
  });

  it("lists mask the ID number and the phone", async () => {
    const [row] = (await listResults(tianning, runId, {}, 0)).rows;
    expect(row.maskedId).toBe(`${a.slice(0, 6)}********${a.slice(-4)}`);
    expect(row.phone).toBe("138****5678");
  });

  it("filters by category, flag, missing scheme and region", async () => {
    expect((await listResults(city, runId, cleanFilter({ category: "NOT_INSURED" }), 0)).rows.map((r) => r.idNumber)).toEqual([a]);
    expect((await listResults(city, runId, cleanFilter({ flag: "non_local" }), 0)).rows.map((r) => r.idNumber)).toEqual([nonLocal]);
    expect((await listResults(city, runId, cleanFilter({ scheme: "170", region: "320404" }), 0)).rows.map((r) => r.idNumber)).toEqual([b]);
    expect(cleanFilter({ category: "DROP TABLE", flag: "x", scheme: "999", region: "abc" })).toEqual({});
  });

  it("counts by region drill down from the actor's region; another district's region is not found", async () => {
    const { region, children } = await regionCounts(city, runId);
    expect(region.total).toBe(3);
    expect(children.map((ch) => [ch.code, ch.total])).toEqual([
      ["320402", 1],
      ["320404", 1],
    ]);
    expect((await regionCounts(tianning, runId)).region.byCategory.NOT_INSURED).toBe(1);
    await expect(regionCounts(tianning, runId, "320404")).rejects.toThrow(/not found/);
    await expect(listResults(tianning, runId, { region: "320404001" }, 0)).rejects.toThrow(/not found/);
  });

  it("the persons behind the diff: new and changed from the run, gone from the previous run, scoped", async () => {
    // nonLocal was in scope only through the enrolment batch; without it they are gone, and b changes
    await c.query(`UPDATE import_batch SET status = 'RETIRED' WHERE kind = 'enrolment'`);
    const second = (await runComparison({ asOf: "2026-11-25" })).runId;
    const gone = await listResults(city, second, cleanFilter({ change: "GONE" }), 0);
    expect(gone.rows.map((r) => [r.idNumber, r.category])).toEqual([[nonLocal, "PARTIAL"]]);
    expect((await listResults(city, second, cleanFilter({ change: "CHANGED" }), 0)).rows.map((r) => r.idNumber)).toEqual([b]);
    // the gone person had no survey region: the city sees them, a district does not
    expect((await listResults(tianning, second, cleanFilter({ change: "GONE" }), 0)).total).toBe(0);
    expect(await diffCounts(city, second)).toEqual({ GONE: 1, CHANGED: 1 });
  });

  it("the system administrator sees no run and no person", async () => {
    await expect(listRuns(admin)).rejects.toThrow(/not allowed/);
    await expect(listResults(admin, runId, {}, 0)).rejects.toThrow(/not allowed/);
    await expect(diffCounts(admin, runId)).rejects.toThrow(/not allowed/);
  });
});
