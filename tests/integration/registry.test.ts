import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { idNumberOfRef } from "@/lib/ids/person-ref";
import { getPersonPage, searchPersons, viewPerson } from "@/lib/registry/queries";
import { printCommunityForms, printCommunitySummary, printPersonForm, printTaskForm } from "@/lib/survey/print";
import { freshDatabase } from "../helpers/db";
import { outcome, person, seedRegionsAndUsers, type Users } from "../helpers/registry-fixture";

// The person page and search (domain.md "The registry", "Confidentiality") and the printed forms
// (registration-form.md "Printing"): scoped by the policy, out of scope answers as not found, every
// view and every print of personal data leaves an audit row.

let users: Users;
let teamId: number;

beforeAll(async () => {
  await freshDatabase();
  users = await seedRegionsAndUsers();
  teamId = (await prisma().surveyTeam.create({ data: { communityCode: "320402002001", name: "甲一组", memberIds: [users.s1.id, users.s2.id] } })).id;
});

async function audits(action: string, entityId: string) {
  return prisma().auditLog.findMany({ where: { action, entityId } });
}

describe("opening a person", () => {
  it("every view writes a person.view audit row with who and the region", async () => {
    const p = await person();
    await viewPerson(users.qinglong, p.idNumber);
    await viewPerson(users.qinglong, p.idNumber);
    const rows = await audits("person.view", p.idNumber);
    expect(rows).toHaveLength(2);
    expect(rows[0].userId).toBe(users.qinglong.id);
    expect(rows[0].regionCode).toBe("320402002001");
  });

  it("in scope: own street, own district, the city, the person's community surveyor", async () => {
    const p = await person();
    for (const actor of [users.qinglong, users.tianning, users.city, users.s1, users.s3]) expect(await outcome(viewPerson(actor, p.idNumber))).toBe("succeeded");
  });

  it("out of scope answers as not found and leaves no view row; the admin and the auditor see no personal data", async () => {
    const p = await person();
    for (const actor of [users.hongmei, users.wuxing, users.zhonglou, users.other]) expect(await outcome(viewPerson(actor, p.idNumber))).toBe("NotFoundError");
    for (const actor of [users.admin, users.auditor]) expect(await outcome(viewPerson(actor, p.idNumber))).toBe("NotAllowedError");
    expect(await audits("person.view", p.idNumber)).toHaveLength(0);
    expect(await outcome(viewPerson(users.qinglong, "320402198001019999"))).toBe("NotFoundError");
  });

  it("the survey region decides when set, else the hukou region", async () => {
    const moved = await person("320402004001", { surveyRegionCode: "320402002001" });
    expect(await outcome(viewPerson(users.qinglong, moved.idNumber))).toBe("succeeded");
    expect(await outcome(viewPerson(users.hongmei, moved.idNumber))).toBe("NotFoundError");
    const hukouOnly = await person("320402004001", { surveyRegionCode: null });
    expect(await outcome(viewPerson(users.hongmei, hukouOnly.idNumber))).toBe("succeeded");
    expect(await outcome(viewPerson(users.qinglong, hukouOnly.idNumber))).toBe("NotFoundError");
  });
});

describe("the person page", () => {
  it("shows history with the user's real name, tasks with their trail, and change requests", async () => {
    const p = await person();
    await prisma().personHistory.create({ data: { idNumber: p.idNumber, field: "phone", oldValue: "13900000000", newValue: "13912345678", reason: "入户调查审定入库", changedById: users.tianning.id } });
    const mine = await prisma().surveyTask.create({ data: { idNumber: p.idNumber, regionCode: "320402002001", reason: "未参保", category: "NOT_INSURED", state: "ASSIGNED", teamId } });
    await prisma().taskEvent.create({ data: { taskId: mine.id, event: "assign", fromState: "PENDING", toState: "ASSIGNED", actorId: users.qinglong.id } });
    const unassigned = await prisma().surveyTask.create({ data: { idNumber: p.idNumber, regionCode: "320402002001", reason: "信息不准", category: "INFO_ERROR" } });
    await prisma().changeRequest.create({ data: { idNumber: p.idNumber, regionCode: "320402002001", changes: { name: { from: p.name, to: "新名" } }, evidence: "证明", sensitive: false, requestedById: users.s1.id } });
    const page = await getPersonPage(users.qinglong, p.idNumber);
    expect(page.person.name).toBe(p.name);
    expect(page.hukouRegion).toBe("天宁区 青龙街道 甲社区");
    expect(page.history).toHaveLength(1);
    expect(page.history[0]).toMatchObject({ field: "phone", oldValue: "13900000000", newValue: "13912345678", changedBy: "tianning 实名", reason: "入户调查审定入库" });
    expect(page.tasks.map((t) => t.id).sort()).toEqual([mine.id, unassigned.id].sort());
    expect(page.tasks.find((t) => t.id === mine.id)?.events[0]).toMatchObject({ event: "assign", actor: "qinglong 实名" });
    expect(page.changes).toHaveLength(1);
    expect(page.changes[0].requestedBy).toBe("s1 实名");
    // A surveyor sees only their own team's tasks of the person.
    const forSurveyor = await getPersonPage(users.s1, p.idNumber);
    expect(forSurveyor.tasks.map((t) => t.id)).toEqual([mine.id]);
    expect((await getPersonPage(users.s3, p.idNumber)).tasks).toHaveLength(0);
  });
});

describe("searching the registry by ID number", () => {
  it("finds a person in scope by the full ID (also typed with a lower-case x or spaces), masked", async () => {
    const p = await person();
    const [row] = await searchPersons(users.tianning, ` ${p.idNumber.toLowerCase()} `);
    expect(idNumberOfRef(row.ref)).toBe(p.idNumber);
    expect(JSON.stringify(row)).not.toContain(p.idNumber);
    expect(row.maskedId).toBe(`${p.idNumber.slice(0, 6)}********${p.idNumber.slice(-4)}`);
  });
  it("finds nobody outside the scope, and nothing for a partial number", async () => {
    const p = await person();
    expect(await searchPersons(users.hongmei, p.idNumber)).toEqual([]);
    expect(await searchPersons(users.zhonglou, p.idNumber)).toEqual([]);
    expect(await searchPersons(users.qinglong, p.idNumber.slice(0, 10))).toEqual([]);
    expect(await outcome(searchPersons(users.admin, p.idNumber))).toBe("NotAllowedError");
  });
});

describe("printing (打印登记表, 汇总表)", () => {
  it("a task's form is pre-filled from the registry and the task, and the print is audited", async () => {
    const p = await person("320402002001", { name: "印表人" });
    const t = await prisma().surveyTask.create({ data: { idNumber: p.idNumber, regionCode: "320402002001", reason: "未参保：无任何险种", category: "NOT_INSURED", flags: ["no_pension", "no_medical"], missingSchemes: ["170", "390"], state: "ASSIGNED", teamId } });
    const form = await printTaskForm(users.s1, t.id);
    expect(form).toMatchObject({ name: "印表人", idNumber: p.idNumber, birthDate: "1980-01-01", category: "NOT_INSURED", flags: ["no_pension", "no_medical"], missingSchemes: ["170", "390"], reason: "未参保：无任何险种" });
    expect(form.hukouRegion).toEqual({ district: "天宁区", street: "青龙街道", community: "甲社区" });
    const rows = await audits("print.form", String(t.id));
    expect(rows.map((r) => r.userId)).toEqual([users.s1.id]);
  });

  it("only within scope: surveyors only their team's tasks, streets and districts their own region", async () => {
    const p = await person();
    const t = await prisma().surveyTask.create({ data: { idNumber: p.idNumber, regionCode: "320402002001", reason: "未参保", category: "NOT_INSURED", state: "ASSIGNED", teamId } });
    for (const actor of [users.s3, users.other, users.hongmei, users.zhonglou]) expect(await outcome(printTaskForm(actor, t.id))).toBe("NotFoundError");
    for (const actor of [users.admin, users.auditor]) expect(await outcome(printTaskForm(actor, t.id))).toBe("NotAllowedError");
    for (const actor of [users.qinglong, users.tianning, users.city, users.s2]) expect(await outcome(printTaskForm(actor, t.id))).toBe("succeeded");
    expect(await outcome(printPersonForm(users.hongmei, p.idNumber))).toBe("NotFoundError");
    expect((await printPersonForm(users.qinglong, p.idNumber)).name).toBe(p.name);
  });

  it("the form shows the task's current survey data when one was started", async () => {
    const p = await person();
    const t = await prisma().surveyTask.create({ data: { idNumber: p.idNumber, regionCode: "320402002001", reason: "未参保", category: "NOT_INSURED", state: "DRAFT", teamId } });
    await prisma().surveyForm.create({ data: { taskId: t.id, data: { employment: "FLEXIBLE", reasons: ["CANNOT_AFFORD"] } } });
    expect((await printTaskForm(users.qinglong, t.id)).surveyData).toMatchObject({ employment: "FLEXIBLE", reasons: ["CANNOT_AFFORD"] });
  });

  it("a community's batch and summary list its open tasks only, one row per person, audited", async () => {
    await prisma().surveyTask.deleteMany({ where: { regionCode: "320402002002" } });
    const a = await person("320402002002", { name: "乙一" });
    const b = await person("320402002002", { name: "乙二" });
    const c = await person("320402002002", { name: "乙三" });
    await prisma().person.update({ where: { idNumber: b.idNumber }, data: { surveyData: { employment: "RETIRED", pension: "EMPLOYEE", medical: "EMPLOYEE" } } });
    const open1 = await prisma().surveyTask.create({ data: { idNumber: a.idNumber, regionCode: "320402002002", reason: "未参保", category: "NOT_INSURED", state: "ASSIGNED" } });
    const open2 = await prisma().surveyTask.create({ data: { idNumber: b.idNumber, regionCode: "320402002002", reason: "未参全", category: "PARTIAL", state: "SUBMITTED" } });
    await prisma().surveyTask.create({ data: { idNumber: c.idNumber, regionCode: "320402002002", reason: "未参保", category: "NOT_INSURED", state: "DISTRICT_APPROVED" } });
    // A second open task of the same person: still one row on the summary sheet.
    const again = await prisma().surveyTask.create({ data: { idNumber: a.idNumber, regionCode: "320402002002", reason: "信息不准", category: "INFO_ERROR", state: "PENDING" } });
    const batch = await printCommunityForms(users.qinglong, "320402002002");
    expect(batch.communityName).toBe("乙社区");
    expect(batch.forms.map((f) => f.taskId).sort()).toEqual([open1.id, open2.id, again.id].sort());
    const sheet = await printCommunitySummary(users.tianning, "320402002002");
    expect(sheet.rows.map((r) => r.no)).toEqual([1, 2]);
    expect(sheet.rows.find((r) => r.name === "乙一")?.taskId).toBe(again.id);
    expect(sheet.rows.find((r) => r.name === "乙二")).toMatchObject({ employment: "RETIRED", pension: "EMPLOYEE", state: "SUBMITTED", idNumber: b.idNumber });
    expect(await audits("print.form", "320402002002")).toHaveLength(1);
    expect(await audits("print.summary", "320402002002")).toHaveLength(1);
    // Another street, a street-level code, a surveyor of another community: not found.
    expect(await outcome(printCommunitySummary(users.hongmei, "320402002002"))).toBe("NotFoundError");
    expect(await outcome(printCommunityForms(users.qinglong, "320402002"))).toBe("NotFoundError");
    expect(await outcome(printCommunityForms(users.s1, "320402002002"))).toBe("NotFoundError");
    // The other community's surveyor is in no team: they print nothing.
    expect((await printCommunityForms(users.other, "320402002002")).forms).toHaveLength(0);
  });
});
