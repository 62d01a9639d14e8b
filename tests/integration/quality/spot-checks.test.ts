import { beforeAll, describe, expect, it } from "vitest";
import { pool, prisma } from "@/lib/db/client";
import { makeIdNumber } from "@/lib/ids/id-number";
import { createSpotCheck, getSpotCheck, listSpotChecks, passRates, recordCheck } from "@/lib/quality/spot-checks";
import { freshDatabase } from "../../helpers/db";
import { outcome, seedRegionsAndUsers, type Users } from "../../helpers/registry-fixture";

// 质量抽查: the sample is drawn from the district's tasks approved in the period (by their
// DISTRICT_APPROVED event), reproducibly from the stored seed; a failed re-verification reopens a
// survey task for the person in its community; pass rates per street are direct counts.

let users: Users;
let seq = 0;
const COMMUNITIES = ["320402002001", "320402002002", "320402004001"];

/** A task approved by the district at `at` (its event history written as the workflow writes it). */
async function approvedTask(regionCode: string, at: string): Promise<number> {
  const idNumber = makeIdNumber(regionCode.slice(0, 6), "19750101", 300 + seq++);
  await prisma().person.create({ data: { idNumber, name: `抽查${seq}`, hukouRegionCode: regionCode, surveyRegionCode: regionCode, status: "REGISTERED_BY_SURVEY" } });
  const t = await prisma().surveyTask.create({ data: { idNumber, regionCode, state: "DISTRICT_APPROVED", reason: "NOT_INSURED", category: "NOT_INSURED", releasedAt: new Date(at), closedAt: new Date(at) } });
  await prisma().taskEvent.create({ data: { taskId: t.id, event: "approve", fromState: "SUBMITTED", toState: "STREET_APPROVED", at: new Date(at) } });
  await prisma().taskEvent.create({ data: { taskId: t.id, event: "approve", fromState: "STREET_APPROVED", toState: "DISTRICT_APPROVED", at: new Date(at) } });
  return t.id;
}

const inPeriod: number[] = [];
const zhonglouTasks: number[] = [];

beforeAll(async () => {
  await freshDatabase();
  users = await seedRegionsAndUsers();
  // 40 of 天宁 approved 2026-11-01 … 2026-11-20 (China time), some just outside the period.
  for (let i = 0; i < 40; i++) inPeriod.push(await approvedTask(COMMUNITIES[i % 3], `2026-11-${String(1 + (i % 20)).padStart(2, "0")}T03:00:00Z`));
  await approvedTask("320402002001", "2026-10-31T15:59:00Z"); // 2026-10-31 23:59 China time: before
  await approvedTask("320402002001", "2026-11-20T16:00:00Z"); // 2026-11-21 00:00 China time: after
  for (let i = 0; i < 6; i++) zhonglouTasks.push(await approvedTask("320404001001", "2026-11-05T03:00:00Z"));
  // An approved task of the period that a later run settled? no: a task still open is not in the population.
  await prisma().surveyTask.create({ data: { idNumber: makeIdNumber("320402", "19750101", 999), regionCode: "320402002001", state: "STREET_APPROVED", reason: "x", category: "NOT_INSURED" } });
});

const period = { from: "2026-11-01", to: "2026-11-20" };
const sampleOf = async (id: number) => (await prisma().spotCheckItem.findMany({ where: { spotCheckId: id }, orderBy: { position: "asc" } })).map((i) => i.taskId);

describe("the draw", () => {
  it("is reproducible from its seed: same seed, same sample; another seed, another sample", async () => {
    const a = await createSpotCheck(users.tianning, { ...period, method: "SIZE", amount: "10", seed: "abc123" } as never);
    const b = await createSpotCheck(users.tianning, { ...period, method: "SIZE", amount: "10", seed: "abc123" } as never);
    const c = await createSpotCheck(users.tianning, { ...period, method: "SIZE", amount: "10", seed: "xyz789" } as never);
    const [sa, sb, sc] = [await sampleOf(a), await sampleOf(b), await sampleOf(c)];
    expect(sa).toHaveLength(10);
    expect(sb).toEqual(sa);
    expect(sc).not.toEqual(sa);
    // Every sampled task is of the population: 天宁's tasks approved in the period.
    for (const id of [...sa, ...sc]) expect(inPeriod).toContain(id);
    expect(new Set(sa).size).toBe(10);
    const view = await getSpotCheck(users.tianning, a);
    expect(view).toMatchObject({ population: 40, size: 10, seed: "abc123", reproducible: true });
    // The order is md5(seed:id), as documented: computed here independently.
    const crypto = await import("node:crypto");
    const md5 = (s: string) => crypto.createHash("md5").update(s).digest("hex");
    const expected = [...inPeriod].sort((x, y) => (md5(`abc123:${x}`) < md5(`abc123:${y}`) ? -1 : 1)).slice(0, 10);
    expect(sa).toEqual(expected);
  });

  it("by percentage, with a generated seed, and inside the district only", async () => {
    const id = await createSpotCheck(users.tianning, { ...period, method: "PERCENT", amount: "25" } as never);
    const view = await getSpotCheck(users.tianning, id);
    expect(view.size).toBe(10);
    expect(view.seed).toMatch(/^[0-9a-f]{16}$/);
    expect(view.reproducible).toBe(true);
    const z = await createSpotCheck(users.zhonglou, { ...period, method: "SIZE", amount: "100" } as never);
    expect((await sampleOf(z)).sort()).toEqual([...zhonglouTasks].sort());
    expect(await outcome(getSpotCheck(users.tianning, z))).toBe("NotFoundError");
    expect((await getSpotCheck(users.city, z)).size).toBe(6);
    expect((await listSpotChecks(users.zhonglou)).map((c) => c.id)).toEqual([z]);
    expect(await outcome(createSpotCheck(users.tianning, { from: "2025-01-01", to: "2025-01-31", method: "SIZE", amount: "5" } as never))).toBe("quality.err.emptyPopulation");
    expect(await outcome(createSpotCheck(users.city, { ...period, method: "SIZE", amount: "5" } as never))).toBe("NotAllowedError");
    expect(await outcome(createSpotCheck(users.tianning, { ...period, method: "PERCENT", amount: "120" } as never))).toBe("ZodError");
  });
});

describe("re-verification", () => {
  const all = (v: "yes" | "no") => ({ identity: v, residence: v, pension: v, medical: v, employment: v, reasons: v });

  it("a failed check reopens a survey task in the person's community; a pass does not", async () => {
    const id = await createSpotCheck(users.tianning, { ...period, method: "SIZE", amount: "4", seed: "rv" } as never);
    const items = await prisma().spotCheckItem.findMany({ where: { spotCheckId: id }, orderBy: { position: "asc" } });
    const tasksBefore = await prisma().surveyTask.count();
    // A finding is required when a field is inconsistent; nothing is written without it.
    expect(await outcome(recordCheck(users.tianning, { itemId: items[0].id, ...all("yes"), pension: "no" }))).toBe("quality.err.findingRequired");
    // Another district may not record it.
    expect(await outcome(recordCheck(users.zhonglou, { itemId: items[0].id, ...all("yes"), pension: "no", comment: "x" }))).toBe("NotFoundError");
    expect(await prisma().surveyTask.count()).toBe(tasksBefore);
    const failed = await recordCheck(users.tianning, { itemId: items[0].id, ...all("yes"), pension: "no", comment: "养老参保状态与实际不符" });
    expect(failed.result).toBe("FAIL");
    const original = await prisma().surveyTask.findUniqueOrThrow({ where: { id: items[0].taskId } });
    const reopened = await prisma().surveyTask.findUniqueOrThrow({ where: { id: failed.reopenedTaskId! }, include: { events: true } });
    expect(reopened).toMatchObject({ idNumber: original.idNumber, regionCode: original.regionCode, state: "PENDING", reason: "质量抽查不一致：养老参保状态与实际不符" });
    expect(reopened.releasedAt).not.toBeNull();
    expect(reopened.events.map((e) => [e.event, e.toState, e.actorId])).toEqual([["spot_check_reopen", "PENDING", users.tianning.id]]);
    expect(original.state).toBe("DISTRICT_APPROVED"); // the approved record stays until a new approval
    expect(await outcome(recordCheck(users.tianning, { itemId: items[0].id, ...all("yes") }))).toBe("quality.err.alreadyRecorded");
    const passed = await recordCheck(users.tianning, { itemId: items[1].id, ...all("yes") });
    expect(passed).toEqual({ result: "PASS", reopenedTaskId: null });
    expect(await prisma().surveyTask.count()).toBe(tasksBefore + 1);
    // The same person drawn again and found inconsistent while the reopened task is open: refused, nothing written.
    const again = await createSpotCheck(users.tianning, { ...period, method: "SIZE", amount: "4", seed: "rv" } as never);
    const item = await prisma().spotCheckItem.findFirstOrThrow({ where: { spotCheckId: again, taskId: items[0].taskId } });
    expect(await outcome(recordCheck(users.tianning, { itemId: item.id, ...all("no"), comment: "仍不一致" }))).toBe("quality.err.openTaskExists");
    expect((await prisma().spotCheckItem.findUniqueOrThrow({ where: { id: item.id } })).result).toBeNull();
    expect(Number((await pool().query(`SELECT count(*) FROM audit_log WHERE action = 'task.spot_check_reopen'`)).rows[0].count)).toBe(1);
  });

  it("pass rates per street and district are the recorded results counted directly", async () => {
    const rows = await prisma().spotCheckItem.findMany({ where: { result: { not: null } } });
    const direct = (len: number) => {
      const m = new Map<string, { checked: number; passed: number }>();
      for (const r of rows) {
        const k = r.regionCode.slice(0, len);
        const v = m.get(k) ?? { checked: 0, passed: 0 };
        v.checked++;
        if (r.result === "PASS") v.passed++;
        m.set(k, v);
      }
      return [...m.entries()].sort().map(([regionCode, v]) => ({ regionCode, ...v }));
    };
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(await passRates(users.tianning, "STREET")).toEqual(direct(9));
    expect(await passRates(users.city, "DISTRICT")).toEqual(direct(6));
    expect(await passRates(users.zhonglou, "STREET")).toEqual([]);
  });
});
