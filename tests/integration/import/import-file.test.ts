import iconv from "iconv-lite";
import { beforeAll, describe, expect, it } from "vitest";
import { pool } from "@/lib/db/client";
import { makeIdNumber, normaliseIdNumber } from "@/lib/ids/id-number";
import { ImportError, type ImportRefusal } from "@/lib/import/import-error";
import { importFile, importFiles } from "@/lib/import/import-file";
import { freshDatabase } from "@/tests/helpers/db";
import { sharedStringsPart, workbookBytes } from "@/tests/helpers/xlsx";
import { badChecksumId, fullWidth, validId, writeBytes, writeCsv, writeXlsx } from "./fixtures";

// import-formats.md, end to end against PostgreSQL: each file either loads whole or changes nothing.

beforeAll(async () => {
  await freshDatabase();
});

async function q<T extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  return (await pool().query(sql, params)).rows as T[];
}

async function counts() {
  const [r] = await q<{ batches: number; population: number; enrolment: number; department: number; elsewhere: number; regions: number; audits: number }>(
    `SELECT (SELECT count(*)::int FROM import_batch) AS batches, (SELECT count(*)::int FROM population_record) AS population,
            (SELECT count(*)::int FROM enrolment_record) AS enrolment, (SELECT count(*)::int FROM department_record) AS department,
            (SELECT count(*)::int FROM elsewhere_record) AS elsewhere, (SELECT count(*)::int FROM region) AS regions,
            (SELECT count(*)::int FROM audit_log) AS audits`,
  );
  return r;
}

/** Runs the import, expects a refusal, and checks that nothing at all was written. */
async function refused(opts: Parameters<typeof importFile>[0]): Promise<ImportRefusal> {
  const before = await counts();
  const error = await importFile(opts).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImportError);
  expect(await counts()).toEqual(before);
  return (error as ImportError).refusal;
}

const POP_HEADER = "id_number,name,gender,birth_date,hukou_region_code,status";
const ENROL_HEADER = "id_number,name,scheme,status,region_code,employer,start_date,benefit";

describe("population CSV, UTF-8 without BOM", () => {
  it("loads every row, types the values and lists invalid IDs with their reasons", async () => {
    const fifteen = "320402800101123";
    const file = writeCsv(
      "population.csv",
      [
        POP_HEADER,
        `${validId(1)},张三,男,1980-01-01,320402002001,`,
        ` ${fullWidth(validId(2))} ,  李四 ,女,1980/01/01,${fullWidth("320402002001")},正常`,
        `${fifteen},王五,1,19800101,,死亡`,
        `${validId(3).toLowerCase().replace("X", "x")},赵六,F,,320402002002,moved_out`,
        `12345,短号,,,320402002001,`,
        `${badChecksumId(4)},错校验,,,320402002001,`,
        `${makeIdNumber("320402", "19990230", 123)},错日期,,,320402002001,`,
        `32040219800101A23X,错字符,,,320402002001,`,
        `${validId(1)},张三重复,男,,320402002001,`, // a repeated ID is the comparison's duplicate_id, not an invalid row here
      ].join("\n") + "\n",
    );
    const r = await importFile({ kind: "population", filePath: file });
    expect(r).toMatchObject({ rowsRead: 9, rowsLoaded: 9, rowsInvalid: 4, encoding: "utf-8" });
    const rows = await q<{ line_no: number; id_number: string; id_invalid: string | null; name: string; gender: string | null; birth_date: string | null; hukou_region_code: string | null; status: string }>(
      `SELECT line_no, id_number, id_invalid, name, gender, to_char(birth_date, 'YYYY-MM-DD') AS birth_date, hukou_region_code, status
       FROM population_record WHERE batch_id = $1 ORDER BY line_no`,
      [r.batchId],
    );
    expect(rows.map((x) => x.line_no)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(rows[0]).toMatchObject({ id_number: validId(1), id_invalid: null, name: "张三", gender: "1", birth_date: "1980-01-01", status: "normal" });
    expect(rows[1]).toMatchObject({ id_number: validId(2), name: "李四", gender: "2", birth_date: "1980-01-01", hukou_region_code: "320402002001" });
    expect(rows[2]).toMatchObject({ id_number: normaliseIdNumber(fifteen), id_invalid: null, gender: "1", hukou_region_code: null, status: "deceased" });
    expect(rows[2].id_number).toHaveLength(18);
    expect(rows[3]).toMatchObject({ id_number: validId(3), gender: "2", birth_date: null, status: "moved_out" });
    expect(rows.slice(4).map((x) => x.id_invalid)).toEqual(["bad_length", "bad_checksum", "bad_birth_date", "bad_characters", null]);
    const [batch] = await q<{ status: string; rows_read: number; rows_loaded: number; rows_invalid: number; file_name: string }>(`SELECT * FROM import_batch WHERE id = $1`, [r.batchId]);
    expect(batch).toMatchObject({ status: "ACTIVE", rows_read: 9, rows_loaded: 9, rows_invalid: 4, file_name: file.split("/").pop() });
  });
});

describe("enrolment CSV, UTF-8 with BOM and Chinese headers", () => {
  it("maps Chinese headers (any case, spaces) and accepts codes or Chinese labels", async () => {
    const file = writeCsv(
      "参保.csv",
      [
        " 公民身份号码 ,姓名,险种,参保状态,参保地区划代码,单位名称,参保日期,待遇享受,备注",
        `${validId(10)},甲,企业职工基本养老保险,参保缴费,,某公司,2010-05-01,否,ignored`,
        `${validId(11)},乙,390,2,320402,,20200101,是,`,
        `${validId(12)},丙,${fullWidth("310")},终止参保,,,,1,`,
        // no-break spaces around values (cells pasted from a web page) are trimmed like spaces
        `${validId(13)},丁,\u00a0410\u00a0,1,\u00a0320402\u3000,\u00a0某厂\u00a0,\ufeff2021-01-01,\u00a0,`,
      ].join("\r\n"),
      "utf-8-bom",
    );
    const r = await importFile({ kind: "enrolment", filePath: file });
    expect(r).toMatchObject({ rowsRead: 4, rowsLoaded: 4, rowsInvalid: 0, encoding: "utf-8-bom" });
    const rows = await q(`SELECT line_no, scheme, status, region_code, employer, to_char(start_date, 'YYYY-MM-DD') AS start_date, benefit FROM enrolment_record WHERE batch_id = $1 ORDER BY line_no`, [r.batchId]);
    expect(rows).toEqual([
      { line_no: 2, scheme: "110", status: 1, region_code: null, employer: "某公司", start_date: "2010-05-01", benefit: false },
      { line_no: 3, scheme: "390", status: 2, region_code: "320402", employer: null, start_date: "2020-01-01", benefit: true },
      { line_no: 4, scheme: "310", status: 3, region_code: null, employer: null, start_date: null, benefit: true },
      { line_no: 5, scheme: "410", status: 1, region_code: "320402", employer: "某厂", start_date: "2021-01-01", benefit: false },
    ]);
  });
});

describe("CSV with Windows line endings (CRLF), as Excel writes it", () => {
  it("imports a file ending in CRLF, blank CRLF lines at the end included", async () => {
    const lines = ["公民身份号码,姓名,类别,日期,来源部门", `${validId(30)},甲,死亡,2024-03-01,民政`, `${validId(31)},乙,服刑,,监狱`];
    for (const ending of ["\r\n", "\r\n\r\n\r\n"]) {
      const r = await importFile({ kind: "department", filePath: writeCsv("crlf.csv", lines.join("\r\n") + ending) });
      expect(r).toMatchObject({ rowsRead: 2, rowsLoaded: 2, rowsInvalid: 0 });
      const rows = await q(`SELECT line_no, name, kind, source FROM department_record WHERE batch_id = $1 ORDER BY line_no`, [r.batchId]);
      expect(rows).toEqual([
        { line_no: 2, name: "甲", kind: "deceased", source: "民政" },
        { line_no: 3, name: "乙", kind: "prisoner", source: "监狱" },
      ]);
    }
  });
});

describe("GB18030/GBK CSV", () => {
  it("is detected and decoded, four-byte characters included, with no mojibake", async () => {
    const file = writeCsv("部门.csv", ["公民身份号码,姓名,类别,日期,来源部门", `${validId(20)},𠮷野家,死亡,2024-03-01,民政`, `${validId(21)},欧阳·娜娜,在校学生,,教育`].join("\n") + "\n", "gb18030");
    const r = await importFile({ kind: "department", filePath: file });
    expect(r).toMatchObject({ rowsRead: 2, rowsLoaded: 2, rowsInvalid: 0, encoding: "gb18030" });
    const rows = await q(`SELECT name, kind, source FROM department_record WHERE batch_id = $1 ORDER BY line_no`, [r.batchId]);
    expect(rows).toEqual([
      { name: "𠮷野家", kind: "deceased", source: "民政" },
      { name: "欧阳·娜娜", kind: "student", source: "教育" },
    ]);
  });
});

describe("XLSX", () => {
  it("reads the first sheet, numeric cells as integers, dates, skips empty rows and keeps sheet row numbers", async () => {
    const file = await writeXlsx("elsewhere.xlsx", [
      ["公民身份号码", "姓名", "险种", "参保地区划代码", "参保状态"],
      [validId(30), "甲", 110, 310104, 1],
      null,
      [validId(31), "乙", "城乡居民基本医疗保险", "110101", "参保缴费"],
      [320402800101123, "丙", 390, 320583, 2],
    ]);
    const r = await importFile({ kind: "elsewhere", filePath: file });
    expect(r).toMatchObject({ rowsRead: 3, rowsLoaded: 3, rowsInvalid: 0, encoding: "xlsx" });
    const rows = await q(`SELECT line_no, id_number, scheme, region_code, status FROM elsewhere_record WHERE batch_id = $1 ORDER BY line_no`, [r.batchId]);
    expect(rows).toEqual([
      { line_no: 2, id_number: validId(30), scheme: "110", region_code: "310104", status: 1 },
      { line_no: 4, id_number: validId(31), scheme: "390", region_code: "110101", status: 1 },
      { line_no: 5, id_number: normaliseIdNumber("320402800101123"), scheme: "390", region_code: "320583", status: 2 },
    ]);
  });

  it("reads date cells as dates", async () => {
    const file = await writeXlsx("population.xlsx", [
      ["id_number", "name", "birth_date", "hukou_region_code", "gender"],
      [validId(32), "丁", new Date(Date.UTC(1980, 0, 1)), 320402002001, 2],
    ]);
    const r = await importFile({ kind: "population", filePath: file });
    const rows = await q(`SELECT to_char(birth_date, 'YYYY-MM-DD') AS birth_date, hukou_region_code, gender FROM population_record WHERE batch_id = $1`, [r.batchId]);
    expect(rows).toEqual([{ birth_date: "1980-01-01", hukou_region_code: "320402002001", gender: "2" }]);
  });

  it("refuses a coded value naming the sheet row", async () => {
    const file = await writeXlsx("bad.xlsx", [["id_number", "name", "scheme", "status"], null, [validId(33), "甲", 999, 1]]);
    expect(await refused({ kind: "enrolment", filePath: file })).toMatchObject({ line: 3, column: "scheme", reason: "bad_value", value: "999" });
  });

  it("refuses a file that is not a workbook", async () => {
    const file = writeBytes("fake.xlsx", Buffer.from("id_number,name\n1,2\n"));
    expect(await refused({ kind: "population", filePath: file })).toMatchObject({ reason: "unreadable_xlsx" });
  });

  it("refuses a hand-made workbook with a broken UTF-8 sequence, naming file, row and column, and writes nothing", async () => {
    // 熊 is E7 86 8A: its last byte lost, as exceljs's chunk-by-chunk decoding would have left it.
    const broken = Buffer.concat([Buffer.from([0xe7, 0x86]), Buffer.from("浩")]);
    const file = writeBytes(
      "broken.xlsx",
      workbookBytes({
        sharedStrings: sharedStringsPart(["公民身份号码", "姓名", "险种", "参保状态", "张三", broken]),
        sheets: [
          `<row r="1"><c t="s"><v>0</v></c><c t="s"><v>1</v></c><c t="s"><v>2</v></c><c t="s"><v>3</v></c></row>` +
            `<row r="2"><c t="inlineStr"><is><t>${validId(40)}</t></is></c><c t="s"><v>4</v></c><c><v>310</v></c><c><v>1</v></c></row>` +
            `<row r="3"><c t="inlineStr"><is><t>${validId(41)}</t></is></c><c t="s"><v>5</v></c><c><v>310</v></c><c><v>1</v></c></row>`,
        ],
      }),
    );
    const refusal = await refused({ kind: "enrolment", filePath: file, fileName: "参保名单.xlsx" });
    expect(refusal).toMatchObject({ file: "参保名单.xlsx", line: 3, column: "姓名", reason: "broken_text" });
    expect(new ImportError(refusal).message).toMatch(/^参保名单\.xlsx 第 3 行“姓名”列：.*乱码/);
  });
});

describe("refusals: the file, line and column are named and nothing is written", () => {
  it("a missing required column", async () => {
    const file = writeCsv("e.csv", `id_number,name,status\n${validId(40)},甲,1\n`);
    expect(await refused({ kind: "enrolment", filePath: file })).toMatchObject({ file: file.split("/").pop(), line: null, column: "scheme/险种", reason: "missing_column" });
  });

  it("a column named twice", async () => {
    const file = writeCsv("e.csv", `id_number,name,scheme,险种,status\n`);
    expect(await refused({ kind: "enrolment", filePath: file })).toMatchObject({ line: 1, column: "险种", reason: "duplicate_column" });
  });

  it("a value in a coded column that matches nothing", async () => {
    const file = writeCsv("p.csv", [POP_HEADER, `${validId(41)},甲,男,,320402002001,`, `${validId(42)},乙,未知,,320402002001,`].join("\n"));
    expect(await refused({ kind: "population", filePath: file, fileName: "户籍.csv" })).toMatchObject({ file: "户籍.csv", line: 3, column: "gender", reason: "bad_value", value: "未知" });
  });

  it("the column is named as the file names it", async () => {
    const file = writeCsv("e.csv", ["公民身份号码,姓名,险种,参保状态", `${validId(43)},甲,110,1`, `${validId(44)},乙,110,9`].join("\n"));
    const r = await refused({ kind: "enrolment", filePath: file });
    expect(r).toMatchObject({ line: 3, column: "参保状态", reason: "bad_value", value: "9" });
  });

  it("an empty required code", async () => {
    const file = writeCsv("e.csv", [ENROL_HEADER, `${validId(45)},甲,,1,,,,`].join("\n"));
    expect(await refused({ kind: "enrolment", filePath: file })).toMatchObject({ line: 2, column: "scheme", reason: "empty_value" });
  });

  it("a date in none of the accepted forms", async () => {
    const file = writeCsv("e.csv", [ENROL_HEADER, `${validId(46)},甲,110,1,,,2020-02-30,`].join("\n"));
    expect(await refused({ kind: "enrolment", filePath: file })).toMatchObject({ line: 2, column: "start_date", reason: "bad_date", value: "2020-02-30" });
  });

  it("a yes/no value that is neither", async () => {
    const file = writeCsv("e.csv", [ENROL_HEADER, `${validId(47)},甲,110,1,,,,也许`].join("\n"));
    expect(await refused({ kind: "enrolment", filePath: file })).toMatchObject({ line: 2, column: "benefit", reason: "bad_value" });
  });

  it("broken quoting", async () => {
    const file = writeCsv("p.csv", [POP_HEADER, `${validId(48)},甲,男,,320402002001,`, `${validId(49)},"乙,女,,320402002001,`, `${validId(50)},丙,男,,320402002001,`].join("\n"));
    expect(await refused({ kind: "population", filePath: file })).toMatchObject({ line: 3, reason: "broken_quoting" });
  });

  it("a quoted field spanning lines keeps later lines physical", async () => {
    const file = writeCsv("p.csv", [POP_HEADER, `${validId(55)},甲,男,,320402002001,`, `${validId(56)},"乙\n(曾用名)",女,,320402002001,`, `${validId(57)},丙,X,,320402002001,`].join("\n"));
    expect(await refused({ kind: "population", filePath: file })).toMatchObject({ line: 5, column: "gender", reason: "bad_value" });
  });

  it("a row with more columns than the header", async () => {
    const file = writeCsv("p.csv", [POP_HEADER, `${validId(51)},甲,男,,320402002001,`, `${validId(52)},乙,女,,320402002001,,extra`].join("\n"));
    expect(await refused({ kind: "population", filePath: file })).toMatchObject({ line: 3, reason: "bad_column_count" });
  });

  it("a NUL character, which PostgreSQL stores in no text, refuses the file as unreadable", async () => {
    const file = writeBytes("nul.csv", Buffer.concat([Buffer.from(`${POP_HEADER}\n${validId(58)},甲`), Buffer.from([0]), Buffer.from(",男,,320402002001,\n")]));
    expect(await refused({ kind: "population", filePath: file })).toMatchObject({ reason: "unreadable_encoding" });
  });

  it("bytes that are neither UTF-8 nor GB18030", async () => {
    // Chinese text in GB18030 (so not UTF-8), then a line holding a lone 0x80, which GB18030 does not define.
    const gb = iconv.encode(`${POP_HEADER}\n${validId(53)},乙,男,,320402002001,\n`, "gb18030");
    const file = writeBytes("p.csv", Buffer.concat([gb, Buffer.from([0x80, 0x2c, 0x0a])]));
    expect(await refused({ kind: "population", filePath: file })).toMatchObject({ line: 3, reason: "unreadable_encoding" });
  });

  it("an empty file, a header without rows, and blank rows only", async () => {
    expect(await refused({ kind: "population", filePath: writeCsv("empty.csv", "") })).toMatchObject({ reason: "empty_file" });
    expect(await refused({ kind: "population", filePath: writeCsv("header.csv", `${POP_HEADER}\n`) })).toMatchObject({ reason: "empty_file" });
    expect(await refused({ kind: "population", filePath: writeCsv("blank.csv", `${POP_HEADER}\n,,,,,\n\n\n`) })).toMatchObject({ reason: "empty_file" });
    expect(await refused({ kind: "population", filePath: await writeXlsx("empty.xlsx", []) })).toMatchObject({ reason: "empty_file" });
  });

  it("a file type other than CSV or XLSX", async () => {
    expect(await refused({ kind: "population", filePath: writeCsv("p.txt", `${POP_HEADER}\n`) })).toMatchObject({ reason: "unsupported_file" });
  });

  it("the same file imported twice (same checksum and kind)", async () => {
    const file = writeCsv("d.csv", `id_number,name,kind\n${validId(54)},甲,prisoner\n`);
    const first = await importFile({ kind: "department", filePath: file });
    expect(await refused({ kind: "department", filePath: file, fileName: "again.csv" })).toMatchObject({ file: "again.csv", reason: "duplicate_file", batchId: first.batchId });
  });
});

describe("two imports of the same file at once", () => {
  it("exactly one loads; the other is refused as a duplicate", async () => {
    const file = writeCsv("same.csv", `id_number,name,kind\n${validId(80)},甲,emigrated\n`);
    const results = await Promise.allSettled([importFile({ kind: "department", filePath: file }), importFile({ kind: "department", filePath: file })]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(ImportError);
    expect((rejected.reason as ImportError).refusal.reason).toBe("duplicate_file");
  });
});

describe("progress", () => {
  it("reports bytes of the file and ends with every byte and the rows loaded", async () => {
    const rows = Array.from({ length: 2000 }, (_, i) => `${validId(100 + (i % 900), "19900101")},某${i},110,1`);
    const file = writeCsv("big.csv", ["id_number,name,scheme,status", ...rows].join("\n") + "\n");
    const seen: { bytes: number; totalBytes: number; rows: number }[] = [];
    const r = await importFile({ kind: "enrolment", filePath: file, onProgress: (p) => seen.push(p) });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((p) => p.totalBytes === seen[0].totalBytes && p.bytes <= p.totalBytes)).toBe(true);
    expect(seen.at(-1)).toEqual({ bytes: seen[0].totalBytes, totalBytes: seen[0].totalBytes, rows: r.rowsLoaded });
    expect(r.rowsLoaded).toBe(2000);
  });
});

describe("several files at once (import-dir, the benchmark)", () => {
  it("gives batch ids in the list's order, whatever finishes first", async () => {
    const big = writeCsv("big-pop.csv", [POP_HEADER, ...Array.from({ length: 3000 }, (_, i) => `${validId(2000 + i)},人${i},,,320402002001,`)].join("\n"));
    const small = writeCsv("small-dept.csv", ["公民身份号码,姓名,类别", `${validId(1990)},甲,死亡`].join("\n"));
    const tiny = writeCsv("tiny-enrol.csv", [ENROL_HEADER, `${validId(1991)},乙,110,1,,,,`].join("\n"));
    const results = await importFiles([
      { kind: "population", filePath: big },
      { kind: "department", filePath: small },
      { kind: "enrolment", filePath: tiny },
    ], 2);
    const ids = results.map((r) => (r && !(r instanceof ImportError) ? r.batchId : null));
    expect(ids.every((id) => id !== null)).toBe(true);
    expect([...ids].sort((a, b) => a! - b!)).toEqual(ids);
    expect(results.map((r) => (r as { rowsLoaded: number }).rowsLoaded)).toEqual([3000, 1, 1]);
  });

  it("a refused file stops the files not yet started and changes nothing itself", async () => {
    const before = await counts();
    const bad = writeCsv("bad-dept.csv", ["公民身份号码,姓名,类别", `${validId(1992)},甲,不知道`].join("\n"));
    const later = [1, 2, 3].map((k) => writeCsv(`later-${k}.csv`, ["公民身份号码,姓名,类别", `${validId(1993 + k)},乙,死亡`].join("\n")));
    const results = await importFiles([{ kind: "department", filePath: bad }, ...later.map((f) => ({ kind: "department" as const, filePath: f }))], 1);
    expect(results[0]).toBeInstanceOf(ImportError);
    expect((results[0] as ImportError).refusal).toMatchObject({ line: 2, column: "类别", reason: "bad_value" });
    expect(results.slice(1)).toEqual([null, null, null]);
    expect(await counts()).toEqual(before);
  });
});

describe("replace", () => {
  it("retires every earlier active batch of the kind, and no other kind's", async () => {
    const a = await importFile({ kind: "elsewhere", filePath: writeCsv("a.csv", `id_number,name,scheme,region_code,status\n${validId(60)},甲,110,310104,1\n`) });
    const b = await importFile({ kind: "elsewhere", filePath: writeCsv("b.csv", `id_number,name,scheme,region_code,status\n${validId(61)},乙,110,310104,1\n`) });
    const c = await importFile({ kind: "elsewhere", filePath: writeCsv("c.csv", `id_number,name,scheme,region_code,status\n${validId(62)},丙,110,310104,1\n`), replace: true });
    const rows = await q<{ id: number; status: string; retired_at: Date | null }>(`SELECT id, status, retired_at FROM import_batch WHERE kind = 'elsewhere' ORDER BY id`);
    expect(rows.filter((r) => [a.batchId, b.batchId].includes(r.id)).map((r) => r.status)).toEqual(["RETIRED", "RETIRED"]);
    expect(rows.find((r) => r.id === c.batchId)).toMatchObject({ status: "ACTIVE", retired_at: null });
    expect(rows.every((r) => (r.status === "RETIRED") === (r.retired_at !== null))).toBe(true);
    const others = await q<{ n: number }>(`SELECT count(*)::int AS n FROM import_batch WHERE kind <> 'elsewhere' AND status = 'RETIRED'`);
    expect(others[0].n).toBe(0);
  });

  it("a refused replacing file retires nothing", async () => {
    const before = await q(`SELECT id, status FROM import_batch ORDER BY id`);
    await refused({ kind: "elsewhere", filePath: writeCsv("d.csv", `id_number,name,scheme,region_code,status\n${validId(63)},丙,999,310104,1\n`), replace: true });
    expect(await q(`SELECT id, status FROM import_batch ORDER BY id`)).toEqual(before);
  });
});

describe("regions", () => {
  it("upserts the tree with levels from the code length, recorded as a batch", async () => {
    const file = writeCsv(
      "regions.csv",
      ["区划代码,名称,上级区划代码", "3204,常州市,", "320402,天宁区,3204", "320402002,青龙街道,320402", "320402002001,青龙社区,320402002"].join("\n"),
    );
    const r = await importFile({ kind: "regions", filePath: file, replace: true });
    expect(r).toMatchObject({ rowsRead: 4, rowsLoaded: 4, rowsInvalid: 0 });
    const rows = await q(`SELECT code, name, level::text, parent_code FROM region ORDER BY code`);
    expect(rows).toEqual([
      { code: "3204", name: "常州市", level: "CITY", parent_code: null },
      { code: "320402", name: "天宁区", level: "DISTRICT", parent_code: "3204" },
      { code: "320402002", name: "青龙街道", level: "STREET", parent_code: "320402" },
      { code: "320402002001", name: "青龙社区", level: "COMMUNITY", parent_code: "320402002" },
    ]);
    // A later file may name parents already in the table, and rename.
    await importFile({ kind: "regions", filePath: writeCsv("more.csv", "code,name,parent_code\n320402002002,红梅社区,320402002\n320402,天宁区（新）,3204\n") });
    expect(await q(`SELECT name FROM region WHERE code IN ('320402', '320402002002') ORDER BY code`)).toEqual([{ name: "天宁区(新)" }, { name: "红梅社区" }]);
  });

  it("refuses a parent that is neither in the file nor in the table", async () => {
    const file = writeCsv("r.csv", "code,name,parent_code\n320411,新北区,3204\n320411001,某街道,320499\n");
    expect(await refused({ kind: "regions", filePath: file })).toMatchObject({ line: 3, column: "parent_code", reason: "unknown_parent", value: "320499" });
  });

  it("refuses a malformed code", async () => {
    const file = writeCsv("r.csv", "code,name,parent_code\n32041,新北区,3204\n");
    expect(await refused({ kind: "regions", filePath: file })).toMatchObject({ line: 2, column: "code", reason: "bad_region_code" });
  });
});

describe("audit", () => {
  it("every import writes an audit row in its transaction", async () => {
    const r = await importFile({ kind: "department", filePath: writeCsv("d.csv", `id_number,name,kind\n${validId(70)},甲,military\n`) });
    const rows = await q<{ action: string; detail: { kind: string; rowsLoaded: number } }>(`SELECT action, detail FROM audit_log WHERE entity = 'import_batch' AND entity_id = $1`, [String(r.batchId)]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: "import.run", detail: { kind: "department", rowsLoaded: 1 } });
  });
});
