import fs from "node:fs";
import { PassThrough } from "node:stream";
import ExcelJS from "exceljs";

// XLSX files (import-formats.md): the first sheet, read as a stream (exceljs WorkbookReader, never
// the whole workbook in memory); whole-number numeric cells as integers ("1", not "1.0"); dates as
// YYYY-MM-DD; empty rows skipped. Each row keeps its sheet row number, which is the line that
// errors name (header = 1 when the sheet starts on its first row).

export interface SheetRow {
  line: number;
  cells: string[];
}

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}

/** The text a cell shows, as the CSV format would carry it. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") {
    // Integers print without a fraction; toLocaleString avoids "1e+21" for very long numbers.
    if (Number.isInteger(value)) return Math.abs(value) < 1e21 ? String(value) : value.toLocaleString("en-US", { useGrouping: false });
    return String(value);
  }
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "1" : "0";
  if (value instanceof Date) return `${value.getUTCFullYear()}-${pad2(value.getUTCMonth() + 1)}-${pad2(value.getUTCDate())}`;
  if (typeof value === "object") {
    const v = value as { richText?: { text: string }[]; result?: unknown; text?: unknown; error?: string };
    if (v.richText) return v.richText.map((r) => r.text).join("");
    if ("result" in v) return cellText(v.result);
    if ("text" in v) return cellText(v.text);
    if (v.error) return "";
  }
  return String(value);
}

/**
 * The non-empty rows of the workbook's first sheet. `onBytes` receives the compressed bytes read so far
 * (the only measure of progress a zip stream offers).
 */
export async function* readFirstSheet(filePath: string, onBytes: (bytes: number) => void): AsyncGenerator<SheetRow> {
  const file = fs.createReadStream(filePath, { highWaterMark: 1 << 20 });
  const counted = new PassThrough();
  file.on("data", (chunk) => onBytes(chunk.length));
  file.on("error", (e) => counted.destroy(e));
  file.pipe(counted);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(counted, { worksheets: "emit", sharedStrings: "cache", styles: "cache", hyperlinks: "ignore", entries: "emit" });
  try {
    for await (const sheet of reader) {
      for await (const row of sheet) {
        const values = row.values as unknown[];
        const cells: string[] = [];
        for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]));
        if (cells.some((c) => c.trim() !== "")) yield { line: row.number, cells };
      }
      return; // the first sheet only
    }
  } finally {
    file.destroy();
    counted.destroy();
  }
}
