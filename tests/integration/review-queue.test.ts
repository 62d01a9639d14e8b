import { beforeAll, describe, expect, it } from "vitest";
import { pool, prisma } from "@/lib/db/client";
import { translator } from "@/lib/i18n/messages";
import { makeIdNumber } from "@/lib/ids/id-number";
import { PROGRESS_COLUMNS, regionCrumbs, regionProgress, regionTasks } from "@/lib/regions/progress";
import { formDiff } from "@/lib/review/diff";
import { bulkApprove, reviewTask } from "@/lib/review/mutations";
import { countQueue, iterateQueue, nextInQueue, parseQueueFilter, reviewQueuePage } from "@/lib/review/queue";
import { createTeam, submitForm } from "@/lib/survey/mutations";
import { freshDatabase } from "../helpers/db";
import { outcome, seedRegionsAndUsers, type Users } from "../helpers/registry-fixture";

// Issue 13, "review and progress that read at a glance": the review queue paged, filtered and
// searched in SQL; bulk approval that checks each form on its own; the form compared with the
// registry; the progress columns (未下发 and 待分配 apart) adding up to the total, with completion.

let users: Users;
let teamA: number;
let teamB: number;
let seq = 0;

const FORM = { employment: "FLEXIBLE", mobile: "13912345678", pension: "RESIDENT", medical: "RESIDENT", surveyors: ["张洋", "徐艳"] };

type State = "PENDING" | "ASSIGNED";
async function task(community: string, name: string, state: State = "ASSIGNED", released = true) {
  const idNumber = makeIdNumber(community.slice(0, 6), "19800101", 300 + seq++);
  await prisma().person.create({ data: { idNumber, name, hukouRegionCode: community, surveyRegionCode: community, status: "NEEDS_SURVEY", phone: "13800000000" } });
  const teamId = state === "ASSIGNED" ? (community === "320402002001" ? teamA : teamB) : null;
  return prisma().surveyTask.create({ data: { idNumber, regionCode: community, state, reason: "NOT_INSURED", category: "NOT_INSURED", releasedAt: released ? new Date() : null, teamId } });
}

/** A submitted form of `name` in `community`, filled by `by`. */
async function submitted(community: string, name: string, by = users.s1, form: Record<string, unknown> = FORM) {
  const t = await task(community, name);
  await submitForm(by, t.id, form, t.version);
  return prisma().surveyTask.findUniqueOrThrow({ where: { id: t.id } });
}

beforeAll(async () => {
  await freshDatabase();
  users = await seedRegionsAndUsers();
  teamA = await createTeam(users.qinglong, { communityCode: "320402002001", name: "甲一组", memberIds: [users.s1.id, users.s2.id] });
  teamB = await createTeam(users.qinglong, { communityCode: "320402002002", name: "乙一组", memberIds: [users.other.id, users.s3.id] }).catch(async () => {
    // s3 belongs to 甲社区: a team of 乙社区 takes 乙's surveyor and a new one.
    const u = await prisma().user.create({ data: { login: "other2", realName: "乙二", passwordHash: "x", role: "COMMUNITY_SURVEYOR", regionCode: "320402002002" } });
    return createTeam(users.qinglong, { communityCode: "320402002002", name: "乙一组", memberIds: [users.other.id, u.id] });
  });
});

describe("bulk approval: each form with the checks of one by one", () => {
  it("approves the rest, refusing the clerk's own form and a stale version each with its reason", async () => {
    const a = await submitted("320402002001", "批量甲");
    const b = await submitted("320402002001", "批量乙");
    const c = await submitted("320402002002", "批量丙", users.other);
    // The clerk fills one form themself (a street clerk may fill): four eyes forbid approving it.
    const own = await submitted("320402002001", "本人填", users.qinglong);
    const before = await prisma().taskEvent.count({ where: { event: "approve" } });
    const result = await bulkApprove(users.qinglong, [
      { taskId: a.id, version: a.version },
      { taskId: b.id, version: b.version - 1 }, // stale: someone changed it since the list was read
      { taskId: own.id, version: own.version },
      { taskId: c.id, version: c.version },
    ]);
    expect(result.approved.sort()).toEqual([a.id, c.id].sort());
    expect(result.refused.map((r) => [r.taskId, r.key, r.name])).toEqual([
      [b.id, "review.err.changedBySomeoneElse", "批量乙"],
      [own.id, "review.err.ownWork", "本人填"],
    ]);
    const states = await prisma().surveyTask.findMany({ where: { id: { in: [a.id, b.id, c.id, own.id] } }, select: { id: true, state: true } });
    expect(Object.fromEntries(states.map((s) => [s.id, s.state]))).toEqual({ [a.id]: "STREET_APPROVED", [b.id]: "SUBMITTED", [c.id]: "STREET_APPROVED", [own.id]: "SUBMITTED" });
    // Each approval is its own transition, with its own event and audit row.
    expect(await prisma().taskEvent.count({ where: { event: "approve" } })).toBe(before + 2);
    expect(await prisma().auditLog.count({ where: { action: "task.approve", entityId: { in: [String(a.id), String(c.id)] } } })).toBe(2);
  });

  it("a task of another street is refused as not found, without its name", async () => {
    const far = await submitted("320402002001", "外街道");
    const result = await bulkApprove(users.hongmei, [{ taskId: far.id, version: far.version }]);
    expect(result.approved).toEqual([]);
    expect(result.refused).toEqual([{ taskId: far.id, name: "", key: "error.notFound" }]);
    expect((await prisma().surveyTask.findUniqueOrThrow({ where: { id: far.id } })).state).toBe("SUBMITTED");
  });

  it("the district's final approval in bulk stores each record in the registry", async () => {
    const d = await submitted("320402002001", "区审定");
    await reviewTask(users.qinglong, { taskId: d.id, decision: "approve", expectedVersion: d.version });
    const result = await bulkApprove(users.tianning, [{ taskId: d.id, version: d.version + 1 }]);
    expect(result).toEqual({ approved: [d.id], refused: [] });
    expect((await prisma().person.findUniqueOrThrow({ where: { idNumber: d.idNumber } })).status).toBe("REGISTERED_BY_SURVEY");
  });
});

describe("the review queue: paged, filtered and searched in SQL", () => {
  it("filters by region, submitter, returned before; searches part of a name and part of an ID", async () => {
    const x = await submitted("320402002002", "欧阳晓明", users.other);
    const y = await submitted("320402002001", "欧阳小红");
    const z = await submitted("320402002001", "司马光");
    // z is returned once and resubmitted: "returned before"
    await reviewTask(users.qinglong, { taskId: z.id, decision: "return", comment: "手机号有误", expectedVersion: z.version });
    const zr = await prisma().surveyTask.findUniqueOrThrow({ where: { id: z.id } });
    await submitForm(users.s1, z.id, FORM, zr.version);

    const ids = async (f: Record<string, string>) => (await reviewQueuePage(users.qinglong, parseQueueFilter(f), 0)).rows.map((r) => r.id);
    expect(await ids({ q: "欧阳" })).toEqual([x.id, y.id]);
    expect(await ids({ q: "欧阳", region: "320402002001" })).toEqual([y.id]);
    expect(await ids({ q: "欧阳", submittedBy: String(users.other.id) })).toEqual([x.id]);
    expect(await ids({ returned: "yes" })).toEqual([z.id]);
    expect(await ids({ returned: "no", q: "司马" })).toEqual([]);
    expect(await ids({ q: x.idNumber.slice(-4) })).toEqual([x.id]);
    // A region outside the clerk's street is refused as not found.
    expect(await outcome(reviewQueuePage(users.qinglong, parseQueueFilter({ region: "320402004" }), 0))).toBe("NotFoundError");
    // The read is audited with its filters and the rows returned.
    const audit = await prisma().auditLog.findFirstOrThrow({ where: { action: "review.queue", userId: users.qinglong.id }, orderBy: { id: "desc" } });
    expect(audit.detail).toMatchObject({ filters: { q: x.idNumber.slice(-4) }, rows: 1 });
    // Masked IDs only.
    const page = await reviewQueuePage(users.qinglong, {}, 0);
    expect(page.rows.every((r) => !/\d{18}/.test(r.idMasked))).toBe(true);
    expect(page.rows.find((r) => r.id === z.id)?.submittedByName).toBe("s1 实名");
  });

  it("pages with a total counted in SQL; the export iterates the same rows", async () => {
    for (let i = 0; i < 53; i++) await submitted("320402002002", `分页${String(i).padStart(2, "0")}`, users.other);
    const filter = parseQueueFilter({ q: "分页" });
    const first = await reviewQueuePage(users.qinglong, filter, 0);
    const second = await reviewQueuePage(users.qinglong, filter, 1);
    expect(first.total).toBe(53);
    expect(first.rows).toHaveLength(50);
    expect(second.rows).toHaveLength(3);
    expect(new Set([...first.rows, ...second.rows].map((r) => r.id)).size).toBe(53);
    expect(await countQueue(users.qinglong, filter)).toBe(53);
    const exported: number[] = [];
    for await (const batch of iterateQueue(users.qinglong, filter, 20)) exported.push(...batch.map((r) => r.id));
    expect(exported).toEqual([...first.rows, ...second.rows].map((r) => r.id));
  });

  it("after a decision the next task of the same filtered queue opens, never the one decided", async () => {
    const filter = parseQueueFilter({ q: "分页" });
    const rows = (await reviewQueuePage(users.qinglong, filter, 0)).rows;
    expect(await nextInQueue(users.qinglong, filter, rows[0].id)).toBe(rows[1].id);
    expect(await nextInQueue(users.qinglong, filter, rows[5].id)).toBe(rows[6].id);
    // The last one wraps round to the first.
    const all: number[] = [];
    for await (const b of iterateQueue(users.qinglong, filter)) all.push(...b.map((r) => r.id));
    expect(await nextInQueue(users.qinglong, filter, all[all.length - 1])).toBe(all[0]);
    // Filtered to one task: nothing left after it.
    const one = parseQueueFilter({ q: "分页07" });
    const only = (await reviewQueuePage(users.qinglong, one, 0)).rows;
    expect(only).toHaveLength(1);
    expect(await nextInQueue(users.qinglong, one, only[0].id)).toBeNull();
  });

  it("the district's queue holds the street-approved forms of its district only", async () => {
    const rows = (await reviewQueuePage(users.tianning, {}, 0)).rows;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.state === "STREET_APPROVED" && r.regionCode.startsWith("320402"))).toBe(true);
    expect((await reviewQueuePage(users.zhonglou, {}, 0)).total).toBe(0);
  });
});

describe("the form compared with the registry", () => {
  it("lists each field with registry value → form value, marking the changed ones", async () => {
    const t = translator("zh");
    const registry = { phone: "13800000000", residenceRegionCode: "320402002001", residenceAddress: "甲社区 1 幢", surveyData: { employment: "FLEXIBLE", pension: "RESIDENT", medical: "RESIDENT", reasons: [] } };
    const form = { employment: "FLEXIBLE", mobile: "13912345678", residenceRegionCode: "320402002002", residenceAddress: "甲社区 1 幢", pension: ["EMPLOYEE", "RESIDENT"], medical: "RESIDENT", reasons: ["UNWILLING"], unemployment: true };
    const names: Record<string, string> = { "320402002001": "天宁区 青龙街道 甲社区", "320402002002": "天宁区 青龙街道 乙社区" };
    const diff = formDiff(t, registry, form, (c) => names[c]);
    const byField = Object.fromEntries(diff.map((d) => [d.field, d]));
    expect(diff.filter((d) => d.changed).map((d) => d.field).sort()).toEqual(["mobile", "pension", "reasons", "residenceRegionCode", "unemployment"].sort());
    expect(byField.mobile).toMatchObject({ before: "13800000000", after: "13912345678", changed: true });
    expect(byField.residenceRegionCode).toMatchObject({ label: "常住所在地", before: "天宁区 青龙街道 甲社区", after: "天宁区 青龙街道 乙社区" });
    expect(byField.employment.changed).toBe(false);
    expect(byField.medical.changed).toBe(false);
    // Several values read as labels joined, never as codes or JSON.
    expect(byField.pension.after).not.toMatch(/[A-Z_[\]"]/);
    expect(byField.pension.after).toContain("、");
    expect(byField.reasons.after).not.toMatch(/UNWILLING/);
    // The order of several values does not make a change.
    expect(formDiff(t, { ...registry, surveyData: { pension: ["RESIDENT", "EMPLOYEE"] } }, { pension: ["EMPLOYEE", "RESIDENT"] }).find((d) => d.field === "pension")?.changed).toBe(false);
    // A form without a residence keeps the registry's: no change.
    const kept = formDiff(t, registry, { ...registry.surveyData, mobile: "13800000000" }, (c) => names[c]);
    expect(kept.filter((d) => d.changed)).toEqual([]);
    expect(kept.find((d) => d.field === "residenceAddress")).toMatchObject({ before: "甲社区 1 幢", after: "甲社区 1 幢" });
    // A person not in the registry: every filled field is new.
    expect(formDiff(t, null, { mobile: "13912345678" })).toEqual([{ field: "mobile", label: "手机号码", before: "", after: "13912345678", changed: true }]);
  });
});

describe("progress: 未下发 and 待分配 apart, columns adding up, completion with a totals row", () => {
  it("counts per sub-region from the counters equal the tasks, and every count opens exactly its tasks", async () => {
    // A street of its own for exact numbers: 红梅街道 / 丙社区.
    const c = "320402004001";
    await prisma().surveyTeam.create({ data: { communityCode: c, name: "丙组", memberIds: [] } });
    for (let i = 0; i < 3; i++) await task(c, `未下发${i}`, "PENDING", false);
    for (let i = 0; i < 2; i++) await task(c, `待分配${i}`, "PENDING", true);
    const assigned = await task(c, "已分配", "PENDING", true);
    await prisma().surveyTask.update({ where: { id: assigned.id }, data: { state: "ASSIGNED" } });
    const done = await task(c, "已入库", "PENDING", true);
    await prisma().surveyTask.update({ where: { id: done.id }, data: { state: "DISTRICT_APPROVED" } });
    const gone = await task(c, "已结清", "PENDING", true);
    await prisma().surveyTask.update({ where: { id: gone.id }, data: { state: "SETTLED" } });

    const street = await regionProgress(users.tianning, "320402004");
    const row = street.rows.find((r) => r.code === c)!;
    expect(row.name).toBe("丙社区");
    expect(row.counts.UNRELEASED).toBe(3);
    expect(row.counts.UNASSIGNED).toBe(2);
    expect(row.counts.ASSIGNED).toBe(1);
    expect(row.counts.DISTRICT_APPROVED).toBe(1);
    expect(row.total).toBe(7); // SETTLED is no longer the survey's work
    expect(row.completion).toBe(14.3); // 1 / 7
    expect(street.totals.total).toBe(7);

    // The district: every row's columns add up to its total, the totals row to the rows' sums,
    // and the total to the published tasks counted directly.
    const district = await regionProgress(users.tianning, "320402");
    for (const r of [...district.rows, district.totals]) expect(PROGRESS_COLUMNS.reduce((s, k) => s + r.counts[k], 0)).toBe(r.total);
    for (const k of PROGRESS_COLUMNS) expect(district.rows.reduce((s, r) => s + r.counts[k], 0)).toBe(district.totals.counts[k]);
    const { rows } = await pool().query<{ n: number; closed: number; unreleased: number }>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE state IN ('DISTRICT_APPROVED', 'UNREACHABLE'))::int AS closed,
              count(*) FILTER (WHERE state = 'PENDING' AND released_at IS NULL)::int AS unreleased
         FROM survey_task WHERE region_code LIKE '320402%' AND state <> 'SETTLED'`,
    );
    expect(district.totals.total).toBe(rows[0].n);
    expect(district.totals.counts.UNRELEASED).toBe(rows[0].unreleased);
    expect(district.totals.completion).toBe(Math.round((rows[0].closed / rows[0].n) * 1000) / 10);

    // Each count opens its tasks: the list of a column holds exactly that many.
    for (const k of PROGRESS_COLUMNS) expect((await regionTasks(users.tianning, c, { state: k }, 0)).total).toBe(row.counts[k]);
    expect((await regionTasks(users.tianning, c, {}, 0)).total).toBe(row.total);
    expect((await regionTasks(users.tianning, c, { state: "UNRELEASED" }, 0)).rows.map((r) => r.name).sort()).toEqual(["未下发0", "未下发1", "未下发2"]);
    expect((await regionTasks(users.tianning, c, { q: "待分配" }, 0)).total).toBe(2);
    // Out of scope: not found.
    expect(await outcome(regionProgress(users.qinglong, "320402004"))).toBe("NotFoundError");
    expect(await outcome(regionTasks(users.zhonglou, c, {}, 0))).toBe("NotFoundError");
  });

  it("breadcrumbs name the region from the actor's own level down", async () => {
    expect((await regionCrumbs(users.city, "320402004001")).map((c) => c.name)).toEqual(["常州市", "天宁区", "红梅街道", "丙社区"]);
    expect((await regionCrumbs(users.tianning, "320402004001")).map((c) => c.name)).toEqual(["天宁区", "红梅街道", "丙社区"]);
    expect(await outcome(regionCrumbs(users.tianning, "320402004999"))).toBe("NotFoundError");
  });
});
