import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateCity, type GenerateResult } from "@/lib/comparison/generate";
import { runComparison } from "@/lib/comparison/run";
import { pool } from "@/lib/db/client";
import { importFile } from "@/lib/import/import-file";
import { employerPersonRows, type EmployerRow, employerRows, employersCsv, exportEmployers } from "@/lib/outcomes/employers";
import { employersExport, listEmployerPersons, listEmployers } from "@/lib/outcomes/employers-view";
import type { Actor } from "@/lib/policy";
import { freshDatabase } from "../../helpers/db";

// statistics.md §5 "Employers for labour inspection", held to a direct computation: the persons and
// their categories, flags and missing schemes from the oracle's expected results (reference.ts, not
// the comparison's SQL), the records as the import stored them, and the rule of §5 written out
// plainly below — on a generated city, plus approved surveys naming units that did not enrol.

const AS_OF = "2026-11-25";
const CITY = "3204";
let dir: string;
let gen: GenerateResult;
let runId: number;
let surveyedIds: string[] = [];

interface Rec {
  batch_id: number;
  line_no: number;
  id_number: string | null;
  scheme: string;
  status: number;
  region_code: string | null;
  employer: string | null;
  benefit: boolean;
}

/** Code-point order (JavaScript's < compares UTF-16 units, which differs above U+FFFF). */
function codePointCompare(a: string, b: string): number {
  const x = Array.from(a, (c) => c.codePointAt(0)!);
  const y = Array.from(b, (c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

const surveyed = [
  { unit: "常州测试机械有限公司", reasons: ["EMPLOYER_DID_NOT_ENROL"] },
  { unit: "常州测试机械有限公司", reasons: ["CANNOT_AFFORD", "EMPLOYER_DID_NOT_ENROL"] },
  { unit: "", reasons: ["EMPLOYER_DID_NOT_ENROL"] }, // no unit name: not counted
  { unit: "常州新北物流有限公司", reasons: ["UNWILLING"] }, // another reason: not counted
];

beforeAll(async () => {
  await freshDatabase();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "employers-"));
  gen = await generateCity({ persons: 2500, outDir: dir, seed: 9, asOf: AS_OF, expected: true });
  for (const f of gen.files) await importFile({ kind: f.kind, filePath: path.join(dir, f.file) });
  runId = (await runComparison({ asOf: AS_OF })).runId;
  // Four persons of the run with an approved survey (district 审定).
  const tasks = (await pool().query<{ id: number; id_number: string }>(`SELECT id, id_number FROM survey_task WHERE created_run_id = $1 ORDER BY id LIMIT 4`, [runId])).rows;
  surveyedIds = tasks.map((t) => t.id_number);
  for (const [i, t] of tasks.entries()) {
    await pool().query(`UPDATE survey_task SET state = 'DISTRICT_APPROVED' WHERE id = $1`, [t.id]);
    await pool().query(`INSERT INTO survey_form (task_id, data) VALUES ($1, $2)`, [t.id, JSON.stringify({ unitName: surveyed[i].unit, reasons: surveyed[i].reasons })]);
  }
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function direct(inScope: (id: string) => boolean = () => true): Promise<EmployerRow[]> {
  // The persons of the run, as the oracle has them.
  const results = parse(fs.readFileSync(gen.expectedFile!, "utf8"), { bom: true, columns: true }) as { id_number: string; category: string; flags: string; missing_schemes: string }[];
  const persons = new Map<string, string[]>();
  for (const r of results) if (r.category !== "EXCLUDED" && r.flags.split(";").includes("missing_employee_schemes") && inScope(r.id_number)) persons.set(r.id_number, r.missing_schemes.split(";"));
  // The run's records in import order; "same record twice" (ID, scheme, region_code, status): the first.
  const batches = (await pool().query<{ ids: number[] }>(`SELECT input_batch_ids AS ids FROM comparison_run WHERE id = $1`, [runId])).rows[0].ids;
  const records = (await pool().query<Rec>(`SELECT batch_id, line_no, id_number, scheme, status, region_code, employer, benefit FROM enrolment_record WHERE batch_id = ANY ($1) ORDER BY batch_id, line_no`, [batches])).rows;
  const first = new Map<string, Rec>();
  for (const r of records) {
    const key = `${r.id_number}|${r.scheme}|${r.region_code ?? ""}|${r.status}`;
    if (!first.has(key)) first.set(key, r);
  }
  const byEmployer = new Map<string, Set<string>>();
  for (const r of first.values()) {
    if (!r.id_number || !persons.has(r.id_number)) continue;
    if (r.scheme !== "110" && r.scheme !== "310") continue;
    const active = r.status === 1 || (r.scheme === "110" && r.benefit);
    const local = !r.region_code || r.region_code.startsWith(CITY);
    if (!active || !local || !r.employer || r.employer.trim() === "") continue;
    if (!byEmployer.has(r.employer)) byEmployer.set(r.employer, new Set());
    byEmployer.get(r.employer)!.add(r.id_number);
  }
  const rows = new Map<string, EmployerRow>();
  for (const [employer, ids] of byEmployer) {
    const miss = (s: string) => [...ids].filter((id) => persons.get(id)!.includes(s)).length;
    rows.set(employer, { employer, persons: ids.size, missing_110: miss("110"), missing_310: miss("310"), missing_210: miss("210"), missing_410: miss("410"), missing_510: miss("510"), persons_from_survey: 0 });
  }
  for (const [i, s] of surveyed.slice(0, 2).entries()) {
    if (!inScope(surveyedIds[i])) continue;
    const row = rows.get(s.unit) ?? { employer: s.unit, persons: 0, missing_110: 0, missing_310: 0, missing_210: 0, missing_410: 0, missing_510: 0, persons_from_survey: 0 };
    row.persons_from_survey++;
    rows.set(s.unit, row);
  }
  return [...rows.values()].sort((a, b) => b.persons - a.persons || codePointCompare(a.employer, b.employer));
}

describe("employers for labour inspection (statistics.md §5)", () => {
  it("the export equals the direct computation, byte for byte", async () => {
    const expected = await direct();
    expect(expected.filter((r) => r.persons > 0).length).toBeGreaterThanOrEqual(3);
    expect(expected.some((r) => r.employer.includes(","))).toBe(true); // quoting is exercised
    const out = path.join(dir, "employers.csv");
    const r = await exportEmployers("latest", out);
    expect(r).toEqual({ runId, rows: expected.length });
    const text = fs.readFileSync(out, "utf8");
    expect(text.startsWith("\uFEFFemployer,persons,missing_110,missing_310,missing_210,missing_410,missing_510,persons_from_survey\r\n")).toBe(true);
    expect(text).toBe(employersCsv(expected));
    expect(text.split("\r\n").find((l) => l.startsWith("常州测试机械有限公司"))).toBe("常州测试机械有限公司,0,0,0,0,0,0,2");
  });
});

describe("the employers page: district scope and the audited export", () => {
  /** Each person's statistics region (statistics.md §1), null for non_local / no known community. */
  async function countRegions(): Promise<Map<string, string | null>> {
    const rows = (await pool().query<{ id_number: string; count_region_code: string | null }>(`SELECT id_number, count_region_code FROM comparison_result WHERE run_id = $1`, [runId])).rows;
    return new Map(rows.map((r) => [r.id_number, r.count_region_code]));
  }
  const actor = (role: Actor["role"], regionCode: string): Actor => ({ id: 990001, login: `t-${regionCode}`, role, regionCode });

  it("a district's rows are the city's rows computed over its own persons only", async () => {
    const regions = await countRegions();
    const districts = [...new Set([...regions.values()].filter((c): c is string => !!c).map((c) => c.slice(0, 6)))].sort();
    expect(districts.length).toBeGreaterThanOrEqual(2);
    // Persons without a statistics region who miss employee schemes exist, and count in the city only.
    const nonLocalPersons = (await pool().query(`SELECT 1 FROM comparison_result WHERE run_id = $1 AND count_region_code IS NULL AND category <> 'EXCLUDED' AND 'missing_employee_schemes' = ANY (flags)`, [runId])).rowCount!;
    expect(nonLocalPersons).toBeGreaterThan(0);
    let sumPersons = 0;
    for (const d of districts) {
      const expected = await direct((id) => regions.get(id)?.startsWith(d) ?? false);
      const got = await employerRows(pool(), runId, d);
      expect(got).toEqual(expected);
      sumPersons += got.reduce((n, r) => n + r.persons, 0);
      // The page's loader gives a district reviewer exactly these rows.
      expect((await listEmployers(actor("DISTRICT_REVIEWER", d))).rows).toEqual(expected);
    }
    const city = await employerRows(pool(), runId);
    expect((await listEmployers(actor("CITY_STAFF", CITY))).rows).toEqual(city);
    // Each person lies in at most one district, and persons without a region are the city's only.
    expect(sumPersons).toBeLessThan(city.reduce((n, r) => n + r.persons, 0));
  });

  it("the persons behind an employer are those the employer row counts, in scope, masked", async () => {
    const regions = await countRegions();
    const d = [...regions.values()].find((c) => !!c)!.slice(0, 6);
    const rows = await employerRows(pool(), runId, d);
    const top = rows[0];
    const persons = await employerPersonRows(pool(), runId, d, { employer: top.employer });
    expect(persons.length).toBe(top.persons + top.persons_from_survey);
    for (const p of persons) expect(regions.get(p.id_number)?.startsWith(d)).toBe(true);
    const page = await listEmployerPersons(actor("DISTRICT_REVIEWER", d), top.employer, 1);
    expect(page.total).toBe(persons.length);
    for (const p of page.persons) expect(p.maskedId).toMatch(/^\d{6}\*+[0-9X]{4}$/);
    // Another district does not see this district's persons of that employer.
    const other = [...new Set([...regions.values()].filter((c): c is string => !!c && !c.startsWith(d)).map((c) => c.slice(0, 6)))][0];
    const theirs = await employerPersonRows(pool(), runId, other, { employer: top.employer });
    for (const p of theirs) expect(persons.some((q) => q.id_number === p.id_number)).toBe(false);
  });

  it("the export needs a reason, and writes an audit row with the reason, filters and row count", async () => {
    const regions = await countRegions();
    const d = [...regions.values()].find((c) => !!c)!.slice(0, 6);
    const reviewer = actor("DISTRICT_REVIEWER", d);
    const before = Number((await pool().query(`SELECT count(*) FROM audit_log WHERE action = 'outcomes.employers.export'`)).rows[0].count);
    await expect(employersExport(reviewer, { reason: "" })).rejects.toThrow(/employers\.export\.reasonRequired/);
    await expect(employersExport(reviewer, { reason: "   " })).rejects.toThrow(/employers\.export\.reasonRequired/);
    expect(Number((await pool().query(`SELECT count(*) FROM audit_log WHERE action = 'outcomes.employers.export'`)).rows[0].count)).toBe(before);
    const out = await employersExport(reviewer, { reason: "移交区劳动保障监察大队核查" });
    expect(out.rows.length).toBe((await employerPersonRows(pool(), runId, d)).length);
    expect(out.rows.every((r) => regions.get(r.id_number)?.startsWith(d))).toBe(true);
    expect(out.rows.some((r) => /^\d{17}[0-9X]$/.test(r.id_number))).toBe(true); // full IDs
    const audit = (await pool().query(`SELECT user_id, reason, region_code, entity_id, detail FROM audit_log WHERE action = 'outcomes.employers.export' ORDER BY id DESC LIMIT 1`)).rows[0];
    expect(audit).toMatchObject({ user_id: 990001, reason: "移交区劳动保障监察大队核查", region_code: d, entity_id: String(runId) });
    expect(audit.detail).toEqual({ format: "xlsx", employer: null, scope: d, rows: out.rows.length });
    // A street clerk may not export.
    await expect(employersExport(actor("STREET_CLERK", `${d}001`), { reason: "移交核查用途" })).rejects.toThrow(/not allowed/);
  });
});
