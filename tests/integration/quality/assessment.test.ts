import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { makeIdNumber } from "@/lib/ids/id-number";
import { assessment, indicatorRows, mergeRows, outcomeRows, pensionChange, registrationChange, scoreRows, setDeadline, setWeights } from "@/lib/quality/assessment";
import { freshDatabase } from "../../helpers/db";
import { outcome, seedRegionsAndUsers, type Users } from "../../helpers/registry-fixture";

// 考核: the indicators equal direct counts over the tasks' event histories, with the run's deadline
// crossed (tasks approved after it, or never, count as overdue once the period ends after it).

let users: Users;
let runId: number;
let otherRunId: number;
let seq = 0;

interface Spec {
  region: string;
  state: "PENDING" | "ASSIGNED" | "SUBMITTED" | "DISTRICT_APPROVED" | "RETURNED" | "SETTLED";
  release?: string;
  submit?: string;
  ret?: string;
  approve?: string;
  run?: "main" | "other";
}

// Dates are China-time noon (04:00Z), so each event's day is unambiguous.
const at = (d: string) => new Date(`${d}T04:00:00Z`);
const SPECS: Spec[] = [
  // 青龙街道 (320402002): 4 tasks of the run
  { region: "320402002001", state: "DISTRICT_APPROVED", release: "2026-11-02", submit: "2026-11-05", approve: "2026-11-08" }, // 6 days
  { region: "320402002001", state: "DISTRICT_APPROVED", release: "2026-11-02", submit: "2026-11-10", ret: "2026-11-11", approve: "2026-11-22" }, // 20 days, late
  { region: "320402002002", state: "ASSIGNED", release: "2026-11-02" }, // open past the deadline
  { region: "320402002002", state: "SETTLED", release: "2026-11-02" }, // settled by a later comparison: not counted
  // 红梅街道 (320402004): 3 tasks
  { region: "320402004001", state: "DISTRICT_APPROVED", release: "2026-11-03", submit: "2026-11-04", approve: "2026-11-07" }, // 4 days
  { region: "320402004001", state: "RETURNED", release: "2026-11-03", submit: "2026-11-06", ret: "2026-11-09" },
  { region: "320402004001", state: "DISTRICT_APPROVED", release: "2026-11-03", submit: "2026-11-05", approve: "2026-11-13" }, // 10 days
  // 五星街道 (320404001, 钟楼区): 2 tasks
  { region: "320404001001", state: "DISTRICT_APPROVED", release: "2026-11-01", submit: "2026-11-02", approve: "2026-11-03" }, // 2 days
  { region: "320404001001", state: "PENDING" },
  // another run's task: not counted
  { region: "320402002001", state: "DISTRICT_APPROVED", release: "2026-11-02", submit: "2026-11-03", approve: "2026-11-04", run: "other" },
];
const DEADLINE = "2026-11-15";
const PERIOD = { from: "2026-11-01", to: "2026-11-30" };

async function makeTask(s: Spec): Promise<void> {
  const idNumber = makeIdNumber(s.region.slice(0, 6), "19700101", 500 + seq++);
  const task = await prisma().surveyTask.create({ data: { idNumber, regionCode: s.region, state: s.state, reason: "NOT_INSURED", category: "NOT_INSURED", createdRunId: s.run === "other" ? otherRunId : runId, releasedAt: s.release ? at(s.release) : null } });
  const ev = (event: string, fromState: string, toState: string, d: string) => prisma().taskEvent.create({ data: { taskId: task.id, event, fromState: fromState as never, toState: toState as never, at: at(d) } });
  if (s.release) await ev("release", "PENDING", "PENDING", s.release);
  if (s.submit) await ev("submit", "DRAFT", "SUBMITTED", s.submit);
  if (s.ret) await ev("return", "SUBMITTED", "RETURNED", s.ret);
  if (s.approve) {
    await ev("approve", "SUBMITTED", "STREET_APPROVED", s.approve);
    await ev("approve", "STREET_APPROVED", "DISTRICT_APPROVED", s.approve);
  }
}

/** The indicators counted directly from the specs (as the workflow's events describe them). */
function direct(len: number, to: string, deadline: string | null) {
  const m = new Map<string, { tasks: number; completed: number; overdue: number; days: number[]; submitted: number; returned: number }>();
  for (const s of SPECS) {
    if (s.run === "other" || s.state === "SETTLED") continue;
    const k = s.region.slice(0, len);
    const v = m.get(k) ?? { tasks: 0, completed: 0, overdue: 0, days: [], submitted: 0, returned: 0 };
    v.tasks++;
    const approved = s.approve && s.approve <= to ? s.approve : null;
    if (approved) v.completed++;
    if (deadline && deadline < to && !(s.approve && s.approve <= deadline)) v.overdue++;
    if (approved && s.release) v.days.push((at(approved).getTime() - at(s.release).getTime()) / 86400000);
    if (s.submit && s.submit <= to) {
      v.submitted++;
      if (s.ret && s.ret <= to) v.returned++;
    }
    m.set(k, v);
  }
  const median = (xs: number[]) => {
    if (!xs.length) return null;
    const y = [...xs].sort((a, b) => a - b);
    return y.length % 2 ? y[(y.length - 1) / 2] : (y[y.length / 2 - 1] + y[y.length / 2]) / 2;
  };
  return [...m.entries()].sort().map(([regionCode, v]) => ({ regionCode, tasks: v.tasks, completed: v.completed, overdue: v.overdue, medianDays: median(v.days), submitted: v.submitted, returned: v.returned, checked: 0, passed: 0 }));
}

beforeAll(async () => {
  await freshDatabase();
  users = await seedRegionsAndUsers();
  runId = (await prisma().comparisonRun.create({ data: { asOf: new Date("2026-10-31T00:00:00Z"), cityCode: "3204", status: "DONE" } })).id;
  otherRunId = (await prisma().comparisonRun.create({ data: { asOf: new Date("2026-10-01T00:00:00Z"), cityCode: "3204", status: "DONE" } })).id;
  for (const s of SPECS) await makeTask(s);
});

describe("assessment indicators", () => {
  it("equal direct counts from the task events, per street and per district, with the deadline crossed", async () => {
    expect(await indicatorRows(runId, "3204", 9, PERIOD, DEADLINE)).toEqual(direct(9, PERIOD.to, DEADLINE));
    expect(await indicatorRows(runId, "3204", 6, PERIOD, DEADLINE)).toEqual(direct(6, PERIOD.to, DEADLINE));
    // Spelled out for 青龙街道: 3 tasks, 2 approved, 2 overdue (approved late; still open), median of 6 and 20 days.
    const qinglong = (await indicatorRows(runId, "320402", 9, PERIOD, DEADLINE)).find((r) => r.regionCode === "320402002")!;
    expect(qinglong).toMatchObject({ tasks: 3, completed: 2, overdue: 2, medianDays: 13, submitted: 2, returned: 1 });
  });

  it("before the deadline nothing is overdue, and the period's end bounds what counts", async () => {
    const early = { from: "2026-11-01", to: "2026-11-10" };
    expect(await indicatorRows(runId, "3204", 9, early, DEADLINE)).toEqual(direct(9, early.to, DEADLINE));
    expect((await indicatorRows(runId, "3204", 9, early, DEADLINE)).every((r) => r.overdue === 0)).toBe(true);
    expect(await indicatorRows(runId, "3204", 9, PERIOD, null)).toEqual(direct(9, PERIOD.to, null));
  });

  it("the city ranks the districts, a district its own streets the same way; settings are the city's", async () => {
    expect(await outcome(setDeadline(users.tianning, { run: runId, deadline: DEADLINE }))).toBe("NotAllowedError");
    await setDeadline(users.city, { run: runId, deadline: DEADLINE });
    const city = await assessment(users.city, { run: runId, ...PERIOD });
    expect(city.level).toBe("DISTRICT");
    expect(city.deadline).toBe(DEADLINE);
    expect(city.rows.map((r) => r.regionCode).sort()).toEqual(["320402", "320404"]);
    const district = await assessment(users.tianning, { run: runId, ...PERIOD });
    expect(district.level).toBe("STREET");
    expect(district.rows.map((r) => r.regionCode).sort()).toEqual(["320402002", "320402004"]);
    // Same scoring: the district's ranking is scoreRows over its streets' indicators.
    expect(district.rows.map((r) => ({ ...r, regionName: undefined }))).toEqual(scoreRows(mergeRows(direct(9, PERIOD.to, DEADLINE).filter((r) => r.regionCode.startsWith("320402")), []), district.weights));
    expect(await outcome(assessment(users.tianning, { run: runId, ...PERIOD }, "320404"))).toBe("NotFoundError");
    // Weights move the ranking: only speed counts → 红梅 (median 7 days) beats 青龙 (13).
    await setWeights(users.city, { completion: 0, onTime: 0, speed: 100, returns: 0, spotCheck: 0, registration: 0, pension: 0, outreach: 0 });
    const bySpeed = await assessment(users.tianning, { run: runId, ...PERIOD });
    expect(bySpeed.rows.map((r) => [r.regionCode, r.rank, r.score])).toEqual([
      ["320402004", 1, 100],
      ["320402002", 2, Math.round((1000 * 7) / 13) / 10],
    ]);
    expect(await outcome(setWeights(users.tianning, { completion: 1, onTime: 0, speed: 0, returns: 0, spotCheck: 0, registration: 0, pension: 0, outreach: 0 }))).toBe("NotAllowedError");
  });
});

// The outcome indicators: per community, the figures of two runs (the earlier one is the previous run
// with statistics) and ledger entries; expected values are summed directly from these lists.
interface Fig { run: "main" | "other"; community: string; to_register: number; registered: number; confirmed: number; pension_applies: number; pension_active: number }
const FIGS: Fig[] = [
  { run: "main", community: "320402002001", to_register: 100, registered: 80, confirmed: 80, pension_applies: 90, pension_active: 72 },
  { run: "main", community: "320402004001", to_register: 50, registered: 40, confirmed: 40, pension_applies: 40, pension_active: 36 },
  { run: "main", community: "320404001001", to_register: 60, registered: 30, confirmed: 30, pension_applies: 50, pension_active: 30 },
  // the later run (otherRunId): registered moved with approvals since (above its CONFIRMED count)
  { run: "other", community: "320402002001", to_register: 100, registered: 90, confirmed: 82, pension_applies: 90, pension_active: 81 },
  { run: "other", community: "320402002002", to_register: 20, registered: 15, confirmed: 10, pension_applies: 20, pension_active: 10 },
  { run: "other", community: "320402004001", to_register: 50, registered: 41, confirmed: 41, pension_applies: 40, pension_active: 34 },
  { run: "other", community: "320404001001", to_register: 60, registered: 45, confirmed: 36, pension_applies: 50, pension_active: 40 },
];
interface Entry { run: "main" | "other"; region: string | null; status: "OPEN" | "ENROLLED" | "CLOSED" }
const ENTRIES: Entry[] = [
  { run: "main", region: "320402002001", status: "ENROLLED" },
  { run: "main", region: "320402002001", status: "OPEN" },
  { run: "main", region: "320402002002", status: "CLOSED" },
  { run: "main", region: "320402004001", status: "ENROLLED" },
  { run: "other", region: "320402004001", status: "ENROLLED" }, // put in by the later run
  { run: "main", region: null, status: "ENROLLED" }, // no community: city level only
  { run: "main", region: "320404001001", status: "OPEN" },
];

function directOutcomes(run: "main" | "other", len: number, prefix: string) {
  const runIds = { main: runId, other: otherRunId };
  const prev = (["main", "other"] as const).filter((r) => runIds[r] < runIds[run]).sort((a, b) => runIds[b] - runIds[a])[0] ?? null;
  const m = new Map<string, { toRegister: number; registered: number; confirmedAtRun: number; pensionApplies: number; pensionActive: number; prevPensionApplies: number | null; prevPensionActive: number | null; entries: number; enrolled: number }>();
  const get = (k: string) => {
    let v = m.get(k);
    if (!v) m.set(k, (v = { toRegister: 0, registered: 0, confirmedAtRun: 0, pensionApplies: 0, pensionActive: 0, prevPensionApplies: prev ? 0 : null, prevPensionActive: prev ? 0 : null, entries: 0, enrolled: 0 }));
    return v;
  };
  for (const f of FIGS) {
    if (!f.community.startsWith(prefix)) continue;
    if (f.run === run) {
      const v = get(f.community.slice(0, len));
      v.toRegister += f.to_register; v.registered += f.registered; v.confirmedAtRun += f.confirmed; v.pensionApplies += f.pension_applies; v.pensionActive += f.pension_active;
    } else if (f.run === prev) {
      const v = get(f.community.slice(0, len));
      v.prevPensionApplies! += f.pension_applies; v.prevPensionActive! += f.pension_active;
    }
  }
  for (const e of ENTRIES) {
    if (!e.region || !e.region.startsWith(prefix) || runIds[e.run] > runIds[run]) continue;
    const v = get(e.region.slice(0, len));
    v.entries++;
    if (e.status === "ENROLLED") v.enrolled++;
  }
  return [...m.entries()].sort().map(([regionCode, v]) => ({ regionCode, ...v }));
}

describe("assessment outcome indicators", () => {
  beforeAll(async () => {
    const runIds = { main: runId, other: otherRunId };
    for (const f of FIGS) {
      for (const [measure, value] of [["to_register", f.to_register], ["registered", f.registered], ["category:CONFIRMED", f.confirmed], ["pension_applies", f.pension_applies], ["pension_active", f.pension_active]] as const) {
        await prisma().statsMeasure.create({ data: { runId: runIds[f.run], regionCode: f.community, measure, value } });
      }
    }
    for (const run of [runId, otherRunId]) await prisma().statsMeasure.create({ data: { runId: run, regionCode: "-", measure: "registered", value: 99 } });
    for (const e of ENTRIES) {
      await prisma().outreachEntry.create({ data: { idNumber: makeIdNumber((e.region ?? "320402").slice(0, 6), "19800101", 700 + seq++), runId: runIds[e.run], lastRunId: runIds[e.run], source: "COMPARISON", regionCode: e.region, category: "NOT_INSURED", status: e.status } });
    }
  });

  it("equal direct sums of the runs' figures and the ledger, per street and per district", async () => {
    for (const run of ["main", "other"] as const) {
      const id = run === "main" ? runId : otherRunId;
      expect(await outcomeRows(id, "3204", 9)).toEqual(directOutcomes(run, 9, "3204"));
      expect(await outcomeRows(id, "3204", 6)).toEqual(directOutcomes(run, 6, "3204"));
      expect(await outcomeRows(id, "320402", 9)).toEqual(directOutcomes(run, 9, "320402"));
    }
    // Spelled out for 天宁区 in the later run: 登记率 since the run (146 − 133) / 170 = +7.6 pp;
    // 养老参保率 125/150 against (72+36)/130 earlier; 3 of 5 ledger entries enrolled.
    const tianning = (await outcomeRows(otherRunId, "3204", 6)).find((r) => r.regionCode === "320402")!;
    const row = mergeRows([], [tianning])[0];
    expect(registrationChange(row)).toBeCloseTo((100 * 13) / 170, 10);
    expect(pensionChange(row)).toBeCloseTo((100 * 125) / 150 - (100 * 108) / 130, 10);
    expect([row.entries, row.enrolled]).toEqual([5, 3]);
    // The earliest run has no previous run: no pension change.
    expect((await outcomeRows(runId, "3204", 6)).every((r) => r.prevPensionApplies === null)).toBe(true);
  });

  it("enter the weighted score and the ranking", async () => {
    await setWeights(users.city, { completion: 0, onTime: 0, speed: 0, returns: 0, spotCheck: 0, registration: 0, pension: 0, outreach: 100 });
    const byOutreach = await assessment(users.city, { run: otherRunId, ...PERIOD });
    // 天宁区 3/5 enrolled, 钟楼区 0/1
    expect(byOutreach.rows.map((r) => [r.regionCode, r.rank, r.score])).toEqual([["320402", 1, 60], ["320404", 2, 0]]);
    await setWeights(users.city, { completion: 0, onTime: 0, speed: 0, returns: 0, spotCheck: 0, registration: 100, pension: 0, outreach: 0 });
    const byRegistration = await assessment(users.city, { run: otherRunId, ...PERIOD });
    // gap closed: 钟楼 (45 − 36) / (60 − 36) = 37.5 % ranks above 天宁 (146 − 133) / (170 − 133)
    expect(byRegistration.rows.map((r) => [r.regionCode, r.score])).toEqual([["320404", Math.round((1000 * 9) / 24) / 10], ["320402", Math.round((1000 * 13) / 37) / 10]]);
    await setWeights(users.city, { completion: 0, onTime: 0, speed: 0, returns: 0, spotCheck: 0, registration: 0, pension: 100, outreach: 0 });
    const byPension = await assessment(users.city, { run: otherRunId, ...PERIOD });
    // 钟楼: 60 % → 80 % closes 20 of 40 points = 50 %; 天宁: 108/130 → 125/150
    const tianningGap = ((100 * 125) / 150 - (100 * 108) / 130) / (100 - (100 * 108) / 130);
    expect(Object.fromEntries(byPension.rows.map((r) => [r.regionCode, r.score]))).toEqual({ "320402": Math.round(1000 * tianningGap) / 10, "320404": 50 });
  });
});
