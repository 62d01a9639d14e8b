import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runComparison } from "@/lib/comparison/run";
import { prisma } from "@/lib/db/client";
import { type Actor } from "@/lib/policy";
import { printCommunityForms, printPersonForm, printTaskForm } from "@/lib/survey/print";
import { freshDatabase } from "../helpers/db";
import { COMMUNITY_A, COMMUNITY_C, db, elsewhere, enrolment, newId, population, seedRegions } from "./comparison/fixture";

// The printed registration form's per-scheme table and rights notice (权益告知, seed 003 附件 and its
// 第三条), from the comparison's active and missing schemes and the active enrolment records.

const city: Actor = { id: 1, login: "city", role: "CITY_STAFF", regionCode: "3204" };
const otherDistrict: Actor = { id: 2, login: "zhonglou", role: "DISTRICT_REVIEWER", regionCode: "320404" };

let c: pg.Client;
const employee = newId("19800101", "2"); // 110 + 310 with an employer: the employee set applies, 210 / 410 / 510 missing
const nobody = newId("19900101"); // nothing at all: NOT_INSURED, 170 and 390 missing
const retired = newId("19500101"); // a pension benefit (110, terminated) and 390
const twice = newId("19850101"); // 170 here, 110 in another province: dup_pension

beforeAll(async () => {
  await freshDatabase();
  c = await db();
  await seedRegions(c);
  await population(c, [{ id: employee, name: "李芳" }, { id: nobody, name: "王强" }, { id: retired, name: "赵老" }, { id: twice, name: "钱二" }]);
  await enrolment(c, [
    { id: employee, scheme: "110", employer: "常州市某某机械有限公司" },
    { id: employee, scheme: "310", employer: "常州市某某机械有限公司" },
    { id: employee, scheme: "110", status: 3, employer: "早先的单位" },
    { id: retired, scheme: "110", status: 3, benefit: true },
    { id: retired, scheme: "390" },
    { id: twice, scheme: "170" },
    { id: twice, scheme: "390" },
  ]);
  await elsewhere(c, [{ id: twice, scheme: "110", region: "440305" }]);
  // first enrolment: the earliest start date of the scheme's records
  await c.query(`UPDATE enrolment_record SET start_date = CASE WHEN status = 3 THEN date '2009-03-01' ELSE date '2015-07-01' END WHERE id_number = $1`, [employee]);
  await runComparison({ asOf: "2026-11-25" });
});
afterAll(async () => c.end());

describe("the printed form's per-scheme table and rights notice", () => {
  it("an employee: the employer has enrolled them in 110 and 310 and should add 210, 410, 510", async () => {
    const task = await prisma().surveyTask.findFirstOrThrow({ where: { idNumber: employee } });
    const form = await printTaskForm(city, task.id);
    expect(form.schemes.map((r) => r.scheme)).toEqual(["110", "310", "210", "410", "510", "170", "390", "120"]);
    // the current record (active, 2015) with its employer; the first enrolment from the terminated one (2009)
    expect(form.schemes[0]).toEqual({ group: "employee", scheme: "110", status: 1, firstDate: "2009-03-01", unit: "常州市某某机械有限公司", place: { kind: "city", name: null } });
    expect(form.schemes.find((r) => r.scheme === "210")).toMatchObject({ status: null, unit: null, place: null });
    expect(form.rights).toEqual({ unitHas: ["110", "310"], unitShould: ["210", "410", "510"], personalCan: [], personalHas: [], benefit: false, anyActive: true });
  });

  it("nobody enrolled: may join the resident schemes on their own", async () => {
    const form = await printPersonForm(city, nobody);
    expect(form.schemes.every((r) => r.status === null)).toBe(true);
    expect(form.rights).toMatchObject({ unitHas: [], unitShould: [], personalCan: ["170", "390"], anyActive: false });
  });

  it("a pension benefit counts as active (the notice says so); a record elsewhere shows its province", async () => {
    const r = await printPersonForm(city, retired);
    expect(r.rights.benefit).toBe(true);
    expect(r.schemes.find((s) => s.scheme === "110")?.status).toBe(1);
    expect(r.rights.personalHas).toEqual(["390"]);
    const t = await printPersonForm(city, twice);
    expect(t.schemes.find((s) => s.scheme === "110")).toMatchObject({ status: 1, place: { kind: "outOfProvince" } });
    expect(t.schemes.find((s) => s.scheme === "170")).toMatchObject({ status: 1, place: { kind: "city" } });
  });

  it("a community's batch carries each person's own table, in one pass; scope still applies", async () => {
    const batch = await printCommunityForms(city, COMMUNITY_A);
    const byId = new Map(batch.forms.map((f) => [f.idNumber, f]));
    expect(byId.get(employee)?.rights.unitShould).toEqual(["210", "410", "510"]);
    expect(byId.get(nobody)?.rights.personalCan).toEqual(["170", "390"]);
    await expect(printPersonForm(otherDistrict, employee)).rejects.toThrow();
    expect((await printCommunityForms(city, COMMUNITY_C)).forms).toHaveLength(0);
  });
});
