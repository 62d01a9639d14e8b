import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportResults } from "@/lib/comparison/export";
import { convertCity, FILE_FORMATS } from "@/lib/comparison/formats";
import { generateCity, type GenerateResult } from "@/lib/comparison/generate";
import { runComparison } from "@/lib/comparison/run";
import { importFiles } from "@/lib/import/import-file";
import { freshDatabase } from "../../helpers/db";

// The generated city in every file format a clerk meets — XLSX with shared strings and with inline
// strings, UTF-8 CSV with and without BOM, GB18030 CSV — imported through the real importer and
// compared: the export must still equal the oracle's expected results byte for byte. (At scale:
// `npm run bench:exact -- --persons 100000`, figures in the README.)

const AS_OF = "2026-11-25";
let dir: string;
let gen: GenerateResult;

beforeAll(async () => {
  await freshDatabase();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "cmp-formats-"));
  gen = await generateCity({ persons: 3000, outDir: dir, seed: 21, asOf: AS_OF, expected: true });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("a city in every file format", () => {
  it("imports whole and compares exactly as the oracle says", async () => {
    const files = await convertCity(dir, gen.files);
    expect(new Set(files.map((f) => f.format))).toEqual(new Set(FILE_FORMATS));
    const imported = await importFiles(files.map((f) => ({ kind: f.kind, filePath: path.join(dir, f.file) })));
    expect(imported.map((r) => (r && !(r instanceof Error) ? r.encoding : String(r)))).toEqual(files.map((f) => (f.format.startsWith("xlsx") ? "xlsx" : f.format === "utf8-bom" ? "utf-8-bom" : f.format === "gb18030" ? "gb18030" : "utf-8")));
    const run = await runComparison({ asOf: AS_OF });
    const out = path.join(dir, "results.csv");
    await exportResults(run.runId, out);
    const e = fs.readFileSync(gen.expectedFile!, "utf8").split("\n");
    const a = fs.readFileSync(out, "utf8").split("\n");
    const firstDiff = e.findIndex((line, i) => line !== a[i]);
    expect(firstDiff === -1 ? null : { line: firstDiff + 1, expected: e[firstDiff], actual: a[firstDiff] }).toBeNull();
    expect(fs.readFileSync(out).equals(fs.readFileSync(gen.expectedFile!))).toBe(true);
  }, 180_000);
});
