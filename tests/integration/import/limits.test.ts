import { beforeAll, describe, expect, it } from "vitest";
import { pool } from "@/lib/db/client";
import { MAX_CHARS } from "@/lib/import/formats";
import { ImportError, type ImportRefusal } from "@/lib/import/import-error";
import { importFile } from "@/lib/import/import-file";
import { freshDatabase } from "@/tests/helpers/db";
import { validId, writeCsv, writeXlsx } from "./fixtures";

// Issue 11 §7: per-column length limits of the import contract (lib/import/formats.ts MAX_CHARS).
// An over-long value refuses the file with its line and column; nothing is written.

beforeAll(async () => {
  await freshDatabase();
});

async function batches(): Promise<number> {
  return (await pool().query<{ n: number }>("SELECT count(*)::int AS n FROM import_batch")).rows[0].n;
}

async function refused(opts: Parameters<typeof importFile>[0]): Promise<ImportRefusal> {
  const before = await batches();
  const error = await importFile(opts).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImportError);
  expect(await batches()).toBe(before);
  return (error as ImportError).refusal;
}

describe("column length limits", () => {
  it("a name of 51 characters refuses the file at its line and column, with a short preview", async () => {
    const file = writeCsv("pop.csv", ["id_number,name,hukou_region_code", `${validId(1)},张三,320402002001`, `${validId(2)},${"长".repeat(51)},320402002001`].join("\n"));
    const r = await refused({ kind: "population", filePath: file, fileName: "户籍.csv" });
    expect(r).toMatchObject({ file: "户籍.csv", line: 3, column: "name", reason: "too_long" });
    expect((r.value ?? "").length).toBeLessThanOrEqual(21);
  });
  it("a name at the limit loads", async () => {
    const file = writeCsv("pop-ok.csv", ["id_number,name,hukou_region_code", `${validId(3)},${"长".repeat(MAX_CHARS.name)},320402002001`].join("\n"));
    const result = await importFile({ kind: "population", filePath: file });
    expect(result.rowsLoaded).toBe(1);
  });
  it("a 2 MB name is refused without being echoed whole", async () => {
    const file = writeCsv("pop-huge.csv", ["id_number,name,hukou_region_code", `${validId(4)},${"x".repeat(2_000_000)},320402002001`].join("\n"));
    const r = await refused({ kind: "population", filePath: file });
    expect(r).toMatchObject({ line: 2, column: "name", reason: "too_long" });
    expect(new ImportError(r).message.length).toBeLessThan(200);
  });
  it("an address of 201 characters and an employer of 101 are refused; the column is named as the file names it", async () => {
    const pop = writeCsv("pop-addr.csv", ["公民身份号码,姓名,户籍地区划代码,户籍地址", `${validId(5)},张三,320402002001,${"路".repeat(201)}`].join("\n"));
    expect(await refused({ kind: "population", filePath: pop })).toMatchObject({ line: 2, column: "户籍地址", reason: "too_long" });
    const enrol = writeCsv("enrol.csv", ["id_number,name,scheme,status,employer", `${validId(6)},张三,110,1,${"单".repeat(101)}`].join("\n"));
    expect(await refused({ kind: "enrolment", filePath: enrol })).toMatchObject({ line: 2, column: "employer", reason: "too_long" });
  });
  it("an ID number of 41 characters is refused (a shorter wrong one is an invalid row, as before)", async () => {
    const file = writeCsv("pop-id.csv", ["id_number,name,hukou_region_code", `${"1".repeat(41)},张三,320402002001`].join("\n"));
    expect(await refused({ kind: "population", filePath: file })).toMatchObject({ line: 2, column: "id_number", reason: "too_long" });
  });
  it("the same limits hold for XLSX rows", async () => {
    const file = await writeXlsx("pop.xlsx", [["id_number", "name", "hukou_region_code"], [validId(7), "长".repeat(51), "320402002001"]]);
    expect(await refused({ kind: "population", filePath: file })).toMatchObject({ line: 2, column: "name", reason: "too_long" });
  });
});
