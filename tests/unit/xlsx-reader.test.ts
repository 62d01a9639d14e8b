import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { afterAll, describe, expect, it } from "vitest";
import { CsvSplitter, recordTexts, splitFile } from "@/lib/import/csv-records";
import { columnLetters, isDateFormat, numberText, readFirstSheet, serialDate, type SheetRow, XlsxProblem } from "@/lib/import/xlsx-source";
import { escapeXml, sharedStringsPart, writeWorkbook } from "../helpers/xlsx";
import { chineseRows } from "../helpers/chinese-text";

// The XLSX reader (import-formats.md "XLSX: the first sheet …"): every cell arrives exactly as the
// workbook holds it, whatever the zip and inflate chunks cut, and a cell that does not decode refuses
// the file with its row and column.

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "xlsx-reader-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = () => path.join(dir, `${++n}.xlsx`);

async function rowsOf(filePath: string): Promise<SheetRow[]> {
  const rows: SheetRow[] = [];
  for await (const r of readFirstSheet(filePath, () => {})) rows.push({ line: r.line, cells: [...r.cells] });
  return rows;
}

async function problemOf(filePath: string): Promise<XlsxProblem> {
  try {
    await rowsOf(filePath);
  } catch (e) {
    if (e instanceof XlsxProblem) return e;
    throw e;
  }
  throw new Error("the workbook was read");
}

describe("cell text as the CSV format carries it", () => {
  it("whole numbers without a fraction, other numbers as written", () => {
    expect(numberText(1)).toBe("1");
    expect(numberText(110.0)).toBe("110");
    expect(numberText(320402800101123)).toBe("320402800101123");
    expect(numberText(1.5)).toBe("1.5");
    expect(numberText(1e21)).toBe("1000000000000000000000");
  });

  it("date serials of the 1900 and 1904 systems as YYYY-MM-DD, the time of day dropped", () => {
    expect(serialDate(29251, false)).toBe("1980-01-31");
    expect(serialDate(29251.75, false)).toBe("1980-01-31");
    expect(serialDate(1, false)).toBe("1900-01-01");
    expect(serialDate(59, false)).toBe("1900-02-28");
    expect(serialDate(61, false)).toBe("1900-03-01");
    expect(serialDate(45658, false)).toBe("2025-01-01");
    expect(serialDate(0, true)).toBe("1904-01-01");
    expect(serialDate(44196, true)).toBe("2025-01-01");
  });

  it("date formats are told from number formats", () => {
    for (const f of ["yyyy-mm-dd", "yyyy/m/d", 'yyyy"年"m"月"d"日"', "[$-804]yyyy年m月d日", "m/d/yy h:mm", "[h]:mm:ss", "d-mmm-yy"]) expect(isDateFormat(f), f).toBe(true);
    for (const f of ["0", "0.00", "#,##0.00_);[Red](#,##0.00)", "@", "General", '"ID"0', "0.00E+00", "0%", '#,##0"元"']) expect(isDateFormat(f), f).toBe(false);
  });

  it("column letters", () => {
    expect([0, 25, 26, 27, 701, 702].map(columnLetters)).toEqual(["A", "Z", "AA", "AB", "ZZ", "AAA"]);
  });
});

describe("reading a workbook", () => {
  it("shared strings, inline strings, rich-text runs (not phonetic runs), numbers, booleans, errors and formulas", async () => {
    const f = writeWorkbook(file(), {
      sharedStrings: sharedStringsPart(["公民身份号码", "姓名", "<r><rPr><b/></rPr><t>熊</t></r><r><t xml:space=\"preserve\">浩 </t></r><rPh sb=\"0\" eb=\"1\"><t>xiong</t></rPh>", "a&b <x>"]),
      sheets: [
        `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="inlineStr"><is><t>备注</t></is></c></row>` +
          `<row r="2"><c r="A2"><v>110</v></c><c r="B2" t="s"><v>2</v></c><c r="C2" t="inlineStr"><is><r><t>𠮷</t></r><r><t>野家</t></r></is></c><c r="D2" t="b"><v>1</v></c><c r="E2" t="e"><v>#N/A</v></c></row>` +
          `<row r="4"><c r="A4"><v>1.5</v></c><c r="B4" t="str"><f>A1&amp;"x"</f><v>公式</v></c><c r="C4" t="s"><v>3</v></c><c r="D4"><f>1+1</f><v>2</v></c></row>` +
          `<row r="5"><c r="A5" t="inlineStr"><is><t> </t></is></c></row>` +
          `<row r="6"><c r="C6"><v>3.2E+2</v></c></row>`,
      ],
    });
    expect(await rowsOf(f)).toEqual([
      { line: 1, cells: ["公民身份号码", "姓名", "备注"] },
      { line: 2, cells: ["110", "熊浩 ", "𠮷野家", "1", ""] },
      { line: 4, cells: ["1.5", "公式", "a&b <x>", "2"] },
      { line: 6, cells: ["", "", "320"] },
    ]);
  });

  it("the first sheet is the first of the workbook's tab order, not the first file", async () => {
    const f = writeWorkbook(file(), {
      sheets: [`<row r="1"><c r="A1" t="inlineStr"><is><t>second tab</t></is></c></row>`, `<row r="1"><c r="A1" t="inlineStr"><is><t>first tab</t></is></c></row>`],
      tabOrder: [2, 1],
    });
    expect(await rowsOf(f)).toEqual([{ line: 1, cells: ["first tab"] }]);
  });

  it("numbers in date formats (built-in, custom, 1904 system) as dates; other numbers as numbers", async () => {
    const styles = `<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/><numFmt numFmtId="165" formatCode="0.00"/></numFmts><cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="165"/></cellXfs>`;
    const sheet = `<row r="1"><c r="A1" s="0"><v>29251</v></c><c r="B1" s="1"><v>29251</v></c><c r="C1" s="2"><v>29251.5</v></c><c r="D1" s="3"><v>29251</v></c><c r="E1" t="d"><v>1980-01-31T00:00:00Z</v></c></row>`;
    expect(await rowsOf(writeWorkbook(file(), { sheets: [sheet], styles }))).toEqual([{ line: 1, cells: ["29251", "1980-01-31", "1980-01-31", "29251", "1980-01-31"] }]);
    expect((await rowsOf(writeWorkbook(file(), { sheets: [sheet], styles, date1904: true })))[0].cells[1]).toBe("1984-02-01");
  });

  it("prefixed XML names, rows and cells without references, stored (not deflated) parts", async () => {
    const whole = `<?xml version="1.0" encoding="UTF-8"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData><x:row><x:c t="inlineStr"><x:is><x:t>甲</x:t></x:is></x:c><x:c><x:v>7</x:v></x:c></x:row><x:row><x:c/><x:c t="inlineStr"><x:is><x:t>乙</x:t></x:is></x:c></x:row></x:sheetData></x:worksheet>`;
    const f = writeWorkbook(file(), { sheets: [whole], tweak: (parts) => parts.forEach((p) => (p.stored = true)) });
    expect(await rowsOf(f)).toEqual([
      { line: 1, cells: ["甲", "7"] },
      { line: 2, cells: ["", "乙"] },
    ]);
  });

  it("a character cut by an inflate chunk boundary arrives whole (exceljs #2063)", async () => {
    // zlib hands the inflated part over in 16 KiB chunks: place 熊 (3 bytes) across every offset
    // around the first boundary, in a shared string and in an inline string.
    for (const at of [16382, 16383, 16384, 32766, 32767]) {
      const prefix = `<row r="1"><c r="A1" t="inlineStr"><is><t>`;
      const pad = "a".repeat(at - Buffer.byteLength(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheetData>${prefix}`));
      const sheet = `${prefix}${pad}熊浩</t></is></c><c r="B1" t="s"><v>0</v></c></row>`;
      const strings = sharedStringsPart([`${"b".repeat(at - 120)}熊浩`]);
      const rows = await rowsOf(writeWorkbook(file(), { sheets: [sheet], sharedStrings: strings }));
      expect(rows[0].cells[0].endsWith("熊浩"), `offset ${at}`).toBe(true);
      expect(rows[0].cells[1].endsWith("熊浩"), `offset ${at}`).toBe(true);
    }
  });
});

describe("a damaged workbook is refused, never imported", () => {
  const header = `<row r="1"><c r="A1" t="inlineStr"><is><t>公民身份号码</t></is></c><c r="B1" t="inlineStr"><is><t>姓名</t></is></c></row>`;

  it("a broken UTF-8 sequence in a shared string: refused at its row and column", async () => {
    // 熊 is E7 86 8A; cut after two bytes, as a chunk-by-chunk decoder would have left it.
    const broken = Buffer.concat([Buffer.from([0xe7, 0x86]), Buffer.from("浩")]);
    const f = writeWorkbook(file(), {
      sharedStrings: sharedStringsPart(["ok", broken]),
      sheets: [`${header}<row r="2"><c r="A2"><v>1</v></c><c r="B2" t="s"><v>0</v></c></row><row r="3"><c r="A3"><v>2</v></c><c r="B3" t="s"><v>1</v></c></row>`],
    });
    const p = await problemOf(f);
    expect(p).toMatchObject({ reason: "broken_text", line: 3, column: 1 });
    expect(p.value).toContain("\uFFFD");
  });

  it("a broken UTF-8 sequence in the sheet itself, and a U+FFFD written into it", async () => {
    const sheet = Buffer.concat([Buffer.from(`${header}<row r="2"><c r="A2"><v>1</v></c><c r="B2" t="inlineStr"><is><t>`), Buffer.from([0xe7, 0x86]), Buffer.from(`</t></is></c></row>`)]);
    expect(await problemOf(writeWorkbook(file(), { sheets: [sheet] }))).toMatchObject({ reason: "broken_text", line: 2, column: 1 });
    const written = `${header}<row r="7"><c r="C7" t="inlineStr"><is><t>熊\uFFFD</t></is></c></row>`;
    expect(await problemOf(writeWorkbook(file(), { sheets: [written] }))).toMatchObject({ reason: "broken_text", line: 7, column: 2 });
  });

  it("a wrong CRC, malformed XML, a missing sheet, or no zip at all", async () => {
    const sheet = `${header}<row r="2"><c r="A2"><v>1</v></c></row>`;
    const wrongCrc = writeWorkbook(file(), { sheets: [sheet], tweak: (parts) => (parts.find((p) => p.name.includes("sheet1"))!.crc = 12345) });
    expect(await problemOf(wrongCrc)).toMatchObject({ reason: "unreadable_xlsx" });
    expect(await problemOf(writeWorkbook(file(), { sheets: [`${header}<row r="2"><c r="A2"><v>1</v></row>`] }))).toMatchObject({ reason: "unreadable_xlsx" });
    expect(await problemOf(writeWorkbook(file(), { sheets: [sheet], tweak: (parts) => parts.splice(parts.findIndex((p) => p.name.includes("sheet1")), 1) }))).toMatchObject({ reason: "unreadable_xlsx" });
    const notZip = file();
    fs.writeFileSync(notZip, "id_number,name\n1,2\n");
    expect(await problemOf(notZip)).toMatchObject({ reason: "unreadable_xlsx" });
    const cut = file();
    fs.writeFileSync(cut, fs.readFileSync(writeWorkbook(file(), { sheets: [sheet] })).subarray(0, 200));
    expect(await problemOf(cut)).toMatchObject({ reason: "unreadable_xlsx" });
  });
});

describe("a workbook of 100,000 rows of Chinese names and employers reads cell for cell as its CSV twin", () => {
  const ROWS = 100_000;
  const rows = chineseRows(ROWS, 11);
  const header = ["公民身份号码", "姓名", "单位名称", "常住地址", "备注", "序号"];
  const csvFile = path.join(dir, "twin.csv");
  fs.writeFileSync(csvFile, [header, ...rows].map((r) => r.map((v) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(",")).join("\r\n") + "\r\n");

  async function csvRows(): Promise<string[][]> {
    const out: string[][] = [];
    for await (const _ of splitFile(csvFile, "utf-8", new CsvSplitter((r) => out.push(recordTexts(r))), () => null)) void _;
    return out;
  }

  async function expectTwins(xlsxFile: string): Promise<void> {
    const expected = await csvRows();
    expect(expected.length).toBe(ROWS + 1);
    let i = 0;
    for await (const r of readFirstSheet(xlsxFile, () => {})) {
      const want = expected[i];
      if (r.cells.length !== want.length || r.cells.some((c, j) => c !== want[j])) expect({ line: r.line, cells: r.cells }).toEqual({ line: i + 1, cells: want });
      expect(r.line).toBe(i + 1);
      i++;
    }
    expect(i).toBe(ROWS + 1);
  }

  it("written by exceljs with shared strings (the usual Excel layout)", async () => {
    const f = file();
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: f, useSharedStrings: true });
    const sheet = wb.addWorksheet("data");
    sheet.addRow(header).commit();
    for (const r of rows) sheet.addRow(r.map((v, j) => (j === 5 ? Number(v) : v))).commit();
    await sheet.commit();
    await wb.commit();
    await expectTwins(f);
  }, 120_000);

  it("written by hand with inline strings and rich-text runs", async () => {
    const run = (v: string) => `<r><t xml:space="preserve">${escapeXml(v)}</t></r>`;
    const cell = (v: string, j: number) => {
      if (j === 5 && /^\d+$/.test(v)) return `<c><v>${v}</v></c>`;
      const chars = Array.from(v); // runs split between characters, never inside a surrogate pair
      if (j === 2) return `<c t="inlineStr"><is>${run(chars.slice(0, 2).join(""))}${run(chars.slice(2).join(""))}</is></c>`;
      return `<c t="inlineStr"><is><t xml:space="preserve">${escapeXml(v)}</t></is></c>`;
    };
    const body = [header, ...rows].map((r, i) => `<row r="${i + 1}">${r.map(cell).join("")}</row>`).join("");
    const f = writeWorkbook(file(), { sheets: [body] });
    expect(fs.statSync(f).size).toBeGreaterThan(1 << 20);
    await expectTwins(f);
  }, 120_000);
});
