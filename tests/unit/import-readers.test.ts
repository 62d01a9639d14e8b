import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { CsvProblem, CsvSplitter, gb18030Break, recordTexts } from "@/lib/import/csv-records";
import { scanFile } from "@/lib/import/file-scan";
import { headerKey, mapHeader } from "@/lib/import/formats";
import { importDate, importGender, importInsuredStatus, importScheme, importYesNo, remembered, type ValueReader } from "@/lib/import/values";

// The import readers' pure parts: header mapping, encoding detection, physical line tracking
// (XLSX cells: xlsx-reader.test.ts).

describe("header mapping (import-formats.md: English or Chinese, case, spaces and BOM ignored)", () => {
  it("maps English and Chinese headers, ignoring case, spaces, full-width spaces and a BOM", () => {
    expect(headerKey("\uFEFF ID_Number ")).toBe("id_number");
    expect(headerKey("\u3000公民身份号码\u3000")).toBe("公民身份号码");
    const m = mapHeader("enrolment", ["\uFEFF公民身份号码", "NAME", " 险种 ", "参保状态", "备注"]);
    expect(m).toEqual({ fields: ["id_number", "name", "scheme", "status", null], absent: ["region_code", "employer", "start_date", "benefit"] });
  });

  it("names the first missing required column", () => {
    expect(mapHeader("elsewhere", ["id_number", "name", "scheme", "status"])).toMatchObject({ reason: "missing_column", column: { en: "region_code", zh: "参保地区划代码" } });
  });

  it("refuses a column given twice (in English and in Chinese)", () => {
    expect(mapHeader("department", ["id_number", "姓名", "name", "kind"])).toMatchObject({ reason: "duplicate_column", index: 2 });
  });
});

describe("encoding detection", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scan-"));
  const write = (name: string, bytes: Buffer) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, bytes);
    return file;
  };

  it("a BOM means UTF-8; valid UTF-8 is UTF-8; anything else GB18030", async () => {
    expect((await scanFile(write("bom.csv", Buffer.from("\uFEFFa,b\n", "utf8")))).encoding).toBe("utf-8-bom");
    expect((await scanFile(write("utf8.csv", Buffer.from("姓名,𠮷\n", "utf8")))).encoding).toBe("utf-8");
    expect((await scanFile(write("gbk.csv", iconv.encode("姓名,𠮷\n", "gb18030")))).encoding).toBe("gb18030");
  });

  it("a multi-byte character split across read chunks is still UTF-8", async () => {
    // 1 MiB chunks: put a 4-byte character across the first boundary.
    const bytes = Buffer.concat([Buffer.alloc((1 << 20) - 2, 0x61), Buffer.from("𠮷\n", "utf8")]);
    const scan = await scanFile(write("split.csv", bytes));
    expect(scan).toMatchObject({ encoding: "utf-8", size: bytes.length });
    expect(scan.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("a file ending inside a multi-byte sequence is not UTF-8", async () => {
    expect((await scanFile(write("cut.csv", Buffer.from([0x61, 0xe5, 0xa7])))).encoding).toBe("gb18030");
  });
});

describe("CSV records (PostgreSQL's CSV dialect) with their physical lines", () => {
  /** Splits the text's UTF-8 bytes fed in chunks of `chunk` bytes, so that every boundary case is crossed. */
  function split(text: string, chunk = 3): { line: number; fields: string[] }[] {
    const records: { line: number; fields: string[] }[] = [];
    const splitter = new CsvSplitter((r) => records.push({ line: r.line, fields: recordTexts(r) }));
    const bytes = Buffer.from(text, "utf8");
    for (let i = 0; i < bytes.length; i += chunk) splitter.push(bytes.subarray(i, i + chunk));
    splitter.end();
    return records;
  }

  it("splits fields and records; empty fields, quoted or not, are empty text", () => {
    for (const chunk of [1, 2, 3, 100]) {
      expect(split('h1,h2\na,b\n"c",""\n,e\n', chunk)).toEqual([
        { line: 1, fields: ["h1", "h2"] },
        { line: 2, fields: ["a", "b"] },
        { line: 3, fields: ["c", ""] },
        { line: 4, fields: ["", "e"] },
      ]);
    }
  });

  it("keeps quoted separators, escaped quotes and line breaks; records after them keep their physical line", () => {
    for (const chunk of [1, 2, 3, 100]) {
      expect(split('h1,h2\na,"x\ny"\nb,"say ""hi"", ok"\n"p\r\n\r\nq",r\r\ns,t', chunk)).toEqual([
        { line: 1, fields: ["h1", "h2"] },
        { line: 2, fields: ["a", "x\ny"] },
        { line: 4, fields: ["b", 'say "hi", ok'] },
        { line: 5, fields: ["p\r\n\r\nq", "r"] },
        { line: 8, fields: ["s", "t"] },
      ]);
    }
  });

  it("keeps multi-byte characters whole across chunk boundaries", () => {
    for (const chunk of [1, 2, 5]) expect(split("姓名,险种\n张三,职工基本医疗保险\n", chunk)).toEqual([
      { line: 1, fields: ["姓名", "险种"] },
      { line: 2, fields: ["张三", "职工基本医疗保险"] },
    ]);
  });

  it("a quote inside a field opens a quoted part, as in PostgreSQL; CRLF and empty lines", () => {
    expect(split('a"b,c"d,e\r\n\r\nf,g\r\n\r\n', 2)).toEqual([
      { line: 1, fields: ["ab,cd", "e"] },
      { line: 3, fields: ["f", "g"] },
    ]);
  });

  it("an unterminated quote is refused at the line of the record it opened in", () => {
    let problem: unknown = null;
    try {
      split('h\n"a ""b"""\nc\n"open\nmore\n');
    } catch (e) {
      problem = e;
    }
    expect(problem).toBeInstanceOf(CsvProblem);
    expect(problem).toMatchObject({ reason: "broken_quoting", line: 4 });
  });

  it("GB18030 byte structure: sound, broken, or cut at the end", () => {
    expect(gb18030Break(iconv.encode("张三,𠮷,abc", "gb18030"))).toBe(-1);
    expect(gb18030Break(Buffer.from([0x61, 0x80, 0x62]))).toBe(1);
    expect(gb18030Break(Buffer.from([0x61, 0xd5]))).toBe(-3);
    expect(gb18030Break(Buffer.from([0x61, 0x95, 0x32, 0x82]))).toBe(-5);
    expect(gb18030Break(Buffer.from([0x61, 0x95, 0x20]))).toBe(1);
  });
});

describe("value readers on a field's bytes (remembered per distinct value)", () => {
  const values = ["", " ", "1", "2", " 1 ", "男", "女", "M", "f", "Ｆ", "３１０", "310", "职工基本医疗保险", " 参保缴费 ", "是", "否", "0", "x", "\t2\t",
    "2024-06-01", "2024/6/1", "20240601", "２０２４-０６-０１", "2024-02-30", "2023-13-01", "2024-6-1x", " 1980/01/31 ", "1980-1-31", "19800230",
    "2024/06-01", "2024--01", "2024-06-", "-2024-06", "2024-06-01-", "2024-006-01", "2024-06-001", "0000-01-01", "00000101", "99999-01-01", "2024/2/29",
    "2023/2/29", "202406011", "2024601", "2024-6-01", "2024/12/31", "1900-02-29", "2000-02-29", "/", "-", "12"];
  const onBytes = <T>(read: { ofBytes(b: Uint8Array, s: number, e: number): T }, v: string) => {
    const b = Buffer.from(`,,${v},`, "utf8");
    return read.ofBytes(b, 2, b.length - 1);
  };

  it("read the same from bytes as from the text, the first time and every time after", () => {
    for (const read of [importDate, importGender, importInsuredStatus, importScheme, importYesNo] as ValueReader<unknown>[]) {
      for (let round = 0; round < 3; round++) for (const v of values) expect([v, onBytes(read, v)]).toEqual([v, read(v)]);
    }
  });

  it("remember at most `limit` values and answer the rest afresh", () => {
    let calls = 0;
    const read = remembered((v: string | null) => (calls++, v?.trim() ?? null), 2);
    for (const v of ["a", "long b", "c", "a", "long b", "c", "c"]) expect(onBytes(read, v)).toBe(v);
    expect(calls).toBe(5); // a and "long b" read once, c every time
    calls = 0;
    const long = remembered((v: string | null) => (calls++, v?.trim() ?? null), 1);
    for (const v of ["long a", "a", "long a", "a"]) expect(onBytes(long, v)).toBe(v);
    expect(calls).toBe(3); // "long a" once, a every time
  });
});
