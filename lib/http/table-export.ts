import { PassThrough, Readable } from "node:stream";
import ExcelJS from "exceljs";

// The one way a list page's rows leave as a file (CSV or XLSX): the header and the rows exactly as
// the caller computed them from the list's own query (same filters, scope and masking — the caller's
// job), streamed, so a 100,000-row export is not held in memory. Text cells that Excel would run as
// a formula (= + - @ at the start) are prefixed with '. Responses are never cached.

export type Cell = string | number | null | undefined;
export type ExportFormat = "csv" | "xlsx";

export interface TableExport {
  format: ExportFormat;
  /** The file name without extension (may be Chinese; sent as RFC 5987 filename*). */
  filename: string;
  /** The worksheet's name (XLSX). */
  sheetName: string;
  header: string[];
  /** The rows, in batches or one by one. */
  rows: AsyncIterable<Cell[] | Cell[][]> | Iterable<Cell[]>;
}

/** `format=xlsx` or `format=csv` of a request (default xlsx). */
export function exportFormat(raw: string | null | undefined): ExportFormat {
  return raw === "csv" ? "csv" : "xlsx";
}

/** A text cell made safe to open in Excel; numbers pass through. */
export function safeCell(v: Cell): string | number {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return v;
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

const csvField = (v: string | number) => {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

function contentDisposition(filename: string, ext: string): string {
  const ascii = `${filename.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_")}.${ext}`;
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(`${filename}.${ext}`)}`;
}

async function* flatten(rows: TableExport["rows"]): AsyncGenerator<Cell[]> {
  for await (const item of rows as AsyncIterable<Cell[] | Cell[][]>) {
    if (Array.isArray(item[0])) for (const r of item as Cell[][]) yield r;
    else yield item as Cell[];
  }
}

/** The file as a streamed Response (Cache-Control: no-store). */
export function tableExportResponse(spec: TableExport): Response {
  const out = new PassThrough();
  let headers: Record<string, string>;
  if (spec.format === "csv") {
    headers = { "content-type": "text/csv; charset=utf-8", "content-disposition": contentDisposition(spec.filename, "csv") };
    void (async () => {
      out.write(`\uFEFF${spec.header.map(csvField).join(",")}\r\n`);
      for await (const r of flatten(spec.rows)) {
        if (!out.write(`${r.map((c) => csvField(safeCell(c))).join(",")}\r\n`)) await new Promise((res) => out.once("drain", res));
      }
      out.end();
    })().catch((e) => out.destroy(e));
  } else {
    headers = { "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "content-disposition": contentDisposition(spec.filename, "xlsx") };
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
    const ws = wb.addWorksheet(spec.sheetName.slice(0, 31).replace(/[\\/?*[\]:]/g, " "));
    void (async () => {
      ws.addRow(spec.header).commit();
      for await (const r of flatten(spec.rows)) ws.addRow(r.map(safeCell)).commit();
      ws.commit();
      await wb.commit();
    })().catch((e) => out.destroy(e));
  }
  return new Response(Readable.toWeb(out) as ReadableStream, { headers: { ...headers, "cache-control": "no-store" } });
}
