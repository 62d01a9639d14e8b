import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "@/tests/helpers/db";

// The staff's command line: generate a small city, import it, `compare`, `export-results`.

const ROOT = path.resolve(import.meta.dirname, "../../..");
let databaseUrl = "";
let dir = "";

function cli(...args: string[]) {
  return spawnSync(process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), "lib/cli/main.ts", ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    encoding: "utf8",
  });
}

beforeAll(async () => {
  databaseUrl = await freshDatabase();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "cmp-cli-"));
});

describe("cli generate, compare and export-results", () => {
  it("generates the files and the oracle's expected results, deterministically by seed", () => {
    const r = cli("generate", "--persons", "300", "--out", dir, "--seed", "5");
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/data rows in/);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8"));
    expect(manifest.files.map((f: { file: string }) => f.file)).toEqual(["regions.csv", "population.csv", "enrolment-1.csv", "enrolment-2.csv", "enrolment-3.csv", "department.csv", "elsewhere.csv"]);
    const again = fs.mkdtempSync(path.join(os.tmpdir(), "cmp-cli-"));
    expect(cli("generate", "--persons", "300", "--out", again, "--seed", "5").status).toBe(0);
    for (const f of [...manifest.files.map((x: { file: string }) => x.file), "expected-results.csv"]) {
      expect(fs.readFileSync(path.join(again, f)).equals(fs.readFileSync(path.join(dir, f))), f).toBe(true);
    }
  });

  it("compare prints the run id and the counts per category; export-results writes the expected file", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8"));
    for (const f of manifest.files) expect(cli("import", "--kind", f.kind, "--file", path.join(dir, f.file)).status).toBe(0);
    const r = cli("compare", "--as-of", "2026-11-25");
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^run (\d+): \d+ persons/m);
    for (const c of ["EXCLUDED", "INFO_ERROR", "DUPLICATE", "NOT_INSURED", "INTERRUPTED", "PARTIAL", "CONFIRMED"]) expect(r.stdout).toMatch(new RegExp(`^  ${c} +\\d+$`, "m"));
    const runId = /^run (\d+):/m.exec(r.stdout)![1];
    const out = path.join(dir, "results.csv");
    const e = cli("export-results", "--run", runId, "--out", out);
    expect(e.status, e.stderr).toBe(0);
    expect(fs.readFileSync(out, "utf8")).toBe(fs.readFileSync(path.join(dir, "expected-results.csv"), "utf8"));
    expect(cli("export-results", "--run", "latest", "--out", path.join(dir, "latest.csv")).status).toBe(0);
  }, 240_000);

  it("refuses a bad as-of date and an unknown run", () => {
    expect(cli("compare", "--as-of", "2026-02-30").status).not.toBe(0);
    const r = cli("export-results", "--run", "9999", "--out", path.join(dir, "x.csv"));
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/no finished comparison run 9999/);
  });
});
