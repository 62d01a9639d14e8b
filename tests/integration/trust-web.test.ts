import { beforeAll, describe, expect, it } from "vitest";
import { decideChange, requestChange } from "@/lib/changes/mutations";
import { listChangeRequests } from "@/lib/changes/queries";
import { type TChangeRequest, ZChangeRequest } from "@/lib/changes/schema";
import { prisma } from "@/lib/db/client";
import { makeIdNumber } from "@/lib/ids/id-number";
import { type Actor, guarded } from "@/lib/policy";
import { getPersonPage, searchPersons } from "@/lib/registry/queries";
import { reviewTask } from "@/lib/review/mutations";
import { addNewlyFoundPerson, createTeam, saveDraft, submitForm } from "@/lib/survey/mutations";
import { listTasks, reviewQueue } from "@/lib/survey/queries";
import { MAX_DRAFT_BYTES } from "@/lib/survey/schema";
import { freshDatabase } from "../helpers/db";
import { outcome, person, seedRegionsAndUsers, type Users } from "../helpers/registry-fixture";

// Issue 11, the web-facing findings at the level of the use cases: four eyes (5), drafts and what
// reaches the registry (7), errors that must not be oracles (8).

let users: Users;
let teamId: number;

const FORM = { employment: "FLEXIBLE", mobile: "13912345678", pension: "RESIDENT", medical: "RESIDENT", surveyors: ["张洋", "徐艳"] };

beforeAll(async () => {
  await freshDatabase();
  users = await seedRegionsAndUsers();
  teamId = await createTeam(users.qinglong, { communityCode: "320402002001", name: "甲一组", memberIds: [users.s1.id, users.s2.id] });
});

async function assignedTask(regionCode = "320402002001", team: number | null = teamId) {
  const p = await person(regionCode);
  return prisma().surveyTask.create({ data: { idNumber: p.idNumber, regionCode, state: "ASSIGNED", reason: "未参保", category: "NOT_INSURED", releasedAt: new Date(), teamId: team } });
}
const version = async (id: number) => (await prisma().surveyTask.findUniqueOrThrow({ where: { id } })).version;
const review = async (actor: Actor, id: number, decision: "approve" | "return" = "approve") => reviewTask(actor, { taskId: id, decision, comment: decision === "return" ? "请补充" : undefined, expectedVersion: await version(id) });

describe("four eyes: whoever filled a form never approves it (初审 and 审定)", () => {
  it("a street clerk who filled the form cannot 初审 it; another clerk of the street can", async () => {
    const t = await assignedTask("320402002001", null);
    await submitForm(users.qinglong, t.id, FORM, t.version);
    expect(await outcome(review(users.qinglong, t.id))).toBe("review.err.ownWork");
    expect((await prisma().surveyTask.findUniqueOrThrow({ where: { id: t.id } })).state).toBe("SUBMITTED");
    expect(await outcome(review(users.qinglong2, t.id))).toBe("succeeded");
  });
  it("having only saved a draft is filling too", async () => {
    const t = await assignedTask("320402002001", null);
    const v = await saveDraft(users.qinglong, t.id, { mobile: "139" }, t.version);
    await submitForm(users.qinglong2, t.id, FORM, v);
    expect(await outcome(review(users.qinglong, t.id))).toBe("review.err.ownWork");
    // The one who submitted cannot either; a third person could — here the filler may still return it.
    expect(await outcome(review(users.qinglong2, t.id))).toBe("review.err.ownWork");
    expect(await outcome(review(users.qinglong, t.id, "return"))).toBe("succeeded");
  });
  it("the review queue marks the forms the reviewer filled", async () => {
    const t = await assignedTask("320402002001", null);
    await submitForm(users.qinglong, t.id, FORM, t.version);
    const mine = (await reviewQueue(users.qinglong)).find((x) => x.id === t.id);
    const theirs = (await reviewQueue(users.qinglong2)).find((x) => x.id === t.id);
    expect(mine?.filledByMe).toBe(true);
    expect(theirs?.filledByMe).toBe(false);
  });
  it("审定 is refused to a filler as well (a post changed from street to district keeps the rule)", async () => {
    const t = await assignedTask();
    await submitForm(users.s1, t.id, FORM, t.version);
    await review(users.qinglong, t.id);
    const s1AsDistrict: Actor = { ...users.s1, role: "DISTRICT_REVIEWER", regionCode: "320402" };
    expect(await outcome(review(s1AsDistrict, t.id))).toBe("review.err.ownWork");
    expect(await outcome(review(users.tianning, t.id))).toBe("succeeded");
  });
});

function requestChangeOf(actor: Actor, input: Record<string, string>) {
  return requestChange(actor, ZChangeRequest.parse({ evidence: "户口簿", ...input }) as TChangeRequest);
}
async function decide(actor: Actor, id: number, decision: "approve" | "return") {
  const r = await prisma().changeRequest.findUniqueOrThrow({ where: { id } });
  return decideChange(actor, { requestId: id, decision, comment: decision === "return" ? "不符" : undefined, expectedVersion: r.version });
}

describe("four eyes: whoever requested a change never approves it (basic and sensitive)", () => {
  it("a basic change: the requesting clerk is refused, another clerk approves", async () => {
    const p = await person();
    const id = await requestChangeOf(users.qinglong, { personId: p.idNumber, name: "王新名" });
    expect(await outcome(decide(users.qinglong, id, "approve"))).toBe("change.err.ownRequest");
    const list = await listChangeRequests(users.qinglong);
    const own = list.recent.find((r) => r.id === id);
    expect(own?.ownRequest).toBe(true);
    expect(own?.decidable).toBe(false);
    expect(list.pending.find((r) => r.id === id)?.decidable ?? false).toBe(false);
    expect(await outcome(decide(users.qinglong2, id, "approve"))).toBe("succeeded");
  });
  it("a sensitive change: the requester is refused at the street's and at the district's level", async () => {
    const p = await person();
    const id = await requestChangeOf(users.qinglong, { personId: p.idNumber, birthDate: "1981-02-03" });
    expect(await outcome(decide(users.qinglong, id, "approve"))).toBe("change.err.ownRequest");
    expect(await outcome(decide(users.qinglong2, id, "approve"))).toBe("succeeded");
    const qinglongAsDistrict: Actor = { ...users.qinglong, role: "DISTRICT_REVIEWER", regionCode: "320402" };
    expect(await outcome(decide(qinglongAsDistrict, id, "approve"))).toBe("change.err.ownRequest");
    expect(await outcome(decide(users.tianning, id, "approve"))).toBe("succeeded");
  });
});

describe("drafts hold the form's fields only, within their lengths", () => {
  it("a half-filled draft is kept", async () => {
    const t = await assignedTask();
    await saveDraft(users.s1, t.id, { mobile: "139", employment: "", reasons: ["UNWILLING"], surveyors: "张洋、", unemployment: true }, t.version);
    const form = await prisma().surveyForm.findUniqueOrThrow({ where: { taskId: t.id } });
    expect((form.data as Record<string, unknown>).mobile).toBe("139");
  });
  it("a forged newPerson, an unknown key, an over-long field or an oversized draft is refused and nothing is written", async () => {
    const t = await assignedTask();
    expect(await outcome(saveDraft(users.s1, t.id, { newPerson: { idNumber: t.idNumber, name: "x".repeat(400) } }, t.version))).toBe("survey.err.draftInvalid");
    expect(await outcome(saveDraft(users.s1, t.id, { isAdmin: true }, t.version))).toBe("survey.err.draftInvalid");
    expect(await outcome(saveDraft(users.s1, t.id, { unitName: "单".repeat(101) }, t.version))).toBe("survey.err.draftInvalid");
    expect(await outcome(saveDraft(users.s1, t.id, { remarks: "x".repeat(MAX_DRAFT_BYTES) }, t.version))).toBe("survey.err.draftTooLarge");
    expect(await outcome(saveDraft(users.s1, t.id, "not an object", t.version))).toBe("survey.err.draftInvalid");
    expect(await prisma().surveyForm.findUnique({ where: { taskId: t.id } })).toBeNull();
    expect(await version(t.id)).toBe(t.version);
  });
  it("a role without survey:fill cannot save a draft even in its region", async () => {
    const t = await assignedTask();
    expect(await outcome(saveDraft(users.tianning, t.id, {}, t.version))).toBe("NotAllowedError");
  });
  it("a newly found person's stored name is checked again before it reaches the registry", async () => {
    const idNumber = makeIdNumber("320402", "19920303", 950);
    const id = await addNewlyFoundPerson(users.s1, { idNumber, name: "李新", teamId });
    // Forged directly in the database (as an old version of the draft endpoint allowed).
    const form = await prisma().surveyForm.findUniqueOrThrow({ where: { taskId: id } });
    await prisma().surveyForm.update({ where: { taskId: id }, data: { data: { ...(form.data as object), newPerson: { idNumber, name: "长".repeat(400), hukouAddress: null } } } });
    await submitForm(users.s2, id, FORM, await version(id));
    await review(users.qinglong, id);
    expect(await outcome(review(users.tianning, id))).toBe("review.err.formInvalid");
    expect(await prisma().person.findUnique({ where: { idNumber } })).toBeNull();
  });
});

describe("errors are not oracles", () => {
  it("an out-of-scope task answers not found whatever version or state is sent", async () => {
    const t = await assignedTask("320404001001", null);
    expect(await outcome(saveDraft(users.s1, t.id, {}, t.version + 7))).toBe("NotFoundError");
    expect(await outcome(reviewTask(users.qinglong, { taskId: t.id, decision: "approve", expectedVersion: t.version + 3 }))).toBe("NotFoundError");
    expect(await outcome(reviewTask(users.tianning, { taskId: t.id, decision: "approve", expectedVersion: t.version }))).toBe("NotFoundError");
    // In scope, the same stale version says so.
    const mine = await assignedTask();
    expect(await outcome(saveDraft(users.s1, mine.id, {}, mine.version + 7))).toBe("review.err.changedBySomeoneElse");
  });
  it("a newly found person whose ID is registered elsewhere gets the same neutral answer as one registered here, and the attempt is audited", async () => {
    const here = await person("320402002001");
    const elsewhere = await person("320404001001");
    const a = await outcome(addNewlyFoundPerson(users.s1, { idNumber: here.idNumber, name: "甲", teamId }));
    const b = await outcome(addNewlyFoundPerson(users.s1, { idNumber: elsewhere.idNumber, name: "乙", teamId }));
    expect(a).toBe("survey.err.newPersonRefused");
    expect(b).toBe(a);
    const audit = await prisma().auditLog.findMany({ where: { action: "task.add-newly-found-refused", userId: users.s1.id } });
    expect(audit.map((r) => (r.detail as { idNumber: string }).idNumber)).toEqual(expect.arrayContaining([here.idNumber, elsewhere.idNumber]));
  });
  it("a change to an ID registered in another district answers like one registered here", async () => {
    const p = await person();
    const here = await person("320402002001");
    const elsewhere = await person("320404001001");
    const a = await outcome(requestChangeOf(users.qinglong, { personId: p.idNumber, idNumber: here.idNumber }));
    const b = await outcome(requestChangeOf(users.qinglong, { personId: p.idNumber, idNumber: elsewhere.idNumber }));
    expect(a).toBe("change.err.idRefused");
    expect(b).toBe(a);
  });
});

describe("list views, searches and refusals are audited where the data is read", () => {
  async function lastAudit(actor: Actor, action: string) {
    return prisma().auditLog.findFirst({ where: { userId: actor.id, action }, orderBy: { id: "desc" } });
  }
  it("a task list records its filters and row count", async () => {
    const rows = await listTasks(users.qinglong, { states: ["ASSIGNED"] });
    const row = await lastAudit(users.qinglong, "task.list");
    expect(row?.detail).toMatchObject({ rows: rows.length, filters: { states: ["ASSIGNED"] } });
  });
  it("a registry search records what was searched and how many were found, even when nothing is", async () => {
    const p = await person();
    const elsewhere = await person("320404001001");
    expect(await searchPersons(users.qinglong, p.idNumber)).toHaveLength(1);
    expect((await lastAudit(users.qinglong, "registry.search"))?.detail).toEqual({ filters: { idNumber: p.idNumber }, rows: 1 });
    expect(await searchPersons(users.qinglong, elsewhere.idNumber)).toHaveLength(0);
    expect((await lastAudit(users.qinglong, "registry.search"))?.detail).toEqual({ filters: { idNumber: elsewhere.idNumber }, rows: 0 });
  });
  it("the change-request list records its row count", async () => {
    const list = await listChangeRequests(users.qinglong2);
    expect((await lastAudit(users.qinglong2, "change.list"))?.detail).toMatchObject({ rows: list.pending.length + list.recent.length });
  });
  it("a page's out-of-scope request is refused as not found and audited", async () => {
    const elsewhere = await person("320404001001");
    const before = await prisma().auditLog.count({ where: { action: "access.refused" } });
    const result = await guarded(getPersonPage(users.qinglong, elsewhere.idNumber), { page: "person" });
    expect(result).toEqual({ ok: false, refusal: "error.notFound" });
    const after = await prisma().auditLog.findMany({ where: { action: "access.refused" }, orderBy: { id: "desc" }, take: 1 });
    expect(await prisma().auditLog.count({ where: { action: "access.refused" } })).toBe(before + 1);
    expect(after[0].detail).toMatchObject({ refusal: "not-found", page: "person" });
  });
});
