import { beforeAll, describe, expect, it } from "vitest";
import { decideChange, requestChange } from "@/lib/changes/mutations";
import { type TChangeRequest, ZChangeRequest } from "@/lib/changes/schema";
import { CHANGE_STATES, CHANGE_TRANSITIONS, findChangeTransition } from "@/lib/changes/workflow";
import { prisma } from "@/lib/db/client";
import { makeIdNumber } from "@/lib/ids/id-number";
import type { Actor } from "@/lib/policy";
import { getPersonPage } from "@/lib/registry/queries";
import { freshDatabase } from "../helpers/db";
import { outcome, person, seedRegionsAndUsers, type Users } from "../helpers/registry-fixture";

// 变更登记 (seed 003 第十二条): basic fields are approved by the street on evidence; ID number, birth
// date and hukou type need the street's initial review and the district's approval.
// Requests are filed by a surveyor where a street clerk decides on them: the requester never
// approves their own request (four eyes, tests/integration/trust-web.test.ts).

let users: Users;

beforeAll(async () => {
  await freshDatabase();
  users = await seedRegionsAndUsers();
});

/** Parses like the action does (blank fields are "no change"), then files the request. */
function request(actor: Actor, input: Record<string, string>) {
  return requestChange(actor, ZChangeRequest.parse({ evidence: "户口簿及派出所证明", ...input }) as TChangeRequest);
}

async function current(id: number) {
  return prisma().changeRequest.findUniqueOrThrow({ where: { id } });
}

async function decide(actor: Actor, id: number, decision: "approve" | "return", comment?: string) {
  const r = await current(id);
  return decideChange(actor, { requestId: id, decision, comment, expectedVersion: r.version });
}

describe("the transition table", () => {
  it("basic requests: street approval applies them; sensitive ones go to the district after the street", () => {
    expect(findChangeTransition("SUBMITTED", "approve", false)?.to).toBe("APPROVED");
    expect(findChangeTransition("SUBMITTED", "approve", true)?.to).toBe("STREET_APPROVED");
    expect(findChangeTransition("STREET_APPROVED", "approve", true)?.to).toBe("APPROVED");
    expect(findChangeTransition("SUBMITTED", "approve", false)?.permission).toBe("change:approve-basic");
    expect(findChangeTransition("STREET_APPROVED", "approve", true)?.permission).toBe("change:approve-sensitive");
  });
  it("returns need a comment; final states have no way out", () => {
    for (const t of CHANGE_TRANSITIONS.filter((x) => x.event === "return")) expect(t.needsComment).toBe(true);
    for (const state of ["APPROVED", "RETURNED"] as const) for (const event of ["approve", "return"] as const) for (const s of [true, false]) expect(findChangeTransition(state, event, s)).toBeUndefined();
    expect(findChangeTransition("STREET_APPROVED", "approve", false)).toBeUndefined();
    expect(CHANGE_STATES).toHaveLength(4);
  });
});

describe("requesting a change", () => {
  it("a street clerk requests a basic change for a person of the street: current and proposed values kept, audited", async () => {
    const p = await person();
    const id = await request(users.qinglong, { personId: p.idNumber, name: "王新名", ethnicity: "" });
    const r = await current(id);
    expect(r.state).toBe("SUBMITTED");
    expect(r.sensitive).toBe(false);
    expect(r.regionCode).toBe("320402002001");
    expect(r.changes).toEqual({ name: { from: p.name, to: "王新名" } });
    expect(r.evidence).toBe("户口簿及派出所证明");
    const audit = await prisma().auditLog.findFirst({ where: { action: "change.request", entityId: String(id) } });
    expect(audit?.userId).toBe(users.qinglong.id);
  });

  it("any sensitive field makes the whole request sensitive", async () => {
    const p = await person();
    const id = await request(users.qinglong, { personId: p.idNumber, name: "赵一", hukouType: "RESIDENT" });
    expect((await current(id)).sensitive).toBe(true);
  });

  it("a surveyor requests for a person of their community, not of another community", async () => {
    const mine = await person("320402002001");
    const theirs = await person("320402002002");
    expect(await outcome(request(users.s1, { personId: mine.idNumber, residenceAddress: "甲社区 3 幢" }))).toBe("succeeded");
    expect(await outcome(request(users.s1, { personId: theirs.idNumber, residenceAddress: "乙社区 3 幢" }))).toBe("NotFoundError");
  });

  it("another street's clerk gets not found; roles without change:request are refused", async () => {
    const p = await person();
    expect(await outcome(request(users.hongmei, { personId: p.idNumber, name: "甲" }))).toBe("NotFoundError");
    expect(await outcome(request(users.wuxing, { personId: p.idNumber, name: "甲" }))).toBe("NotFoundError");
    for (const actor of [users.tianning, users.city, users.admin, users.auditor]) expect(await outcome(request(actor, { personId: p.idNumber, name: "甲" }))).toBe("NotAllowedError");
    expect(await prisma().changeRequest.count({ where: { idNumber: p.idNumber } })).toBe(0);
  });

  it("the evidence note is required", () => {
    const parsed = ZChangeRequest.safeParse({ personId: makeIdNumber("320402", "19800101", 1), name: "甲", evidence: "  " });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.find((i) => i.path[0] === "evidence")?.message).toBe("msg:change.err.evidence");
  });

  it("at least one field, and a changed one", async () => {
    const p = await person();
    const parsed = ZChangeRequest.safeParse({ personId: p.idNumber, name: "", evidence: "证明" });
    expect(parsed.error?.issues[0].message).toBe("msg:change.err.nothing");
    expect(await outcome(request(users.qinglong, { personId: p.idNumber, name: p.name }))).toBe("change.err.nothing");
  });

  it("a new ID number must be valid and not in the registry", async () => {
    const p = await person();
    const other = await person();
    expect(ZChangeRequest.safeParse({ personId: p.idNumber, idNumber: "320402198001010000", evidence: "证明" }).error?.issues[0].message).toBe("msg:survey.err.idNumber");
    expect(await outcome(request(users.qinglong, { personId: p.idNumber, idNumber: other.idNumber }))).toBe("change.err.idRefused");
  });
});

describe("basic path: the street approves and the registry changes", () => {
  it("approval applies name, gender, ethnicity and addresses with history rows and an audit row", async () => {
    const p = await person();
    const id = await request(users.s1, { personId: p.idNumber, name: "钱多多", gender: "2", ethnicity: "回族", hukouAddress: "新户籍地址", residenceAddress: "新常住地址" });
    expect(await decide(users.qinglong, id, "approve")).toBe("APPROVED");
    const after = await prisma().person.findUniqueOrThrow({ where: { idNumber: p.idNumber } });
    expect([after.name, after.gender, after.ethnicity, after.hukouAddress, after.residenceAddress]).toEqual(["钱多多", "2", "回族", "新户籍地址", "新常住地址"]);
    expect(after.version).toBe(p.version + 1);
    const history = await prisma().personHistory.findMany({ where: { idNumber: p.idNumber }, orderBy: { field: "asc" } });
    expect(history.map((h) => [h.field, h.oldValue, h.newValue])).toEqual([
      ["ethnicity", "汉族", "回族"],
      ["gender", "1", "2"],
      ["hukouAddress", p.hukouAddress, "新户籍地址"],
      ["name", p.name, "钱多多"],
      ["residenceAddress", null, "新常住地址"],
    ]);
    expect(history.every((h) => h.changeRequestId === id && h.changedById === users.qinglong.id && h.reason?.includes("户口簿及派出所证明"))).toBe(true);
    expect(await prisma().auditLog.count({ where: { action: "change.approve", entityId: String(id) } })).toBe(1);
  });

  it("only the person's own street decides: not the district, another street, another district, a surveyor or the city", async () => {
    const p = await person();
    const id = await request(users.s1, { personId: p.idNumber, name: "孙某" });
    expect(await outcome(decide(users.tianning, id, "approve"))).toBe("NotAllowedError");
    expect(await outcome(decide(users.hongmei, id, "approve"))).toBe("NotFoundError");
    expect(await outcome(decide(users.wuxing, id, "approve"))).toBe("NotFoundError");
    expect(await outcome(decide(users.zhonglou, id, "approve"))).toBe("NotFoundError");
    expect(await outcome(decide(users.s1, id, "approve"))).toBe("NotAllowedError");
    expect(await outcome(decide(users.city, id, "approve"))).toBe("NotAllowedError");
    expect(await outcome(decide(users.admin, id, "approve"))).toBe("NotFoundError");
    expect((await current(id)).state).toBe("SUBMITTED");
    expect(await outcome(decide(users.qinglong2, id, "approve"))).toBe("succeeded");
  });

  it("an approved request is final", async () => {
    const p = await person();
    const id = await request(users.s1, { personId: p.idNumber, name: "周某" });
    await decide(users.qinglong, id, "approve");
    expect(await outcome(decide(users.qinglong, id, "approve"))).toBe("review.err.invalidTransition");
    expect(await outcome(decide(users.qinglong, id, "return", "x"))).toBe("review.err.invalidTransition");
    expect(await outcome(decide(users.tianning, id, "approve"))).toBe("review.err.invalidTransition");
  });
});

describe("sensitive path: street initial review, then district approval", () => {
  it("the street's approval changes nothing yet; the district's applies birth date and hukou type", async () => {
    const p = await person();
    const id = await request(users.s1, { personId: p.idNumber, birthDate: "1980-02-03", hukouType: "NON_AGRICULTURAL" });
    expect((await current(id)).sensitive).toBe(true);
    expect(await decide(users.qinglong, id, "approve")).toBe("STREET_APPROVED");
    let after = await prisma().person.findUniqueOrThrow({ where: { idNumber: p.idNumber } });
    expect(after.birthDate?.toISOString().slice(0, 10)).toBe("1980-01-01");
    expect(after.hukouType).toBeNull();
    expect(await prisma().personHistory.count({ where: { idNumber: p.idNumber } })).toBe(0);
    // The street cannot give the district's approval; another district cannot see the request.
    expect(await outcome(decide(users.qinglong, id, "approve"))).toBe("NotAllowedError");
    expect(await outcome(decide(users.zhonglou, id, "approve"))).toBe("NotFoundError");
    expect(await decide(users.tianning, id, "approve")).toBe("APPROVED");
    after = await prisma().person.findUniqueOrThrow({ where: { idNumber: p.idNumber } });
    expect(after.birthDate?.toISOString().slice(0, 10)).toBe("1980-02-03");
    expect(after.hukouType).toBe("NON_AGRICULTURAL");
    const history = await prisma().personHistory.findMany({ where: { idNumber: p.idNumber }, orderBy: { field: "asc" } });
    expect(history.map((h) => [h.field, h.oldValue, h.newValue, h.changedById])).toEqual([
      ["birthDate", "1980-01-01", "1980-02-03", users.tianning.id],
      ["hukouType", null, "NON_AGRICULTURAL", users.tianning.id],
    ]);
  });

  it("the district cannot approve before the street", async () => {
    const p = await person();
    const id = await request(users.s1, { personId: p.idNumber, hukouType: "AGRICULTURAL" });
    expect(await outcome(decide(users.tianning, id, "approve"))).toBe("NotAllowedError");
    expect((await current(id)).state).toBe("SUBMITTED");
  });
});

describe("returns (退回) need a comment and end the request", () => {
  it("the street returns a submitted request", async () => {
    const p = await person();
    const id = await request(users.s1, { personId: p.idNumber, name: "吴某" });
    expect(await outcome(decide(users.qinglong, id, "return"))).toBe("review.err.commentRequired");
    expect(await decide(users.qinglong, id, "return", "证明材料不全")).toBe("RETURNED");
    const r = await current(id);
    expect(r.comment).toBe("证明材料不全");
    expect(await outcome(decide(users.qinglong, id, "approve"))).toBe("review.err.invalidTransition");
    expect((await prisma().person.findUniqueOrThrow({ where: { idNumber: p.idNumber } })).name).toBe(p.name);
  });

  it("the district returns a street-approved request; the street cannot return it any more", async () => {
    const p = await person();
    const id = await request(users.s1, { personId: p.idNumber, birthDate: "1981-01-01" });
    await decide(users.qinglong, id, "approve");
    expect(await outcome(decide(users.qinglong, id, "return", "x"))).toBe("NotAllowedError");
    expect(await outcome(decide(users.zhonglou, id, "return", "x"))).toBe("NotFoundError");
    expect(await decide(users.tianning, id, "return", "出生日期与户籍证明不符")).toBe("RETURNED");
    expect((await prisma().person.findUniqueOrThrow({ where: { idNumber: p.idNumber } })).birthDate?.toISOString().slice(0, 10)).toBe("1980-01-01");
  });
});

describe("two reviewers at once (optimistic version)", () => {
  it("exactly one of two concurrent street approvals succeeds; the other is told it changed", async () => {
    const p = await person();
    const id = await request(users.s1, { personId: p.idNumber, name: "郑某" });
    const r = await current(id);
    const results = await Promise.all([
      outcome(decideChange(users.qinglong, { requestId: id, decision: "approve", expectedVersion: r.version })),
      outcome(decideChange(users.qinglong2, { requestId: id, decision: "approve", expectedVersion: r.version })),
    ]);
    expect(results.filter((x) => x === "succeeded")).toHaveLength(1);
    expect(results.filter((x) => x === "review.err.changedBySomeoneElse")).toHaveLength(1);
    expect(await prisma().personHistory.count({ where: { changeRequestId: id } })).toBe(1);
    expect(await prisma().auditLog.count({ where: { action: "change.approve", entityId: String(id) } })).toBe(1);
  });

  it("approve and return at once: one wins", async () => {
    const p = await person();
    const id = await request(users.s1, { personId: p.idNumber, hukouType: "RESIDENT" });
    const r = await current(id);
    const results = await Promise.all([
      outcome(decideChange(users.qinglong, { requestId: id, decision: "approve", expectedVersion: r.version })),
      outcome(decideChange(users.qinglong2, { requestId: id, decision: "return", comment: "再核实", expectedVersion: r.version })),
    ]);
    expect(results.filter((x) => x === "succeeded")).toHaveLength(1);
    expect(results.filter((x) => x === "review.err.changedBySomeoneElse")).toHaveLength(1);
  });

  it("a decision on a version the reviewer has not seen is refused", async () => {
    const p = await person();
    const id = await request(users.s1, { personId: p.idNumber, birthDate: "1980-05-05" });
    const r = await current(id);
    await decide(users.qinglong, id, "approve");
    expect(await outcome(decideChange(users.tianning, { requestId: id, decision: "approve", expectedVersion: r.version }))).toBe("review.err.changedBySomeoneElse");
  });
});

describe("ID number change: re-keying the person", () => {
  it("the person, their tasks and requests move to the new ID; history is linked under both IDs", async () => {
    const p = await person();
    // Earlier history under the old ID: a basic change.
    const first = await request(users.s1, { personId: p.idNumber, ethnicity: "满族" });
    await decide(users.qinglong, first, "approve");
    const task = await prisma().surveyTask.create({ data: { idNumber: p.idNumber, regionCode: "320402002001", reason: "未参保", category: "NOT_INSURED" } });
    const newId = makeIdNumber("320402", "19800101", 777);
    const id = await request(users.s1, { personId: p.idNumber, idNumber: newId });
    expect((await current(id)).sensitive).toBe(true);
    await decide(users.qinglong, id, "approve");
    expect(await decide(users.tianning, id, "approve")).toBe("APPROVED");
    expect(await prisma().person.findUnique({ where: { idNumber: p.idNumber } })).toBeNull();
    expect((await prisma().person.findUniqueOrThrow({ where: { idNumber: newId } })).name).toBe(p.name);
    expect((await prisma().surveyTask.findUniqueOrThrow({ where: { id: task.id } })).idNumber).toBe(newId);
    expect((await current(first)).idNumber).toBe(newId);
    const link = { field: "idNumber", oldValue: p.idNumber, newValue: newId, changeRequestId: id };
    expect(await prisma().personHistory.count({ where: { idNumber: p.idNumber, ...link } })).toBe(1);
    expect(await prisma().personHistory.count({ where: { idNumber: newId, ...link } })).toBe(1);
    // The person page under the new ID shows the whole history, the re-keying row once.
    const page = await getPersonPage(users.qinglong, newId);
    expect(page.history.map((h) => h.field).sort()).toEqual(["ethnicity", "idNumber"]);
    expect(page.tasks.map((t) => t.id)).toContain(task.id);
  });

  it("two persons re-keyed to the same new ID at once: one succeeds, the other is refused", async () => {
    const a = await person();
    const b = await person();
    const newId = makeIdNumber("320402", "19800101", 779);
    const ra = await request(users.s1, { personId: a.idNumber, idNumber: newId });
    const rb = await request(users.s1, { personId: b.idNumber, idNumber: newId });
    await decide(users.qinglong, ra, "approve");
    await decide(users.qinglong, rb, "approve");
    const [va, vb] = [(await current(ra)).version, (await current(rb)).version];
    const results = await Promise.all([
      outcome(decideChange(users.tianning, { requestId: ra, decision: "approve", expectedVersion: va })),
      outcome(decideChange(users.tianning, { requestId: rb, decision: "approve", expectedVersion: vb })),
    ]);
    expect(results.sort()).toEqual(["change.err.idRefused", "succeeded"]);
    expect(await prisma().person.count({ where: { idNumber: { in: [a.idNumber, b.idNumber] } } })).toBe(1);
  });

  it("refused at approval when the new ID entered the registry meanwhile; nothing changes", async () => {
    const p = await person();
    const newId = makeIdNumber("320402", "19800101", 778);
    const id = await request(users.s1, { personId: p.idNumber, idNumber: newId });
    await decide(users.qinglong, id, "approve");
    await prisma().person.create({ data: { idNumber: newId, name: "后来者", hukouRegionCode: "320402002001" } });
    expect(await outcome(decide(users.tianning, id, "approve"))).toBe("change.err.idRefused");
    expect((await current(id)).state).toBe("STREET_APPROVED");
    expect(await prisma().person.findUnique({ where: { idNumber: p.idNumber } })).not.toBeNull();
    expect(await prisma().personHistory.count({ where: { changeRequestId: id } })).toBe(0);
  });
});
