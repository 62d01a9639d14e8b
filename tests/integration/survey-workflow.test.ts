import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { makeIdNumber } from "@/lib/ids/id-number";
import { reviewTask } from "@/lib/review/mutations";
import { addNewlyFoundPerson, assignTasks, closeUnreachable, createTeam, recordVisit, releaseToStreets, reopenTask, saveDraft, submitForm } from "@/lib/survey/mutations";
import { ZSurveyForm } from "@/lib/survey/schema";
import { freshDatabase } from "../helpers/db";
import { outcome, seedRegionsAndUsers, type Users } from "../helpers/registry-fixture";

let users: Users;

const FORM = {
  employment: "FLEXIBLE",
  mobile: "13912345678",
  pension: "RESIDENT",
  medical: "RESIDENT",
  surveyors: ["张洋", "徐艳"],
  residenceAddress: "青龙街道甲社区 1 幢",
};

let seq = 0;
async function task(regionCode = "320402002001", state: "PENDING" | "ASSIGNED" = "PENDING", teamId?: number) {
  const idNumber = makeIdNumber("320402", "19800101", seq++);
  await prisma().person.create({ data: { idNumber, name: `测试${seq}`, hukouRegionCode: regionCode, surveyRegionCode: regionCode, status: "NEEDS_SURVEY" } });
  return prisma().surveyTask.create({ data: { idNumber, regionCode, state, reason: "未参保", category: "NOT_INSURED", releasedAt: state === "ASSIGNED" ? new Date() : null, teamId: teamId ?? null } });
}

let teamId: number;

beforeAll(async () => {
  await freshDatabase();
  users = await seedRegionsAndUsers();
  teamId = await createTeam(users.qinglong, { communityCode: "320402002001", name: "甲一组", memberIds: [users.s1.id, users.s2.id] });
});

describe("assignment down the hierarchy", () => {
  it("the district releases to streets, the street assigns to a team, the surveyor sees it", async () => {
    const t = await task();
    expect(await outcome(assignTasks(users.qinglong, { teamId, taskIds: [t.id] }))).toBe("succeeded");
    // Not yet released: the street cannot assign it.
    expect((await prisma().surveyTask.findUniqueOrThrow({ where: { id: t.id } })).state).toBe("PENDING");
    expect(await releaseToStreets(users.tianning, "320402002")).toBeGreaterThanOrEqual(1);
    expect(await assignTasks(users.qinglong, { teamId, taskIds: [t.id] })).toBe(1);
    const after = await prisma().surveyTask.findUniqueOrThrow({ where: { id: t.id } });
    expect(after.state).toBe("ASSIGNED");
    expect(after.teamId).toBe(teamId);
    expect(after.version).toBe(t.version + 2); // released, then assigned
    const events = await prisma().taskEvent.findMany({ where: { taskId: t.id }, orderBy: { id: "asc" } });
    expect(events.map((e) => [e.event, e.fromState, e.toState, e.actorId])).toEqual([
      ["release", "PENDING", "PENDING", users.tianning.id],
      ["assign", "PENDING", "ASSIGNED", users.qinglong.id],
    ]);
  });
  it("a district reviewer cannot release another district's tasks", async () => {
    expect(await outcome(releaseToStreets(users.zhonglou, "320402002"))).toBe("NotFoundError");
  });
  it("a street clerk cannot form a team in another street, nor a team of one", async () => {
    expect(await outcome(createTeam(users.hongmei, { communityCode: "320402002001", name: "x", memberIds: [users.s1.id, users.s2.id] }))).toBe("NotFoundError");
    expect(await outcome(createTeam(users.qinglong, { communityCode: "320402002001", name: "x", memberIds: [users.s1.id] }))).toBe("survey.err.teamSize");
    expect(await outcome(createTeam(users.qinglong, { communityCode: "320402002001", name: "x", memberIds: [users.s1.id, users.other.id] }))).toBe("survey.err.teamMembers");
  });
  it("the system administrator and city staff cannot assign", async () => {
    expect(await outcome(assignTasks(users.admin, { teamId }))).toBe("NotAllowedError");
    expect(await outcome(assignTasks(users.city, { teamId }))).toBe("NotAllowedError");
  });
});

describe("the form, the review and the registry", () => {
  it("surveyor submits, street approves, district approves: the registry has the data and its history", async () => {
    const t = await task("320402002001", "ASSIGNED", teamId);
    const v = await saveDraft(users.s1, t.id, { mobile: "139" }, t.version);
    await submitForm(users.s2, t.id, FORM, v);
    const submitted = await prisma().surveyTask.findUniqueOrThrow({ where: { id: t.id } });
    expect(submitted.state).toBe("SUBMITTED");
    expect(await reviewTask(users.qinglong, { taskId: t.id, decision: "approve", expectedVersion: submitted.version })).toBe("STREET_APPROVED");
    expect(await reviewTask(users.tianning, { taskId: t.id, decision: "approve", expectedVersion: submitted.version + 1 })).toBe("DISTRICT_APPROVED");
    const person = await prisma().person.findUniqueOrThrow({ where: { idNumber: t.idNumber } });
    expect(person.status).toBe("REGISTERED_BY_SURVEY");
    expect(person.phone).toBe("13912345678");
    expect((person.surveyData as { employment: string }).employment).toBe("FLEXIBLE");
    const history = await prisma().personHistory.findMany({ where: { idNumber: t.idNumber } });
    expect(history.map((h) => h.field)).toEqual(expect.arrayContaining(["phone", "residenceAddress", "survey.employment", "status"]));
    expect(history.every((h) => h.changedById === users.tianning.id && h.taskId === t.id)).toBe(true);
    // Approved records are locked.
    expect(await outcome(saveDraft(users.s1, t.id, {}, submitted.version + 2))).toBe("review.err.invalidTransition");
    expect(await outcome(reviewTask(users.tianning, { taskId: t.id, decision: "return", comment: "x", expectedVersion: submitted.version + 2 }))).toBe("review.err.invalidTransition");
  });

  it("a return goes back to the surveyor with the comment, who edits and resubmits", async () => {
    const t = await task("320402002001", "ASSIGNED", teamId);
    await submitForm(users.s1, t.id, FORM, t.version);
    let cur = await prisma().surveyTask.findUniqueOrThrow({ where: { id: t.id } });
    expect(await outcome(reviewTask(users.qinglong, { taskId: t.id, decision: "return", expectedVersion: cur.version }))).toBe("review.err.returnReason");
    await reviewTask(users.qinglong, { taskId: t.id, decision: "approve", expectedVersion: cur.version });
    cur = await prisma().surveyTask.findUniqueOrThrow({ where: { id: t.id } });
    await reviewTask(users.tianning, { taskId: t.id, decision: "return", comment: "电话号码有误", expectedVersion: cur.version });
    cur = await prisma().surveyTask.findUniqueOrThrow({ where: { id: t.id } });
    expect(cur.state).toBe("RETURNED");
    const event = await prisma().taskEvent.findFirstOrThrow({ where: { taskId: t.id, event: "return" } });
    expect(event.comment).toBe("电话号码有误");
    await submitForm(users.s1, t.id, { ...FORM, mobile: "13800001111" }, cur.version);
    expect((await prisma().surveyTask.findUniqueOrThrow({ where: { id: t.id } })).state).toBe("SUBMITTED");
  });

  it("the server refuses an invalid form with the field errors", async () => {
    const t = await task("320402002001", "ASSIGNED", teamId);
    await expect(submitForm(users.s1, t.id, { ...FORM, employment: "EMPLOYED", surveyors: ["张洋"] }, t.version)).rejects.toThrow(/survey.err.unitName[\s\S]*survey.err.surveyors|survey.err.surveyors[\s\S]*survey.err.unitName/);
    expect((await prisma().surveyTask.findUniqueOrThrow({ where: { id: t.id } })).state).toBe("ASSIGNED");
  });

  it("two reviewers approving the same record at once: exactly one succeeds", async () => {
    const t = await task("320402002001", "ASSIGNED", teamId);
    await submitForm(users.s1, t.id, FORM, t.version);
    const cur = await prisma().surveyTask.findUniqueOrThrow({ where: { id: t.id } });
    const clerk2 = users.qinglong2;
    const results = await Promise.all([
      outcome(reviewTask(users.qinglong, { taskId: t.id, decision: "approve", expectedVersion: cur.version })),
      outcome(reviewTask(clerk2, { taskId: t.id, decision: "return", comment: "再核实", expectedVersion: cur.version })),
    ]);
    expect(results.filter((r) => r === "succeeded")).toHaveLength(1);
    expect(results.filter((r) => r === "review.err.changedBySomeoneElse")).toHaveLength(1);
    const events = await prisma().taskEvent.count({ where: { taskId: t.id, event: { in: ["approve", "return"] } } });
    expect(events).toBe(1);
  });
});

describe("who may act where", () => {
  it("a surveyor outside the team, or in another community, cannot see or fill the task", async () => {
    const t = await task("320402002001", "ASSIGNED", teamId);
    expect(await outcome(saveDraft(users.s3, t.id, {}, t.version))).toBe("NotFoundError");
    expect(await outcome(saveDraft(users.other, t.id, {}, t.version))).toBe("NotFoundError");
  });
  it("reviewers act only on their own level and region", async () => {
    const t = await task("320402002001", "ASSIGNED", teamId);
    await submitForm(users.s1, t.id, FORM, t.version);
    const cur = await prisma().surveyTask.findUniqueOrThrow({ where: { id: t.id } });
    // District cannot do the street's initial review; another street and another district cannot see it.
    expect(await outcome(reviewTask(users.tianning, { taskId: t.id, decision: "approve", expectedVersion: cur.version }))).toBe("NotAllowedError");
    expect(await outcome(reviewTask(users.hongmei, { taskId: t.id, decision: "approve", expectedVersion: cur.version }))).toBe("NotFoundError");
    expect(await outcome(reviewTask(users.s1, { taskId: t.id, decision: "approve", expectedVersion: cur.version }))).toBe("NotAllowedError");
    expect(await outcome(reviewTask(users.city, { taskId: t.id, decision: "approve", expectedVersion: cur.version }))).toBe("NotAllowedError");
    expect(await outcome(reviewTask(users.admin, { taskId: t.id, decision: "approve", expectedVersion: cur.version }))).toBe("NotAllowedError");
    await reviewTask(users.qinglong, { taskId: t.id, decision: "approve", expectedVersion: cur.version });
    expect(await outcome(reviewTask(users.zhonglou, { taskId: t.id, decision: "approve", expectedVersion: cur.version + 1 }))).toBe("NotFoundError");
    expect(await outcome(reviewTask(users.qinglong, { taskId: t.id, decision: "approve", expectedVersion: cur.version + 1 }))).toBe("NotAllowedError");
  });
});

describe("failed visits and unreachable", () => {
  it("closing as unreachable needs repeated failed visits and a reason; the district reopens", async () => {
    const t = await task("320402002001", "ASSIGNED", teamId);
    await recordVisit(users.s1, t.id, "NOBODY_HOME");
    expect(await outcome(closeUnreachable(users.s1, t.id, "多次无人", t.version))).toBe("survey.err.notEnoughVisits");
    await recordVisit(users.s1, t.id, "NOT_FOUND", "邻居称已搬走");
    expect(await outcome(closeUnreachable(users.s1, t.id, "", t.version))).toBe("review.err.commentRequired");
    await closeUnreachable(users.s1, t.id, "多次无人", t.version);
    const closed = await prisma().surveyTask.findUniqueOrThrow({ where: { id: t.id } });
    expect(closed.state).toBe("UNREACHABLE");
    expect(closed.unreachableReason).toBe("多次无人");
    expect(await outcome(reopenTask(users.qinglong, t.id, closed.version))).toBe("NotAllowedError");
    await reopenTask(users.tianning, t.id, closed.version);
    expect((await prisma().surveyTask.findUniqueOrThrow({ where: { id: t.id } })).state).toBe("ASSIGNED");
  });
});

describe("newly found persons (新发现人员)", () => {
  it("a valid new ID is added to the surveyor's team list", async () => {
    const id = await addNewlyFoundPerson(users.s1, { idNumber: makeIdNumber("320402", "19900101", 900), name: "新人", teamId });
    const t = await prisma().surveyTask.findUniqueOrThrow({ where: { id } });
    expect(t.newlyFound).toBe(true);
    expect(t.state).toBe("ASSIGNED");
  });
  it("an ID already in the registry is refused", async () => {
    const existing = await task();
    expect(await outcome(addNewlyFoundPerson(users.s1, { idNumber: existing.idNumber, name: "重复", teamId }))).toBe("survey.err.newPersonRefused");
  });
  it("an invalid ID is refused", async () => {
    expect(await outcome(addNewlyFoundPerson(users.s1, { idNumber: "320402198001010000", name: "无效", teamId }))).toBe("survey.err.idNumber");
  });
  it("after final approval the newly found person is in the registry", async () => {
    const idNumber = makeIdNumber("320402", "19910202", 901);
    const id = await addNewlyFoundPerson(users.s2, { idNumber, name: "李新", teamId });
    await submitForm(users.s2, id, FORM, 1);
    let cur = await prisma().surveyTask.findUniqueOrThrow({ where: { id } });
    await reviewTask(users.qinglong, { taskId: id, decision: "approve", expectedVersion: cur.version });
    cur = await prisma().surveyTask.findUniqueOrThrow({ where: { id } });
    await reviewTask(users.tianning, { taskId: id, decision: "approve", expectedVersion: cur.version });
    const person = await prisma().person.findUniqueOrThrow({ where: { idNumber } });
    expect(person.name).toBe("李新");
    expect(person.status).toBe("REGISTERED_BY_SURVEY");
  });
});

describe("survey counters (statistics.md §3)", () => {
  it("after every transition above, the counters equal a direct count of the tasks and their events, per region", async () => {
    const { pool } = await import("@/lib/db/client");
    const { surveyFiguresUnder } = await import("@/lib/stats/survey");
    const direct = await pool().query<{ code: string; state: string; newly: boolean; sub: boolean; ret: boolean; n: number; failed: number }>(
      `SELECT left(t.region_code, 9) AS code, t.state::text AS state, t.newly_found AS newly,
              EXISTS (SELECT 1 FROM task_event e WHERE e.task_id = t.id AND e.to_state = 'SUBMITTED') AS sub,
              EXISTS (SELECT 1 FROM task_event e WHERE e.task_id = t.id AND e.to_state = 'RETURNED') AS ret,
              1 AS n, t.failed_visits AS failed
         FROM survey_task t`,
    );
    const figures = await surveyFiguresUnder(pool(), "3204", 9);
    const streets = new Set(direct.rows.map((r) => r.code));
    expect(streets.size).toBeGreaterThan(0);
    expect(figures.get("320404001")).toBeUndefined(); // no task there
    for (const code of ["3204", ...streets]) {
      const rows = direct.rows.filter((r) => r.code.startsWith(code));
      const f = figures.get(code)!;
      const byState: Record<string, number> = {};
      for (const r of rows) byState[r.state] = (byState[r.state] ?? 0) + 1;
      expect(Object.fromEntries(Object.entries(f.byState).filter(([, v]) => v !== 0)), code).toEqual(byState);
      expect(f.published).toBe(rows.filter((r) => r.state !== "SETTLED").length);
      expect(f.closed).toBe(rows.filter((r) => r.state === "DISTRICT_APPROVED" || r.state === "UNREACHABLE").length);
      expect(f.submitted).toBe(rows.filter((r) => r.sub).length);
      expect(f.returned).toBe(rows.filter((r) => r.ret).length);
      expect(f.newlyFound).toBe(rows.filter((r) => r.newly).length);
      expect(f.failedVisits).toBe(rows.reduce((a, r) => a + r.failed, 0));
    }
    const all = figures.get("3204")!;
    for (const n of [all.returned, all.newlyFound, all.closed, all.submitted]) expect(n).toBeGreaterThan(0);
  });
});

describe("submission in one statement (lib/review/transition.ts applyTransitionChain)", () => {
  it("writes both steps' events and audit rows, the form and the visit, with the version raised per step", async () => {
    const t = await task("320402002001", "ASSIGNED", teamId);
    await submitForm(users.s1, t.id, FORM, t.version);
    const after = await prisma().surveyTask.findUniqueOrThrow({ where: { id: t.id }, include: { form: true, visits: true } });
    expect([after.state, after.version, after.everSubmitted]).toEqual(["SUBMITTED", t.version + 2, true]);
    expect(after.form?.data).toEqual(ZSurveyForm.parse(FORM));
    expect(after.form?.submittedAt).not.toBeNull();
    expect(after.form?.updatedById).toBe(users.s1.id);
    expect(after.visits.map((v) => [v.outcome, v.visitedById])).toEqual([["COMPLETED", users.s1.id]]);
    const events = await prisma().taskEvent.findMany({ where: { taskId: t.id }, orderBy: { id: "asc" } });
    expect(events.map((e) => [e.event, e.fromState, e.toState, e.actorId, e.comment])).toEqual([
      ["save_draft", "ASSIGNED", "DRAFT", users.s1.id, null],
      ["submit", "DRAFT", "SUBMITTED", users.s1.id, null],
    ]);
    const audit = await prisma().auditLog.findMany({ where: { entity: "survey_task", entityId: String(t.id) }, orderBy: { id: "asc" } });
    expect(audit.map((a) => [a.action, a.userId, a.userLogin, a.regionCode, a.detail])).toEqual([
      ["task.save_draft", users.s1.id, users.s1.login, "320402002001", { from: "ASSIGNED", to: "DRAFT", idNumber: t.idNumber }],
      ["task.submit", users.s1.id, users.s1.login, "320402002001", { from: "DRAFT", to: "SUBMITTED", idNumber: t.idNumber }],
    ]);
  });

  it("from a draft only the submit step; a stale version writes nothing", async () => {
    const t = await task("320402002001", "ASSIGNED", teamId);
    const v = await saveDraft(users.s1, t.id, { mobile: "13900000000" }, t.version);
    expect(await outcome(submitForm(users.s1, t.id, FORM, v - 1))).toBe("review.err.changedBySomeoneElse");
    expect(await prisma().surveyVisit.count({ where: { taskId: t.id } })).toBe(0);
    await submitForm(users.s1, t.id, FORM, v);
    const events = await prisma().taskEvent.findMany({ where: { taskId: t.id }, orderBy: { id: "asc" } });
    expect(events.map((e) => e.event)).toEqual(["save_draft", "submit"]);
    expect((await prisma().surveyTask.findUniqueOrThrow({ where: { id: t.id } })).version).toBe(v + 1);
  });

  it("the same task submitted five times at once: exactly one succeeds, once", async () => {
    const t = await task("320402002001", "ASSIGNED", teamId);
    const results = await Promise.all([users.s1, users.s2, users.s1, users.s2, users.s1].map((u) => outcome(submitForm(u, t.id, FORM, t.version))));
    expect(results.filter((r) => r === "succeeded")).toHaveLength(1);
    expect(results.filter((r) => r === "review.err.changedBySomeoneElse")).toHaveLength(4);
    expect(await prisma().taskEvent.count({ where: { taskId: t.id, event: "submit" } })).toBe(1);
    expect(await prisma().taskEvent.count({ where: { taskId: t.id, event: "save_draft" } })).toBe(1);
    expect(await prisma().surveyVisit.count({ where: { taskId: t.id, outcome: "COMPLETED" } })).toBe(1);
    expect(await prisma().auditLog.count({ where: { entity: "survey_task", entityId: String(t.id), action: "task.submit" } })).toBe(1);
  });

  it("a surveyor outside the team gets not found, and nothing is written", async () => {
    const t = await task("320402002001", "ASSIGNED", teamId);
    expect(await outcome(submitForm(users.s3, t.id, FORM, t.version))).toBe("NotFoundError");
    expect(await outcome(submitForm(users.s3, t.id, FORM, t.version + 7))).toBe("NotFoundError");
    expect(await prisma().taskEvent.count({ where: { taskId: t.id } })).toBe(0);
    expect((await prisma().surveyTask.findUniqueOrThrow({ where: { id: t.id } })).state).toBe("ASSIGNED");
  });
});
