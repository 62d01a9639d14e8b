import fs from "node:fs";
import path from "node:path";
import { parse } from "csv-parse";
import ExcelJS from "exceljs";
import iconv from "iconv-lite";
import type { GeneratedFile } from "./generate";

// A generated city in every format a clerk's files come in (import-formats.md): the generator writes
// CSV; this rewrites each data file as another format while keeping every value, so that an import
// of the rewritten city must give exactly the oracle's results. The files are read by csv-parse and
// the workbooks written by exceljs's streaming writer — neither is the importer's own reader, so a
// reading error cannot cancel out. Formats, in turn over the data files:
//   xlsx-shared  — workbook with a shared-strings table (how Excel saves),
//   utf8-bom     — UTF-8 CSV with a byte order mark and CRLF line ends (Excel's "CSV UTF-8"),
//   gb18030      — GB18030 CSV with CRLF (what government systems export),
//   xlsx-inline  — workbook with inline strings (how many export tools write),
//   utf8         — UTF-8 CSV without BOM, LF.

export const FILE_FORMATS = ["xlsx-shared", "utf8-bom", "gb18030", "xlsx-inline", "utf8"] as const;
export type TFileFormat = (typeof FILE_FORMATS)[number];

export interface ConvertedFile extends Omit<GeneratedFile, "encoding"> {
  format: TFileFormat;
  bytes: number;
}

function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

async function* records(file: string, encoding: "utf8" | "gb18030"): AsyncGenerator<string[]> {
  const input = fs.createReadStream(file).pipe(iconv.decodeStream(encoding === "gb18030" ? "gb18030" : "utf8"));
  // relax_column_count: the generator writes rows as the formats allow; bom: the decoder keeps a BOM
  yield* input.pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: false })) as AsyncIterable<string[]>;
}

async function writeCsv(rows: AsyncIterable<string[]>, out: string, encoding: "utf8" | "gb18030", bom: boolean, eol: string): Promise<void> {
  const stream = fs.createWriteStream(out);
  let failed: Error | null = null;
  stream.on("error", (e) => (failed = e));
  const write = async (text: string) => {
    if (failed) throw failed;
    if (!stream.write(encoding === "gb18030" ? iconv.encode(text, "gb18030") : Buffer.from(text, "utf8"))) await new Promise<void>((resolve) => stream.once("drain", () => resolve()));
  };
  if (bom) await write("\uFEFF");
  let batch: string[] = [];
  for await (const r of rows) {
    batch.push(r.map(csvField).join(",") + eol);
    if (batch.length >= 2000) {
      await write(batch.join(""));
      batch = [];
    }
  }
  await write(batch.join(""));
  await new Promise<void>((resolve, reject) => stream.end((e?: Error | null) => (e ? reject(e) : resolve())));
}

async function writeXlsx(rows: AsyncIterable<string[]>, out: string, sharedStrings: boolean): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: out, useSharedStrings: sharedStrings, useStyles: false });
  const sheet = wb.addWorksheet("数据");
  // Every value as text, as the CSV carried it (a number cell would be read back as a number).
  for await (const r of rows) sheet.addRow(r.map((v) => (v === "" ? null : v))).commit();
  await sheet.commit();
  await wb.commit();
}

/**
 * Rewrites the data files of a generated city (regions stay CSV) in the formats in turn, replaces
 * them in `dir` and rewrites manifest.json to name the new files, in the same order.
 */
export async function convertCity(dir: string, files: GeneratedFile[], formats: readonly TFileFormat[] = FILE_FORMATS): Promise<ConvertedFile[]> {
  const out: ConvertedFile[] = [];
  let turn = 0;
  for (const f of files) {
    const source = path.join(dir, f.file);
    if (f.kind === "regions") {
      out.push({ ...f, format: "utf8", bytes: fs.statSync(source).size });
      continue;
    }
    const format = formats[turn++ % formats.length];
    const base = f.file.replace(/\.csv$/, "");
    const target = path.join(dir, `${base}.${format.startsWith("xlsx") ? "xlsx" : "csv"}`);
    const temp = `${target}.part`;
    const rows = records(source, f.encoding);
    if (format === "xlsx-shared" || format === "xlsx-inline") await writeXlsx(rows, temp, format === "xlsx-shared");
    else await writeCsv(rows, temp, format === "gb18030" ? "gb18030" : "utf8", format === "utf8-bom", format === "utf8" ? "\n" : "\r\n");
    fs.rmSync(source);
    fs.renameSync(temp, target);
    out.push({ kind: f.kind, file: path.basename(target), rows: f.rows, format, bytes: fs.statSync(target).size });
  }
  const manifestFile = path.join(dir, "manifest.json");
  const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8"));
  manifest.files = out.map((f) => ({ kind: f.kind, file: f.file, encoding: f.format === "gb18030" ? "gb18030" : "utf8", format: f.format, rows: f.rows }));
  fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
  return out;
}
