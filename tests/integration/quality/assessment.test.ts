import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { makeIdNumber } from "@/lib/ids/id-number";
import { assessment, indicatorRows, scoreRows, setDeadline, setWeights } from "@/lib/quality/assessment";
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
    expect(district.rows.map((r) => ({ ...r, regionName: undefined }))).toEqual(scoreRows(direct(9, PERIOD.to, DEADLINE).filter((r) => r.regionCode.startsWith("320402")), district.weights));
    expect(await outcome(assessment(users.tianning, { run: runId, ...PERIOD }, "320404"))).toBe("NotFoundError");
    // Weights move the ranking: only speed counts → 红梅 (median 7 days) beats 青龙 (13).
    await setWeights(users.city, { completion: 0, onTime: 0, speed: 100, returns: 0, spotCheck: 0 });
    const bySpeed = await assessment(users.tianning, { run: runId, ...PERIOD });
    expect(bySpeed.rows.map((r) => [r.regionCode, r.rank, r.score])).toEqual([
      ["320402004", 1, 100],
      ["320402002", 2, Math.round((1000 * 7) / 13) / 10],
    ]);
    expect(await outcome(setWeights(users.tianning, { completion: 1, onTime: 0, speed: 0, returns: 0, spotCheck: 0 }))).toBe("NotAllowedError");
  });
});
