import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { translator } from "@/lib/i18n/messages";
import { makeIdNumber } from "@/lib/ids/id-number";
import { saveDraft } from "@/lib/survey/mutations";
import { addNewlyFoundPerson } from "@/lib/survey/mutations";
import { assignSelection, communityStaff, countStreetTasks, createCommunityTeam, listStreetTasks, rosterRows, streetTaskRows } from "@/lib/survey/assign";
import { communitySummary, printCommunityForms } from "@/lib/survey/print";
import { freshDatabase } from "../helpers/db";
import { outcome, seedRegionsAndUsers, type Users } from "../helpers/registry-fixture";

// The street's assignment work (issue 13): teams of a community's own surveyors only (refused by the
// server, not only hidden), a community without surveyors says so, a selection (ticked or "all
// matching the filter") is assigned to a team, tasks are reassigned, the list is paged, filtered and
// searched in SQL, and the summary sheet lists newly found persons.

let users: Users;
const JIA = "320402002001";
const YI = "320402002002";
const WU = "320402002003"; // a community without surveyor accounts
let seq = 0;
const SURNAMES = ["王建国", "李建华", "张伟", "刘芳", "陈建军"];

async function task(regionCode: string, opts: { released?: boolean; state?: "PENDING" | "ASSIGNED" | "DRAFT"; teamId?: number; name?: string; address?: string } = {}) {
  const idNumber = makeIdNumber("320402", "19800101", 500 + seq++);
  const name = opts.name ?? `${SURNAMES[seq % SURNAMES.length]}${seq}`;
  await prisma().person.create({ data: { idNumber, name, hukouRegionCode: regionCode, surveyRegionCode: regionCode, residenceAddress: opts.address ?? `青龙路 ${seq} 号`, status: "NEEDS_SURVEY" } });
  return prisma().surveyTask.create({
    data: { idNumber, regionCode, state: opts.state ?? "PENDING", reason: "NOT_INSURED", category: seq % 2 ? "NOT_INSURED" : "PARTIAL", releasedAt: opts.released === false ? null : new Date(), teamId: opts.teamId ?? null },
  });
}

let teamA: number;
let teamB: number;
let teamYi: number;

beforeAll(async () => {
  await freshDatabase();
  users = await seedRegionsAndUsers();
  await prisma().region.create({ data: { code: WU, name: "戊社区", level: "COMMUNITY", parentCode: "320402002" } });
  const other2 = await prisma().user.create({ data: { login: "other2", realName: "乙社区调查员二", passwordHash: "x", role: "COMMUNITY_SURVEYOR", regionCode: YI } });
  teamA = (await createCommunityTeam(users.qinglong, { communityCode: JIA, name: "甲一组", memberIds: [users.s1.id, users.s2.id] })).id;
  teamB = (await createCommunityTeam(users.qinglong, { communityCode: JIA, name: "甲二组", memberIds: [users.s2.id, users.s3.id] })).id;
  teamYi = (await createCommunityTeam(users.qinglong, { communityCode: YI, name: "乙一组", memberIds: [users.other.id, other2.id] })).id;
});

describe("teams of a community's own surveyors", () => {
  it("offers each community only its own active surveyors, and none for a community without any", async () => {
    const staff = await communityStaff(users.qinglong);
    const by = new Map(staff.map((c) => [c.code, c]));
    expect([...by.keys()]).toEqual([JIA, YI, WU]);
    expect(by.get(JIA)!.surveyors.map((s) => s.id).sort()).toEqual([users.s1.id, users.s2.id, users.s3.id].sort());
    expect(by.get(YI)!.surveyors.map((s) => s.login).sort()).toEqual(["other", "other2"]);
    expect(by.get(WU)!.surveyors).toEqual([]);
    expect(by.get(JIA)!.teams.map((t) => t.name)).toEqual(["甲一组", "甲二组"]);
    // Another street's clerk sees none of them.
    expect((await communityStaff(users.hongmei)).map((c) => c.code)).toEqual(["320402004001"]);
  });
  it("refuses a surveyor of another community on the server, with the members field named", async () => {
    const before = await prisma().surveyTeam.count();
    expect(await outcome(createCommunityTeam(users.qinglong, { communityCode: JIA, name: "混合组", memberIds: [users.s1.id, users.other.id] }))).toBe("assign.err.otherCommunity");
    expect(await outcome(createCommunityTeam(users.qinglong, { communityCode: JIA, name: "空组", memberIds: [] }))).toBe("assign.err.chooseSurveyors");
    expect(await outcome(createCommunityTeam(users.qinglong, { communityCode: JIA, name: "一人组", memberIds: [users.s1.id] }))).toBe("survey.err.teamSize");
    expect(await outcome(createCommunityTeam(users.hongmei, { communityCode: JIA, name: "越界", memberIds: [users.s1.id, users.s2.id] }))).toBe("NotFoundError");
    expect(await prisma().surveyTeam.count()).toBe(before);
    try {
      await createCommunityTeam(users.qinglong, { communityCode: JIA, name: "混合组", memberIds: [users.s1.id, users.other.id] });
    } catch (e) {
      expect((e as { field?: string }).field).toBe("memberIds");
    }
  });
  it("a community with no surveyor says so and who creates the accounts", async () => {
    let error: unknown;
    try {
      await createCommunityTeam(users.qinglong, { communityCode: WU, name: "戊一组", memberIds: [users.s1.id, users.s2.id] });
    } catch (e) {
      error = e;
    }
    const e = error as { key: string; params: Record<string, string>; field: string };
    expect(e.key).toBe("assign.err.noSurveyors");
    expect(e.field).toBe("memberIds");
    const text = translator("zh")(e.key as never, e.params);
    expect(text).toContain("戊社区");
    expect(text).toContain("系统管理员");
    expect(text).toContain("账号确认");
  });
});

describe("the street's task list: paged, filtered and searched in SQL", () => {
  it("pages and counts, filters by community, searches a partial name and part of an ID, masks IDs; scope is in the query", async () => {
    for (let i = 0; i < 60; i++) await task(JIA);
    for (let i = 0; i < 5; i++) await task(YI);
    const all = await listStreetTasks(users.qinglong, {}, 1, 25);
    expect(all.total).toBeGreaterThanOrEqual(65);
    expect(all.rows).toHaveLength(25);
    const page3 = await listStreetTasks(users.qinglong, {}, 3, 25);
    expect(page3.rows.map((r) => r.id)).not.toContain(all.rows[0].id);
    const jia = await listStreetTasks(users.qinglong, { community: JIA }, 1, 500);
    expect(jia.rows.every((r) => r.regionCode === JIA)).toBe(true);
    expect(jia.total).toBe(jia.rows.length);
    const named = await listStreetTasks(users.qinglong, { community: JIA, q: "建国" }, 1, 500);
    expect(named.total).toBeGreaterThan(0);
    expect(named.rows.every((r) => r.name.includes("建国"))).toBe(true);
    expect(named.total).toBe(jia.rows.filter((r) => r.name.includes("建国")).length);
    const someone = jia.rows[7];
    const byId = await listStreetTasks(users.qinglong, { q: someone.idNumber.slice(8, 14) }, 1, 50);
    expect(byId.rows.map((r) => r.id)).toContain(someone.id);
    expect(byId.rows.every((r) => r.idNumber.includes(someone.idNumber.slice(8, 14)))).toBe(true);
    expect(someone.idMasked).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
    expect(await countStreetTasks(users.qinglong, { community: JIA, q: "建国" })).toBe(named.total);
    // Another street: nothing of 青龙; naming 青龙's community is "not found".
    expect((await listStreetTasks(users.hongmei, {}, 1, 50)).total).toBe(0);
    expect(await outcome(listStreetTasks(users.hongmei, { community: JIA }, 1, 50))).toBe("NotFoundError");
    // The list view is audited with its filters and row count.
    const audits = await prisma().auditLog.findMany({ where: { action: "task.list", userId: users.qinglong.id }, orderBy: { id: "asc" } });
    expect(audits.map((a) => a.detail)).toContainEqual({ filters: { community: JIA, q: "建国", page: 1 }, rows: named.total });
  });
  it("the export's rows are the list's rows, every page of them", async () => {
    const filter = { community: JIA, category: "PARTIAL" as const };
    const listed = await listStreetTasks(users.qinglong, filter, 1, 10);
    const exported: number[] = [];
    for await (const batch of streetTaskRows(users.qinglong, filter)) exported.push(...batch.map((r) => r.id));
    expect(exported).toHaveLength(listed.total);
    expect(exported.slice(0, 10)).toEqual(listed.rows.map((r) => r.id));
  });
});

describe("assigning a selection, and reassigning", () => {
  it("assigns exactly the ticked tasks of the team's community; others in the selection are counted as skipped", async () => {
    const mine = await Promise.all([task(JIA), task(JIA), task(JIA)]);
    const elsewhere = await task(YI);
    const unreleased = await task(JIA, { released: false });
    const r = await assignSelection(users.qinglong, { teamId: teamA, taskIds: [...mine.map((t) => t.id), elsewhere.id, unreleased.id] });
    expect(r).toMatchObject({ assigned: 3, reassigned: 0, skipped: 2, teamName: "甲一组", communityName: "甲社区" });
    const after = await prisma().surveyTask.findMany({ where: { id: { in: [...mine.map((t) => t.id), elsewhere.id, unreleased.id] } }, orderBy: { id: "asc" } });
    expect(after.map((t) => [t.state, t.teamId])).toEqual([...mine.map(() => ["ASSIGNED", teamA]), ["PENDING", null], ["PENDING", null]]);
    const events = await prisma().taskEvent.findMany({ where: { taskId: { in: mine.map((t) => t.id) } } });
    expect(events.map((e) => [e.event, e.fromState, e.toState])).toEqual(mine.map(() => ["assign", "PENDING", "ASSIGNED"]));
    const audit = await prisma().auditLog.findFirst({ where: { action: "task.assign" }, orderBy: { id: "desc" } });
    expect(audit?.detail).toMatchObject({ tasks: 3, selected: 5, skipped: 2 });
  });
  it("assigns every task matching the filter (all N, not only the page shown)", async () => {
    const marked = await Promise.all(Array.from({ length: 7 }, (_, i) => task(JIA, { name: `赵筛选${i}` })));
    const filter = { community: JIA, q: "赵筛选" };
    expect((await listStreetTasks(users.qinglong, filter, 1, 3)).total).toBe(7);
    const r = await assignSelection(users.qinglong, { teamId: teamB, filter });
    expect(r.assigned).toBe(7);
    expect(await prisma().surveyTask.count({ where: { id: { in: marked.map((t) => t.id) }, teamId: teamB, state: "ASSIGNED" } })).toBe(7);
  });
  it("reassigns to another team of the same community, never to another community's team, and leaves started forms alone", async () => {
    const a = await task(JIA, { state: "ASSIGNED", teamId: teamA });
    const started = await task(JIA, { state: "ASSIGNED", teamId: teamA });
    await saveDraft(users.s1, started.id, { mobile: "139" }, started.version);
    const r = await assignSelection(users.qinglong, { teamId: teamB, taskIds: [a.id, started.id] });
    expect(r).toMatchObject({ assigned: 1, reassigned: 1, skipped: 1 });
    const moved = await prisma().surveyTask.findUniqueOrThrow({ where: { id: a.id } });
    expect([moved.state, moved.teamId, moved.version]).toEqual(["ASSIGNED", teamB, a.version + 1]);
    expect((await prisma().surveyTask.findUniqueOrThrow({ where: { id: started.id } })).teamId).toBe(teamA);
    const ev = await prisma().taskEvent.findFirst({ where: { taskId: a.id, event: "assign" }, orderBy: { id: "desc" } });
    expect([ev?.fromState, ev?.toState]).toEqual(["ASSIGNED", "ASSIGNED"]);
    const audit = await prisma().auditLog.findFirst({ where: { action: "task.assign" }, orderBy: { id: "desc" } });
    expect(audit?.detail).toMatchObject({ reassigned: 1, fromTeams: [teamA] });
    // To 乙社区's team: a 甲社区 task stays where it is.
    const r2 = await assignSelection(users.qinglong, { teamId: teamYi, taskIds: [a.id] });
    expect(r2).toMatchObject({ assigned: 0, skipped: 1 });
    expect((await prisma().surveyTask.findUniqueOrThrow({ where: { id: a.id } })).teamId).toBe(teamB);
  });
  it("refuses an empty selection, another street's team, and roles without the right", async () => {
    expect(await outcome(assignSelection(users.qinglong, { teamId: teamA, taskIds: [] }))).toBe("assign.err.noSelection");
    expect(await outcome(assignSelection(users.hongmei, { teamId: teamA, filter: {} }))).toBe("NotFoundError");
    expect(await outcome(assignSelection(users.city, { teamId: teamA, filter: {} }))).toBe("NotAllowedError");
    expect(await outcome(assignSelection(users.s1, { teamId: teamA, filter: {} }))).toBe("NotAllowedError");
  });
  it("the roster of a selection holds exactly the selected tasks of the community", async () => {
    const picked = await Promise.all([task(JIA), task(JIA), task(JIA)]);
    await task(JIA);
    const roster = await rosterRows(users.qinglong, JIA, {}, picked.map((t) => t.id));
    expect(roster.rows.map((r) => r.id).sort()).toEqual(picked.map((t) => t.id).sort());
    expect(roster.communityName).toBe("甲社区");
    // A task of another community is not in 甲社区's roster, even when its id is sent.
    const yi = await task(YI);
    expect((await rosterRows(users.qinglong, JIA, {}, [yi.id])).rows).toEqual([]);
    expect(await outcome(rosterRows(users.hongmei, JIA, {}, [picked[0].id]))).toBe("NotFoundError");
  });
});

describe("the summary sheet (汇总表)", () => {
  it("lists newly found persons too: one row per printed form", async () => {
    const idNumber = makeIdNumber("320402", "19900505", 7);
    await addNewlyFoundPerson(users.s1, { idNumber, name: "新发现甲", hukouAddress: "青龙路 99 号", teamId: teamA });
    const sheet = await communitySummary(users.qinglong, JIA);
    const row = sheet.rows.find((r) => r.idNumber === idNumber);
    expect(row).toMatchObject({ name: "新发现甲", hukouAddress: "青龙路 99 号", category: "NEWLY_FOUND", state: "ASSIGNED" });
    const forms = await printCommunityForms(users.qinglong, JIA);
    expect(sheet.rows.map((r) => r.taskId).sort()).toEqual(forms.forms.map((f) => f.taskId).sort());
  });
});
