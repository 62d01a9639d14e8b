import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import bcrypt from "bcryptjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateCity, type GenerateResult } from "@/lib/comparison/generate";
import { referenceCompare, type RefResult } from "@/lib/comparison/reference";
import { runComparison } from "@/lib/comparison/run";
import { prisma } from "@/lib/db/client";
import { importFile } from "@/lib/import/import-file";
import { reviewTask } from "@/lib/review/mutations";
import { exportStats } from "@/lib/stats/export";
import { freshDatabase } from "../../helpers/db";
import { db } from "../comparison/fixture";

// statistics.md on a generated city: the export of the real pipeline (import → comparison → the
// run's statistics step) against a count made here, in TypeScript, from the spec's definitions over
// the independent oracle's per-person results (lib/comparison/reference.ts) — not from the SQL.

const AS_OF = "2026-11-25";
const CATEGORY_ORDER = ["EXCLUDED", "INFO_ERROR", "DUPLICATE", "NOT_INSURED", "INTERRUPTED", "PARTIAL", "CONFIRMED"];
const MEASURE_ORDER = [
  "persons", ...CATEGORY_ORDER.map((c) => `category:${c}`), "to_register", "registered", "pension_applies", "pension_active", "medical_applies",
  "medical_active", "employee_applies", "unemployment_active", "work_injury_active", "maternity_active", "elsewhere_in_province",
  "elsewhere_out_of_province", "needs_survey",
];

let dir: string;
let gen: GenerateResult;
let regionCodes: string[];
let runId: number;

/** statistics.md §2, restated per person: the measures the person counts in. */
function personMeasures(r: RefResult, registeredBySurvey: boolean): string[] {
  const out = ["persons", `category:${r.category}`];
  if (r.category === "EXCLUDED") return out;
  const active = new Set(r.facts.active);
  out.push("to_register");
  if (r.category === "CONFIRMED" || registeredBySurvey) out.push("registered");
  if (r.facts.pension_applies) {
    out.push("pension_applies");
    if (["110", "120", "170"].some((s) => active.has(s))) out.push("pension_active");
  }
  out.push("medical_applies");
  if (active.has("310") || active.has("390")) out.push("medical_active");
  if (r.facts.employee_set) {
    out.push("employee_applies");
    if (active.has("210")) out.push("unemployment_active");
    if (active.has("410")) out.push("work_injury_active");
    if (active.has("510")) out.push("maternity_active");
  }
  if (r.flags.includes("elsewhere_in_province")) out.push("elsewhere_in_province");
  if (r.flags.includes("elsewhere_out_of_province")) out.push("elsewhere_out_of_province");
  if (r.category !== "CONFIRMED") out.push("needs_survey");
  return out;
}

/** The expected export rows (region → measure → value) from the oracle's results. */
function expectedFigures(results: RefResult[], registeredBySurvey: Set<string>): Map<string, Map<string, number>> {
  const fig = new Map<string, Map<string, number>>();
  for (const code of ["-", ...regionCodes]) fig.set(code, new Map(MEASURE_ORDER.map((m) => [m, 0])));
  for (const r of results) {
    // §1: the statistics region and its ancestors; otherwise the '-' row and the city
    const region = r.facts.stats_region;
    const places = region ? regionCodes.filter((c) => region.startsWith(c)) : ["-", "3204"];
    for (const m of personMeasures(r, registeredBySurvey.has(r.id_number))) for (const p of places) fig.get(p)!.set(m, fig.get(p)!.get(m)! + 1);
  }
  return fig;
}

function parseExport(file: string): { text: string; rows: [string, string, number][] } {
  const text = fs.readFileSync(file, "utf8");
  const lines = text.slice(1).split("\r\n");
  expect(lines.pop()).toBe("");
  expect(lines.shift()).toBe("region_code,measure,value");
  return { text, rows: lines.map((l) => { const [a, b, c] = l.split(","); expect(c).toMatch(/^\d+$/); return [a, b, Number(c)]; }) };
}

function asMap(rows: [string, string, number][]): Map<string, Map<string, number>> {
  const m = new Map<string, Map<string, number>>();
  for (const [r, k, v] of rows) {
    if (!m.has(r)) m.set(r, new Map());
    m.get(r)!.set(k, v);
  }
  return m;
}

function diffs(a: Map<string, Map<string, number>>, b: Map<string, Map<string, number>>): string[] {
  const out: string[] = [];
  for (const [r, ms] of b) for (const [k, v] of ms) if (a.get(r)?.get(k) !== v) out.push(`${r} ${k}: ${a.get(r)?.get(k)} ≠ ${v}`);
  for (const r of a.keys()) if (!b.has(r)) out.push(`${r}: unexpected`);
  return out;
}

beforeAll(async () => {
  await freshDatabase();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "stats-"));
  gen = await generateCity({ persons: 3000, outDir: dir, seed: 12, asOf: AS_OF, expected: true });
  for (const f of gen.files) await importFile({ kind: f.kind, filePath: path.join(dir, f.file) });
  // a street and a community where nobody lives: their rows are written too, as zeros
  await prisma().region.create({ data: { code: "320402990", name: "空街道", level: "STREET", parentCode: "320402" } });
  await prisma().region.create({ data: { code: "320402990001", name: "空社区", level: "COMMUNITY", parentCode: "320402990" } });
  runId = (await runComparison({ asOf: AS_OF })).runId;
  regionCodes = (await prisma().region.findMany({ select: { code: true } })).map((r) => r.code);
}, 120_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("stats-export on a generated city", () => {
  it("has the format of statistics.md §4: BOM, CRLF, every region and measure, '-' first, code-point order then measure order", async () => {
    const out = path.join(dir, "stats.csv");
    const r = await exportStats("latest", out);
    expect(r.runId).toBe(runId);
    const { text, rows } = parseExport(out);
    expect(text.startsWith("\uFEFFregion_code,measure,value\r\n")).toBe(true);
    expect(text.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
    const codes = ["-", ...regionCodes].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect(rows.map(([c, m]) => `${c} ${m}`)).toEqual(codes.flatMap((c) => MEASURE_ORDER.map((m) => `${c} ${m}`)));
    expect(r.rows).toBe(codes.length * MEASURE_ORDER.length);
    // regions with zero persons are there too
    expect(rows.filter(([c]) => c.startsWith("320402990")).map(([, , v]) => v)).toEqual(new Array(2 * MEASURE_ORDER.length).fill(0));
  });

  it("every figure equals a direct count of the oracle's persons by the spec's definitions", async () => {
    const out = path.join(dir, "stats.csv");
    await exportStats(String(runId), out);
    const { results } = referenceCompare({ ...gen.oracleInput!, basis: "hukou" });
    const expected = expectedFigures(results, new Set());
    expect(diffs(asMap(parseExport(out).rows), expected)).toEqual([]);
    // the data is not trivial: every measure is non-zero at city level, and there are '-' persons
    for (const m of MEASURE_ORDER) expect(expected.get("3204")!.get(m), m).toBeGreaterThan(0);
    expect(expected.get("-")!.get("persons")).toBeGreaterThan(0);
    // right after a run with no survey, registered = category:CONFIRMED
    for (const ms of expected.values()) expect(ms.get("registered")).toBe(ms.get("category:CONFIRMED"));
  });

  it("a level equals its children, plus the '-' row at city level", async () => {
    const out = path.join(dir, "stats.csv");
    await exportStats("latest", out);
    const fig = asMap(parseExport(out).rows);
    const levels = regionCodes.filter((c) => c.length < 12);
    for (const parent of levels) {
      const childLen = parent.length === 4 ? 6 : parent.length === 6 ? 9 : 12;
      const children = regionCodes.filter((c) => c.length === childLen && c.startsWith(parent));
      for (const m of MEASURE_ORDER) {
        const sum = children.reduce((a, c) => a + fig.get(c)!.get(m)!, 0) + (parent.length === 4 ? fig.get("-")!.get(m)! : 0);
        expect(fig.get(parent)!.get(m), `${parent} ${m}`).toBe(sum);
      }
    }
  });

  it("with the residence basis, persons count in their residence community", async () => {
    const s = await runComparison({ asOf: AS_OF, basis: "residence" });
    const out = path.join(dir, "stats-residence.csv");
    await exportStats(s.runId, out);
    const { results } = referenceCompare({ ...gen.oracleInput!, basis: "residence" });
    expect(diffs(asMap(parseExport(out).rows), expectedFigures(results, new Set()))).toEqual([]);
    runId = (await runComparison({ asOf: AS_OF })).runId; // back to hukou for the tests below
  }, 60_000);

  it("a district's approval (审定) moves registered of the person's community and its ancestors, and no other figure; the next run keeps it", async () => {
    const before = path.join(dir, "before.csv");
    await exportStats("latest", before);
    const c = await db();
    let task: { id: number; id_number: string; region_code: string; version: number };
    try {
      task = (
        await c.query(
          `SELECT t.id, t.id_number, t.region_code, t.version + 1 AS version FROM survey_task t
             JOIN comparison_result r ON r.run_id = $1 AND r.id_number = t.id_number
            WHERE t.state = 'PENDING' AND r.category = 'NOT_INSURED' ORDER BY t.id LIMIT 1`,
          [runId],
        )
      ).rows[0];
      // the survey up to the street's approval (its own workflow is tested in survey-workflow.test.ts)
      await c.query(`UPDATE survey_task SET state = 'STREET_APPROVED', version = version + 1 WHERE id = $1`, [task.id]);
      await c.query(`INSERT INTO survey_form (task_id, data) VALUES ($1, $2)`, [
        task.id,
        JSON.stringify({ employment: "FLEXIBLE", mobile: "13912345678", pension: "RESIDENT", medical: "RESIDENT", surveyors: ["张洋", "徐艳"], residenceAddress: "1 幢" }),
      ]);
    } finally {
      await c.end();
    }
    const district = task.region_code.slice(0, 6);
    const u = await prisma().user.create({ data: { login: "district", realName: "区审定", passwordHash: await bcrypt.hash("x", 4), role: "DISTRICT_REVIEWER", regionCode: district } });
    expect(await reviewTask({ id: u.id, login: u.login, role: "DISTRICT_REVIEWER", regionCode: district }, { taskId: task.id, decision: "approve", expectedVersion: task.version })).toBe(
      "DISTRICT_APPROVED",
    );
    const after = path.join(dir, "after.csv");
    await exportStats("latest", after);
    const a = asMap(parseExport(before).rows);
    const b = asMap(parseExport(after).rows);
    const moved = diffs(a, b);
    const places = regionCodes.filter((r) => task.region_code.startsWith(r)).sort();
    expect(moved).toEqual(places.map((p) => `${p} registered: ${a.get(p)!.get("registered")} ≠ ${a.get(p)!.get("registered")! + 1}`));
    const { results } = referenceCompare({ ...gen.oracleInput!, basis: "hukou" });
    expect(diffs(b, expectedFigures(results, new Set([task.id_number])))).toEqual([]);
    // a later run over the same data agrees with the survey: the person stays registered
    await runComparison({ asOf: AS_OF });
    const next = path.join(dir, "next.csv");
    await exportStats("latest", next);
    expect(diffs(asMap(parseExport(next).rows), b)).toEqual([]);
  }, 60_000);

  it("the survey counters follow the tasks the runs created and updated, and the approval (and their folding by a run)", async () => {
    const { surveyFiguresUnder } = await import("@/lib/stats/survey");
    const c = await db();
    try {
      const { rows } = await c.query<{ code: string; state: string; n: number }>(
        `SELECT left(region_code, 6) AS code, state::text AS state, count(*)::int AS n FROM survey_task GROUP BY 1, 2`,
      );
      const figures = await surveyFiguresUnder(c, "3204", 6);
      for (const code of ["3204", ...new Set(rows.map((r) => r.code))]) {
        const expected = Object.fromEntries(rows.filter((r) => r.code.startsWith(code)).reduce((m, r) => m.set(r.state, (m.get(r.state) ?? 0) + r.n), new Map<string, number>()));
        expect(Object.fromEntries(Object.entries(figures.get(code)!.byState).filter(([, v]) => v !== 0)), code).toEqual(expected);
      }
      // folded by the last run: at most one row per group
      const { rows: dup } = await c.query(`SELECT 1 FROM stats_task_count GROUP BY region_code, state, newly_found, ever_submitted, ever_returned HAVING count(*) > 1`);
      expect(dup.length).toBe(0);
    } finally {
      await c.end();
    }
  });

  it("every figure equals the count of its person list (人员明细), the export holds exactly the list's rows, and the list is scoped", async () => {
    const { personList, personListAll, PAGE_SIZE } = await import("@/lib/stats/persons");
    const { dashboard } = await import("@/lib/stats/dashboard");
    const city = { id: 1, login: "c", role: "CITY_STAFF" as const, regionCode: "3204" };
    const out = path.join(dir, "list.csv");
    await exportStats("latest", out);
    const fig = asMap(parseExport(out).rows);
    const community = regionCodes.find((c) => c.length === 12 && fig.get(c)!.get("persons")! > 0)!;
    for (const region of ["3204", "-", community.slice(0, 6), community.slice(0, 9), community]) {
      for (const m of MEASURE_ORDER) {
        // the list's rows, counted (the export runs the list's query over all pages) — the page's
        // total is read from the aggregate, so the rows are what proves the figure
        const all = await personListAll(city, { region, measure: m });
        expect(all.rows.length, `${region} ${m}`).toBe(fig.get(region)!.get(m));
        const list = await personList(city, { region, measure: m });
        expect(list.total, `${region} ${m}`).toBe(fig.get(region)!.get(m));
        expect(list.rows.length).toBe(Math.min(PAGE_SIZE, list.total));
        expect(list.rows).toEqual(all.rows.slice(0, PAGE_SIZE));
      }
    }
    // the dashboard shows the same figures
    const d = await dashboard(city);
    expect(d.total.figures).toEqual(Object.fromEntries(fig.get("3204")!));
    expect(d.elsewhereRow!.figures).toEqual(Object.fromEntries(fig.get("-")!));
    // every page of the list = the export's rows; a search narrows both alike
    const all = await personListAll(city, { region: community.slice(0, 6), measure: "needs_survey" });
    const paged = [];
    for (let page = 1; paged.length < all.rows.length; page++) paged.push(...(await personList(city, { region: community.slice(0, 6), measure: "needs_survey", page })).rows);
    expect(paged).toEqual(all.rows);
    const someone = all.rows[3];
    const byId = await personList(city, { region: community.slice(0, 6), measure: "needs_survey", q: someone.idNumber.slice(8, 14) });
    expect(byId.rows.map((r) => r.idNumber)).toContain(someone.idNumber);
    expect(byId.rows.every((r) => r.idNumber.includes(someone.idNumber.slice(8, 14)) || r.name.includes(someone.idNumber.slice(8, 14)))).toBe(true);
    expect((await personListAll(city, { region: community.slice(0, 6), measure: "needs_survey", q: someone.idNumber.slice(8, 14) })).rows).toEqual(byId.rows);
    expect(byId.rows[0].maskedId).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
    // scope: another district, a sibling community, the '-' row below city level: not found
    const district = { id: 2, login: "d", role: "DISTRICT_REVIEWER" as const, regionCode: community.slice(0, 6) };
    const other = regionCodes.find((c) => c.length === 6 && c !== district.regionCode)!;
    await expect(personList(district, { region: other, measure: "persons" })).rejects.toThrow(/^not found/);
    await expect(personList(district, { region: "-", measure: "persons" })).rejects.toThrow(/^not found/);
    await expect(dashboard(district, other)).rejects.toThrow(/^not found/);
    const surveyor = { id: 3, login: "s", role: "COMMUNITY_SURVEYOR" as const, regionCode: community };
    const sibling = regionCodes.find((c) => c.length === 12 && c !== community && c.startsWith(community.slice(0, 9)))!;
    await expect(dashboard(surveyor, sibling)).rejects.toThrow(/^not found/);
    expect((await dashboard(surveyor)).total.figures.persons).toBe(fig.get(community)!.get("persons"));
    // a surveyor may not export
    await expect(personListAll(surveyor, { region: community, measure: "persons" })).rejects.toThrow();
  }, 120_000);

  it("the list's filters (category, flag, missing scheme, task state, reason) narrow it as their figures and a direct count say, the export alike", async () => {
    const { personList, personListAll, PAGE_SIZE } = await import("@/lib/stats/persons");
    const city = { id: 1, login: "c", role: "CITY_STAFF" as const, regionCode: "3204" };
    const out = path.join(dir, "filters.csv");
    await exportStats("latest", out);
    const fig = asMap(parseExport(out).rows);
    const district = regionCodes.find((c) => c.length === 6 && fig.get(c)!.get("needs_survey")! > 0)!;
    // a category filter on all persons = the category's figure; a flag on to_register = its measure
    for (const region of ["3204", district]) {
      for (const c of CATEGORY_ORDER) expect((await personListAll(city, { region, measure: "persons", category: c })).rows.length, `${region} ${c}`).toBe(fig.get(region)!.get(`category:${c}`));
      expect((await personList(city, { region, measure: "to_register", flag: "elsewhere_in_province" })).total).toBe(fig.get(region)!.get("elsewhere_in_province"));
    }
    const c = await db();
    try {
      const direct = async (where: string, params: unknown[]) =>
        (await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM comparison_result r WHERE r.run_id = $1 AND starts_with(r.count_region_code, $2) AND ${where}`, [runId, district, ...params])).rows[0].n;
      // missing scheme, on the needs_survey figure
      const missing = await personListAll(city, { region: district, measure: "needs_survey", missing: "110" });
      expect(missing.rows.length).toBe(await direct(`r.category NOT IN ('EXCLUDED', 'CONFIRMED') AND '110' = ANY (r.missing_schemes)`, []));
      expect(missing.rows.length).toBeGreaterThan(0);
      expect(missing.rows.every((r) => r.missingSchemes.includes("110"))).toBe(true);
      // task state: the persons with a task in that state
      const pending = await personListAll(city, { region: district, measure: "persons", state: "PENDING" });
      expect(pending.rows.length).toBe(await direct(`EXISTS (SELECT 1 FROM survey_task t WHERE t.id_number = r.id_number AND t.state = 'PENDING')`, []));
      expect(pending.rows.length).toBeGreaterThan(0);
      expect(pending.rows.every((r) => r.taskState === "PENDING")).toBe(true);
      // filters combine; page 1 is the export's beginning; the figure's count is not used then
      const both = await personList(city, { region: district, measure: "needs_survey", category: "NOT_INSURED", state: "PENDING" });
      const bothAll = await personListAll(city, { region: district, measure: "needs_survey", category: "NOT_INSURED", state: "PENDING" });
      expect(both.total).toBe(bothAll.rows.length);
      expect(both.total).toBe(await direct(`r.category = 'NOT_INSURED' AND EXISTS (SELECT 1 FROM survey_task t WHERE t.id_number = r.id_number AND t.state = 'PENDING')`, []));
      expect(both.rows).toEqual(bothAll.rows.slice(0, PAGE_SIZE));
      expect(both.filters).toEqual({ category: "NOT_INSURED", state: "PENDING" });
      // an unknown code is "not found", not an empty list
      await expect(personList(city, { region: district, measure: "persons", flag: "nonsense" })).rejects.toThrow(/^not found/);
      await expect(personList(city, { region: district, measure: "tasks:NOPE" })).rejects.toThrow(/^not found/);
    } finally {
      await c.end();
    }
  }, 120_000);

  it("every survey figure (tasks per state, completion and return rates' terms, funnel stages, newly found, reasons) equals the count of its list, at every level", async () => {
    const { personList, personListAll } = await import("@/lib/stats/persons");
    const { SURVEY_FIGURES, surveyFiguresUnder, reasonsUnder, FUNNEL } = await import("@/lib/stats/survey");
    const c = await db();
    let community: string;
    try {
      // survey activity in one community: approvals with reasons (several per form, one repeated),
      // a returned and resubmitted task, an unreachable one, failed visits
      const tasks = (await c.query<{ id: number; region_code: string }>(
        `SELECT id, region_code FROM survey_task WHERE state = 'PENDING' AND region_code = (SELECT region_code FROM survey_task WHERE state = 'PENDING' GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1) ORDER BY id LIMIT 8`,
      )).rows;
      expect(tasks.length).toBe(8);
      community = tasks[0].region_code;
      const reasons = [["UNWILLING", "CANNOT_AFFORD"], ["UNWILLING"], ["CANNOT_AFFORD", "UNWILLING", "UNWILLING"], ["COMMERCIAL"]];
      for (const [i, r] of reasons.entries()) {
        await c.query(`UPDATE survey_task SET state = 'SUBMITTED' WHERE id = $1`, [tasks[i].id]);
        await c.query(`UPDATE survey_task SET state = 'STREET_APPROVED' WHERE id = $1`, [tasks[i].id]);
        await c.query(`INSERT INTO survey_form (task_id, data) VALUES ($1, $2) ON CONFLICT (task_id) DO UPDATE SET data = EXCLUDED.data`, [tasks[i].id, JSON.stringify({ reasons: r })]);
        await c.query(`UPDATE survey_task SET state = 'DISTRICT_APPROVED' WHERE id = $1`, [tasks[i].id]);
      }
      await c.query(`UPDATE survey_task SET state = 'SUBMITTED' WHERE id = $1`, [tasks[4].id]);
      await c.query(`UPDATE survey_task SET state = 'RETURNED' WHERE id = $1`, [tasks[4].id]);
      await c.query(`UPDATE survey_task SET state = 'ASSIGNED', failed_visits = 2 WHERE id = $1`, [tasks[5].id]);
      await c.query(`UPDATE survey_task SET state = 'UNREACHABLE', failed_visits = 3 WHERE id = $1`, [tasks[6].id]);
      await c.query(`UPDATE survey_task SET state = 'DRAFT' WHERE id = $1`, [tasks[7].id]);
    } finally {
      await c.end();
    }
    const city = { id: 1, login: "c", role: "CITY_STAFF" as const, regionCode: "3204" };
    const pool = (await import("@/lib/db/client")).pool();
    const figures = await surveyFiguresUnder(pool, "3204", null);
    const value = (code: string, region: string, f: Awaited<ReturnType<typeof surveyFiguresUnder>>, r: { reason: string; persons: number }[]): number | null => {
      const s = f.get(region)!;
      if (code.startsWith("reason:")) return r.find((x) => x.reason === code.slice(7))?.persons ?? 0;
      if ((FUNNEL as readonly string[]).includes(code)) return s.stages[code];
      if (code === "tasks:closed") return s.closed;
      if (code === "tasks:published") return s.published;
      if (code === "tasks:submitted") return s.submitted;
      if (code === "tasks:returned") return s.returned;
      if (code === "tasks:newly_found") return s.newlyFound;
      if (code === "tasks:failed_visits") return null; // a sum of visits, not of tasks
      return s.byState[code.slice(6)];
    };
    expect(figures.get("3204")!.byState.DISTRICT_APPROVED).toBeGreaterThanOrEqual(4);
    for (const region of ["3204", community!.slice(0, 6), community!.slice(0, 9), community!]) {
      const f = await surveyFiguresUnder(pool, region, null);
      const r = await reasonsUnder(pool, region);
      expect(r.find((x) => x.reason === "UNWILLING")?.persons, region).toBe(3);
      for (const fig of SURVEY_FIGURES) {
        const expected = value(fig.code, region, f, r);
        const all = await personListAll(city, { region, measure: fig.code });
        const list = await personList(city, { region, measure: fig.code });
        if (expected === null) {
          expect(all.rows.length).toBe(2);
          continue;
        }
        expect(all.rows.length, `${region} ${fig.code}`).toBe(expected);
        expect(list.total, `${region} ${fig.code}`).toBe(expected);
      }
    }
    // the reason filter on a run figure: the persons whose approved form gives it
    const unwilling = await personListAll(city, { region: "3204", measure: "persons", reason: "UNWILLING" });
    expect(unwilling.rows.length).toBe(3);
    // a surveyor's survey lists are their community's; a sibling's is not found
    const surveyor = { id: 3, login: "s", role: "COMMUNITY_SURVEYOR" as const, regionCode: community! };
    const sibling = regionCodes.find((x) => x.length === 12 && x !== community && x.startsWith(community!.slice(0, 9)))!;
    expect((await personList(surveyor, { region: community!, measure: "tasks:DISTRICT_APPROVED" })).total).toBe(4);
    await expect(personList(surveyor, { region: sibling, measure: "tasks:PENDING" })).rejects.toThrow(/^not found/);
  }, 120_000);

  it("a month-end snapshot keeps the latest run's figures and the task counts; the first dashboard of a month takes the month before once", async () => {
    const { takeSnapshot, ensureLastMonthSnapshot } = await import("@/lib/stats/snapshot");
    const c = await db();
    try {
      const r = await takeSnapshot("2026-10");
      expect(r.runId).toBe((await c.query(`SELECT max(run_id) AS id FROM stats_measure`)).rows[0].id);
      const { rows: diff } = await c.query(
        `(SELECT region_code, measure, value FROM stats_snapshot WHERE month = '2026-10' AND measure NOT LIKE 'tasks:%'
          EXCEPT SELECT region_code, measure, value FROM stats_measure WHERE run_id = $1)
         UNION ALL
         (SELECT region_code, measure, value FROM stats_measure WHERE run_id = $1
          EXCEPT SELECT region_code, measure, value FROM stats_snapshot WHERE month = '2026-10')`,
        [r.runId],
      );
      expect(diff).toEqual([]);
      const tasks = (await c.query<{ n: number }>(`SELECT sum(value)::int AS n FROM stats_snapshot WHERE month = '2026-10' AND measure LIKE 'tasks:%'`)).rows[0].n;
      expect(tasks).toBe((await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM survey_task`)).rows[0].n);
      // taking it again replaces it (same rows)
      expect((await takeSnapshot("2026-10")).rows).toBe(r.rows);
      await expect(takeSnapshot("2026-13")).rejects.toThrow(/YYYY-MM/);
      const last = (await c.query<{ m: string }>(`SELECT to_char((now() AT TIME ZONE 'Asia/Shanghai') - interval '1 month', 'YYYY-MM') AS m`)).rows[0].m;
      await ensureLastMonthSnapshot();
      const taken = (await c.query(`SELECT min(taken_at) AS t, count(*)::int AS n FROM stats_snapshot WHERE month = $1`, [last])).rows[0];
      expect(taken.n).toBe(r.rows);
      await ensureLastMonthSnapshot(); // not again
      expect((await c.query(`SELECT min(taken_at) AS t FROM stats_snapshot WHERE month = $1`, [last])).rows[0].t).toEqual(taken.t);
    } finally {
      await c.end();
    }
  });
  it("the trend of the headline rates: one point per run with statistics and per month-end snapshot, each the figures of that run or month", async () => {
    const { runTrend, monthTrend } = await import("@/lib/stats/trend");
    const { dashboard } = await import("@/lib/stats/dashboard");
    const c = await db();
    try {
      const runs = (await c.query<{ id: number }>(`SELECT DISTINCT run_id AS id FROM stats_measure ORDER BY 1`)).rows.map((r) => r.id);
      expect(runs.length).toBeGreaterThanOrEqual(3);
      const community = regionCodes.find((x) => x.length === 12 && x.startsWith("320402"))!;
      for (const region of ["3204", community.slice(0, 6), community]) {
        const points = await runTrend(c, region);
        expect(points.map((p) => p.runId)).toEqual(runs);
        for (const p of points) {
          const { rows } = await c.query<{ measure: string; v: number }>(
            `SELECT measure, sum(value)::int AS v FROM stats_measure WHERE run_id = $1 AND (${region.length === 4 ? "true" : "region_code <> '-' AND starts_with(region_code, $2)"}) GROUP BY 1`,
            region.length === 4 ? [p.runId] : [p.runId, region],
          );
          for (const r of rows) if (r.measure in p.figures) expect(p.figures[r.measure], `${region} #${p.runId} ${r.measure}`).toBe(r.v);
          expect(p.figures.to_register).toBeGreaterThan(0);
        }
      }
      // the months: the snapshot of 2026-10 taken above, with the figures it kept
      const months = await monthTrend(c, "3204");
      const oct = months.find((m) => m.key === "2026-10")!;
      const kept = (await c.query<{ v: number }>(`SELECT sum(value)::int AS v FROM stats_snapshot WHERE month = '2026-10' AND measure = 'registered'`)).rows[0].v;
      expect(oct.figures.registered).toBe(kept);
      expect(oct.runId).toBe((await c.query(`SELECT max(run_id) AS id FROM stats_snapshot WHERE month = '2026-10'`)).rows[0].id);
      // the dashboard carries them
      const d = await dashboard({ id: 1, login: "c", role: "CITY_STAFF" as const, regionCode: "3204" });
      expect(d.trend.runs.length).toBe(runs.length);
      expect(d.trend.months.map((m) => m.key)).toContain("2026-10");
    } finally {
      await c.end();
    }
  });
});
