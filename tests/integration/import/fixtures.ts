import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import iconv from "iconv-lite";
import { makeIdNumber } from "@/lib/ids/id-number";

// Import fixtures, written per test into a temporary folder.

export const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), "import-test-"));
let counter = 0;

/** Writes `text` as a file with `name` (made unique); encodes as UTF-8, UTF-8 with BOM or GB18030. */
export function writeCsv(name: string, text: string, encoding: "utf-8" | "utf-8-bom" | "gb18030" = "utf-8"): string {
  const file = path.join(tmpDir, `${++counter}-${name}`);
  const bytes = encoding === "gb18030" ? iconv.encode(text, "gb18030") : Buffer.from((encoding === "utf-8-bom" ? "\uFEFF" : "") + text, "utf8");
  fs.writeFileSync(file, bytes);
  return file;
}

export function writeBytes(name: string, bytes: Buffer): string {
  const file = path.join(tmpDir, `${++counter}-${name}`);
  fs.writeFileSync(file, bytes);
  return file;
}

/** An .xlsx whose first sheet holds `rows` (null = an empty row); a second sheet must be ignored. */
export async function writeXlsx(name: string, rows: (unknown[] | null)[]): Promise<string> {
  const file = path.join(tmpDir, `${++counter}-${name}`);
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet("data");
  rows.forEach((r, i) => {
    if (r) sheet.getRow(i + 1).values = r as ExcelJS.CellValue[];
  });
  wb.addWorksheet("other").addRow(["not", "imported"]);
  await wb.xlsx.writeFile(file);
  return file;
}

/** Valid 18-digit IDs of people born in Tianning district. */
export function validId(n: number, birth = "19800101"): string {
  return makeIdNumber("320402", birth, n);
}

/** A valid ID with its check character replaced by a wrong one. */
export function badChecksumId(n: number): string {
  const id = validId(n);
  const wrong = id[17] === "0" ? "1" : "0";
  return id.slice(0, 17) + wrong;
}

/** Full-width form of an ASCII string (digits and letters). */
export function fullWidth(s: string): string {
  return s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
}
