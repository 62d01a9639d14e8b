import { spawnSync } from "node:child_process";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "@/tests/helpers/db";
import { validId, writeCsv } from "./fixtures";

// `npm run cli -- import …` as staff run it: the batch and its counts, or the refusal and a non-zero exit.

const ROOT = path.resolve(import.meta.dirname, "../../..");
let databaseUrl = "";

beforeAll(async () => {
  databaseUrl = await freshDatabase();
});

function cli(...args: string[]) {
  return spawnSync(process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), "lib/cli/main.ts", "import", ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    encoding: "utf8",
  });
}

describe("cli import", () => {
  it("prints the batch id and its counts", () => {
    const file = writeCsv("population.csv", `id_number,name,hukou_region_code\n${validId(1)},甲,320402002001\n12345,乙,\n`);
    const r = cli("--kind", "population", "--file", file);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^batch \d+ \(population, utf-8\): 2 rows read, 2 loaded, 1 invalid/m);
  });

  it("prints file:line:column and the reason of a refusal, and exits non-zero", () => {
    const file = writeCsv("enrolment.csv", `id_number,name,scheme,status\n${validId(2)},甲,110,1\n${validId(3)},乙,999,1\n`);
    const r = cli("--kind", "enrolment", "--file", file, "--replace");
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${path.basename(file)}:3:scheme bad_value`);
    expect(r.stderr).toContain("值“999”不是规定的代码或名称");
  });
});
