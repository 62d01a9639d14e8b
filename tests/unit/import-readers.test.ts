import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { CsvLines } from "@/lib/import/csv-source";
import { scanFile } from "@/lib/import/file-scan";
import { headerKey, mapHeader } from "@/lib/import/formats";
import { cellText, csvRecord } from "@/lib/import/xlsx-source";

// The import readers' pure parts: header mapping, encoding detection, physical line tracking, and
// how XLSX cells become CSV text.

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

describe("physical lines of CSV records", () => {
  function scan(text: string, chunk = 3): CsvLines {
    const lines = new CsvLines();
    const bytes = Buffer.from(text, "utf8");
    for (let i = 0; i < bytes.length; i += chunk) lines.scan(bytes.subarray(i, i + chunk));
    return lines;
  }

  it("without quoted line breaks, record k starts on line k + 1", () => {
    expect(scan('h1,h2\na,b\n"c","d"\ne,f\n').shifts).toEqual([]);
  });

  it("records after a quoted line break are shifted by the extra lines", () => {
    const lines = scan('h1,h2\na,"x\ny"\nb,c\n"p\n\nq",r\ns,t\n');
    // Record 2 (b,c) starts on line 4; record 4 (s,t) on line 8.
    expect(lines.shifts).toEqual([
      [2, 1],
      [4, 3],
    ]);
  });

  it("escaped quotes do not open a field; an unterminated quote names the line it opened on", () => {
    const lines = scan('h\n"a ""b"""\nc\n"open\nmore\n');
    expect(lines.inQuote).toBe(true);
    expect(lines.quoteStartLine).toBe(4);
  });
});

describe("XLSX cells as CSV text", () => {
  it("whole numbers without a fraction, dates as YYYY-MM-DD, rich text and formulas as their text", () => {
    expect(cellText(1)).toBe("1");
    expect(cellText(110.0)).toBe("110");
    expect(cellText(320402800101123)).toBe("320402800101123");
    expect(cellText(1.5)).toBe("1.5");
    expect(cellText(new Date(Date.UTC(1980, 0, 31)))).toBe("1980-01-31");
    expect(cellText({ richText: [{ text: "张" }, { text: "三" }] })).toBe("张三");
    expect(cellText({ formula: "A1", result: 390 })).toBe("390");
    expect(cellText({ text: "link", hyperlink: "http://x" })).toBe("link");
    expect(cellText(null)).toBe("");
    expect(cellText(true)).toBe("1");
  });

  it("quotes only what needs quoting, so that empty cells stay NULL", () => {
    expect(csvRecord(["2", "a", "", "x,y", 'say "hi"', "\\."])).toBe('2,a,,"x,y","say ""hi""","\\."\n');
  });
});
