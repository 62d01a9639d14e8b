import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportResults } from "@/lib/comparison/export";
import { generateCity, type GenerateResult } from "@/lib/comparison/generate";
import { runComparison } from "@/lib/comparison/run";
import { importFile } from "@/lib/import/import-file";
import { freshDatabase } from "../../helpers/db";
import { db } from "./fixture";

// The generated city end to end: generate → import every file (the real importer) → compare →
// export, which must equal expected-results.csv (written by the independent oracle, reference.ts)
// byte for byte. Then: the same inputs and settings give the same results.

const AS_OF = "2026-11-25";
let dir: string;
let gen: GenerateResult;

beforeAll(async () => {
  await freshDatabase();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "cmp-e2e-"));
  gen = await generateCity({ persons: 4000, outDir: dir, seed: 7, asOf: AS_OF, expected: true });
  for (const f of gen.files) await importFile({ kind: f.kind, filePath: path.join(dir, f.file) });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("the generated city, end to end", () => {
  it("the results export equals the oracle's expected-results.csv exactly", async () => {
    const s = await runComparison({ asOf: AS_OF });
    const out = path.join(dir, "results.csv");
    const { rows } = await exportResults(s.runId, out);
    const expected = fs.readFileSync(gen.expectedFile!, "utf8");
    const actual = fs.readFileSync(out, "utf8");
    expect(rows).toBe(expected.split("\n").length - 2);
    const e = expected.split("\n");
    const a = actual.split("\n");
    const firstDiff = e.findIndex((line, i) => line !== a[i]);
    expect(firstDiff === -1 ? null : { line: firstDiff + 1, expected: e[firstDiff], actual: a[firstDiff] }).toBeNull();
    expect(actual).toBe(expected);
  });

  it("with the residence basis, the export equals the oracle's expected-results-residence.csv exactly", async () => {
    const s = await runComparison({ asOf: AS_OF, basis: "residence" });
    const out = path.join(dir, "results-residence.csv");
    await exportResults(s.runId, out);
    const expected = fs.readFileSync(path.join(dir, "expected-results-residence.csv"), "utf8");
    const actual = fs.readFileSync(out, "utf8");
    const e = expected.split("\n");
    const a = actual.split("\n");
    const firstDiff = e.findIndex((line, i) => line !== a[i]);
    expect(firstDiff === -1 ? null : { line: firstDiff + 1, expected: e[firstDiff], actual: a[firstDiff] }).toBeNull();
    expect(actual).not.toBe(fs.readFileSync(gen.expectedFile!, "utf8"));
    // back to the hukou basis for the tests below
    await runComparison({ asOf: AS_OF });
  });

  it("every category and flag occurs in the generated data, and invalid rows of every reason", async () => {
    const text = fs.readFileSync(gen.expectedFile!, "utf8");
    for (const c of ["EXCLUDED", "INFO_ERROR", "DUPLICATE", "NOT_INSURED", "INTERRUPTED", "PARTIAL", "CONFIRMED"]) expect(text).toContain(`,${c},`);
    for (const f of [
      "deceased", "prisoner", "military", "emigrated", "moved_out", "non_local", "name_mismatch", "gender_mismatch", "birth_mismatch", "no_region",
      "dup_pension", "dup_medical", "dup_place", "elsewhere_in_province", "elsewhere_out_of_province", "no_pension", "no_medical", "missing_employee_schemes", "interrupted",
    ]) expect(text, f).toMatch(new RegExp(`[,;]${f}[,;]`));
    const c = await db();
    try {
      const { rows } = await c.query<{ reason: string }>(`SELECT DISTINCT reason FROM comparison_invalid_row WHERE run_id = (SELECT max(id) FROM comparison_run WHERE status = 'DONE') ORDER BY reason`);
      expect(rows.map((r) => r.reason)).toEqual(["bad_birth_date", "bad_characters", "bad_checksum", "bad_length", "duplicate_id"]);
    } finally {
      await c.end();
    }
  });

  it("is reproducible: a second run on the same inputs gives the same results, and an empty diff", async () => {
    const c = await db();
    try {
      const first = (await c.query<{ id: number }>(`SELECT max(id) AS id FROM comparison_run WHERE status = 'DONE'`)).rows[0].id;
      const s = await runComparison({ asOf: AS_OF });
      const q = `SELECT id_number, name, category, flags, missing_schemes, region_code, survey_region_code, active_schemes FROM comparison_result WHERE run_id = $1 ORDER BY id_number`;
      const a = (await c.query(q, [first])).rows;
      const b = (await c.query(q, [s.runId])).rows;
      expect(b).toEqual(a);
      expect(s.diff).toEqual({ NEW: 0, GONE: 0, CHANGED: 0 });
      expect(s.tasks.created).toBe(0);
      expect(s.tasks.settled).toBe(0);
      const invalid = `SELECT batch_id, line_no, reason FROM comparison_invalid_row WHERE run_id = $1 ORDER BY 1, 2`;
      expect((await c.query(invalid, [s.runId])).rows).toEqual((await c.query(invalid, [first])).rows);
      const counts = `SELECT level, region_code, category, scheme, persons, insured, missing FROM comparison_count WHERE run_id = $1 ORDER BY 2, 3, 4`;
      expect((await c.query(counts, [s.runId])).rows).toEqual((await c.query(counts, [first])).rows);
    } finally {
      await c.end();
    }
  });
});
