import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { pool } from "@/lib/db/client";
import { type CsvRecord, CsvProblem, csvRecords } from "./csv-records";
import { scanFile } from "./file-scan";
import { FORMATS, type HeaderMapping, mapHeader, type TImportKind } from "./formats";
import { ImportError, type TImportRefusal } from "./import-error";
import { copyText, RECORD_KINDS, type RecordKindName, RowReader, type TypedRow, ValueProblem } from "./values";
import { readFirstSheet } from "./xlsx-source";

// One import = one file = one transaction (import-formats.md: "an import either loads whole or changes
// nothing"). The file is streamed twice and never held in memory: once to checksum it and detect its
// encoding, once to load it. On the second pass Node decodes and splits the records (csv-records.ts,
// or the workbook's first sheet) and types every value (values.ts) while PostgreSQL runs a plain COPY
// of the typed rows into the kind's record table: the two work side by side on their own cores, and
// the database does no per-value work. Regions go through a staging table and set-based SQL (./sql),
// since their checks read the region table. Refusals are ImportErrors; a refused file leaves no batch row.

export interface ImportProgress {
  bytes: number;
  totalBytes: number;
  rows: number;
}

export interface ImportOptions {
  kind: TImportKind;
  filePath: string;
  /** The name shown in batches and errors (the upload's name); defaults to the file's base name. */
  fileName?: string;
  /** Retire every earlier active batch of this kind (comparison-rules.md §0). */
  replace?: boolean;
  userId?: number | null;
  onProgress?: (p: ImportProgress) => void;
}

export interface ImportResult {
  batchId: number;
  rowsRead: number;
  rowsLoaded: number;
  rowsInvalid: number;
  encoding: string;
}

const SQL_DIRS = [path.join(import.meta.dirname ?? "", "sql"), path.join(process.cwd(), "lib/import/sql")];
const sqlCache = new Map<string, string>();

/** A bulk statement from ./sql (also found from the working directory when bundled by Next). */
function sql(name: string): string {
  let text = sqlCache.get(name);
  if (text === undefined) {
    const dir = SQL_DIRS.find((d) => fs.existsSync(path.join(d, name)));
    if (!dir) throw new Error(`lib/import/sql/${name} not found`);
    text = fs.readFileSync(path.join(dir, name), "utf8");
    sqlCache.set(name, text);
  }
  return text;
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Creates the staging table of a regions import: the line, then file columns in order, then absent fields. */
async function createStaging(client: pg.PoolClient, mapping: HeaderMapping): Promise<string[]> {
  const copyColumns = mapping.fields.map((f, i) => f ?? `_ignored_${i + 1}`);
  const columns = [...copyColumns, ...mapping.absent];
  await client.query(`CREATE TEMP TABLE import_staging (ln BIGINT, ${columns.map((c) => `${quoteIdent(c)} TEXT`).join(", ")}) ON COMMIT DROP`);
  return copyColumns;
}

function headerProblem(file: string, kind: TImportKind, headers: string[], line: number): HeaderMapping {
  const mapped = mapHeader(kind, headers);
  if ("reason" in mapped) {
    const column = mapped.reason === "duplicate_column" ? headers[mapped.index].trim() : `${mapped.column.en}/${mapped.column.zh}`;
    throw new ImportError({ file, line: mapped.reason === "duplicate_column" ? line : null, column, reason: mapped.reason });
  }
  return mapped;
}

function headerNames(mapping: HeaderMapping, headers: string[]): Map<string, string> {
  const names = new Map<string, string>();
  mapping.fields.forEach((f, i) => f && names.set(f, headers[i].replace(/^\uFEFF/, "").trim()));
  return names;
}

/** The file's rows: its header, then batches of data records; `fixedWidth` = a CSV (rows must match the header). */
interface RowSource {
  header: CsvRecord;
  rows: AsyncIterable<CsvRecord[]>;
  fixedWidth: boolean;
}

/** Reads the header record off a record stream; null when the file has no record at all. */
async function withHeader(records: AsyncGenerator<CsvRecord[]>, fixedWidth: boolean): Promise<RowSource | null> {
  let first = await records.next();
  while (!first.done && first.value.length === 0) first = await records.next();
  if (first.done) return null;
  const [header, ...rest] = first.value;
  async function* rows(): AsyncGenerator<CsvRecord[]> {
    if (rest.length > 0) yield rest;
    yield* records;
  }
  return { header, rows: rows(), fixedWidth };
}

/** The first sheet's non-empty rows as records, cells padded or cut to the header's width. */
async function* sheetRecords(filePath: string, onBytes: (bytes: number) => void): AsyncGenerator<CsvRecord[]> {
  let width = -1;
  let batch: CsvRecord[] = [];
  for await (const row of readFirstSheet(filePath, onBytes)) {
    if (width < 0) width = row.cells.length;
    const fields: string[] = [];
    for (let i = 0; i < width; i++) fields.push(row.cells[i] ?? "");
    // Cells may hold anything: every value takes the careful path (escaping, full-width).
    batch.push({ line: row.line, fields, plain: false, narrow: false });
    if (batch.length >= 4096) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** Maps what the readers throw to refusals: CSV problems keep their line, anything else from a workbook is unreadable. */
function sourceRefusal(file: string, e: unknown, xlsx: boolean): ImportError | null {
  if (e instanceof ImportError) return e;
  if (e instanceof CsvProblem) return new ImportError({ file, line: e.line, column: null, reason: e.reason });
  if (xlsx && !(e as { code?: string })?.code) return new ImportError({ file, line: null, column: null, reason: "unreadable_xlsx" });
  return null;
}

interface Loaded {
  rowsRead: number;
  rowsLoaded: number;
  rowsInvalid: number;
}

/**
 * A record kind: every row typed in the stream (values.ts) and COPYed straight into the kind's record
 * table. The first value that matches nothing refuses the file at its line and column, and the COPY
 * is abandoned with the transaction.
 */
async function loadRecords(
  client: pg.PoolClient,
  o: { kind: RecordKindName; batchId: number; file: string; mapping: HeaderMapping; headerOf: Map<string, string>; source: RowSource; progress: (rows: number) => void },
): Promise<Loaded> {
  const kind = RECORD_KINDS[o.kind];
  const index: Record<string, number> = {};
  o.mapping.fields.forEach((f, i) => f && (index[f] = i));
  const fieldIndexes = FORMATS[o.kind].map((c) => index[c.field]).filter((i) => i !== undefined);
  const row = new RowReader(index);
  const width = o.source.header.fields.length;
  const asOf = new Date().toISOString().slice(0, 10);
  const counts: Loaded = { rowsRead: 0, rowsLoaded: 0, rowsInvalid: 0 };
  const prefix = `${o.batchId}\t`;
  async function* lines(): AsyncGenerator<Buffer> {
    for await (const batch of o.source.rows) {
      let out = "";
      for (const r of batch) {
        counts.rowsRead++;
        const fields = r.fields;
        if (o.source.fixedWidth && fields.length !== width) throw new ImportError({ file: o.file, line: r.line, column: null, reason: "bad_column_count" });
        // Blank rows (",,,") are skipped like empty XLSX rows; they are not data.
        if (fieldIndexes.every((i) => !fields[i])) continue;
        let typed: TypedRow;
        try {
          row.record = r;
          typed = kind.type(row, asOf);
        } catch (e) {
          if (!(e instanceof ValueProblem)) throw e;
          throw new ImportError({ file: o.file, line: r.line, column: o.headerOf.get(e.field) ?? e.field, reason: e.reason, value: e.value });
        }
        out += `${prefix}${r.line}\t${typed.text}\n`;
        counts.rowsLoaded++;
        if (typed.invalid) counts.rowsInvalid++;
        if (out.length > 1 << 16) {
          yield Buffer.from(out);
          out = "";
        }
      }
      if (out) yield Buffer.from(out);
      o.progress(counts.rowsRead);
    }
  }
  const copy = client.query(copyFrom(`COPY ${kind.table} (batch_id, line_no, ${kind.columns.join(", ")}) FROM STDIN`));
  await pipeline(Readable.from(lines()), copy);
  return counts;
}

/** Regions: raw rows into a staging table, then the set-based checks and upsert of ./sql (parents may be in the table). */
async function loadRegions(client: pg.PoolClient, o: { file: string; mapping: HeaderMapping; headerOf: Map<string, string>; source: RowSource; progress: (rows: number) => void }): Promise<Loaded> {
  const copyColumns = await createStaging(client, o.mapping);
  const width = o.source.header.fields.length;
  let rowsRead = 0;
  async function* lines(): AsyncGenerator<Buffer> {
    for await (const batch of o.source.rows) {
      let out = "";
      for (const r of batch) {
        rowsRead++;
        if (o.source.fixedWidth && r.fields.length !== width) throw new ImportError({ file: o.file, line: r.line, column: null, reason: "bad_column_count" });
        out += `${r.line}\t${r.fields.map((v) => (v ? copyText(v) : "\\N")).join("\t")}\n`;
      }
      if (out) yield Buffer.from(out);
      o.progress(rowsRead);
    }
  }
  await pipeline(Readable.from(lines()), client.query(copyFrom(`COPY import_staging (ln, ${copyColumns.map(quoteIdent).join(", ")}) FROM STDIN`)));
  const fieldColumns = FORMATS.regions.map((c) => quoteIdent(c.field)).join(", ");
  const blank = await client.query(`DELETE FROM import_staging WHERE num_nonnulls(${fieldColumns}) = 0`);
  if (rowsRead - (blank.rowCount ?? 0) === 0) throw new ImportError({ file: o.file, line: null, column: null, reason: "empty_file" });
  const bad = await client.query<{ line: number; field: string; reason: TImportRefusal; value: string | null }>(sql("regions-check.sql"), [0]);
  const b = bad.rows[0];
  if (b) throw new ImportError({ file: o.file, line: Number(b.line), column: o.headerOf.get(b.field) ?? b.field, reason: b.reason, value: b.value });
  const loaded = await client.query<{ loaded: number; invalid: number }>(sql("regions-insert.sql"));
  return { rowsRead, rowsLoaded: loaded.rows[0].loaded, rowsInvalid: loaded.rows[0].invalid };
}

/** Imports one file as a batch of `kind`; throws ImportError when the file is refused. */
export async function importFile(opts: ImportOptions): Promise<ImportResult> {
  const file = opts.fileName ?? path.basename(opts.filePath);
  const type = path.extname(file).toLowerCase() || path.extname(opts.filePath).toLowerCase();
  if (type !== ".csv" && type !== ".xlsx") throw new ImportError({ file, line: null, column: null, reason: "unsupported_file" });
  const scan = await scanFile(opts.filePath);
  if (scan.size === 0) throw new ImportError({ file, line: null, column: null, reason: "empty_file" });
  const encoding = type === ".xlsx" ? "xlsx" : scan.encoding;
  const progress = (bytes: number, rows: number) => opts.onProgress?.({ bytes, totalBytes: scan.size, rows });

  const client = await pool().connect();
  let broken = false;
  // A COPY cut off mid-stream (a refused row) leaves the connection in no state for reuse.
  let copying = false;
  try {
    await client.query("BEGIN");
    // Duplicate check before loading. A concurrent import of the same file waits on the unique index
    // (kind, checksum) at the INSERT below and then fails with 23505, mapped to the same refusal.
    const existing = await client.query<{ id: number }>(`SELECT id FROM import_batch WHERE kind = $1 AND checksum = $2`, [opts.kind, scan.sha256]);
    if (existing.rows[0]) throw new ImportError({ file, line: null, column: null, reason: "duplicate_file", batchId: existing.rows[0].id });
    const batch = await client.query<{ id: number }>(
      `INSERT INTO import_batch (kind, file_name, checksum, encoding, imported_by_id) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [opts.kind, file, scan.sha256, encoding, opts.userId ?? null],
    );
    const batchId = batch.rows[0].id;

    const xlsx = type === ".xlsx";
    let bytes = 0;
    let loaded: Loaded;
    try {
      const records = xlsx ? sheetRecords(opts.filePath, (b) => (bytes = b)) : csvRecords(opts.filePath, scan.encoding, (b) => (bytes = b));
      const source = await withHeader(records, !xlsx);
      if (!source) throw new ImportError({ file, line: null, column: null, reason: "empty_file" });
      const headers = source.header.fields.map((h) => h ?? "");
      const mapping = headerProblem(file, opts.kind, headers, source.header.line);
      const headerOf = headerNames(mapping, headers);
      const rowProgress = (rows: number) => progress(bytes, rows);
      copying = true;
      loaded =
        opts.kind === "regions"
          ? await loadRegions(client, { file, mapping, headerOf, source, progress: rowProgress })
          : await loadRecords(client, { kind: opts.kind, batchId, file, mapping, headerOf, source, progress: rowProgress });
      copying = false;
    } catch (e) {
      const refusal = sourceRefusal(file, e, xlsx);
      if (refusal) throw refusal;
      throw e;
    }
    const { rowsRead, rowsLoaded, rowsInvalid } = loaded;
    if (rowsLoaded === 0) throw new ImportError({ file, line: null, column: null, reason: "empty_file" });

    // comparison-rules.md §0: "replace" retires every earlier active batch of the kind.
    const retired = opts.replace
      ? await client.query<{ id: number }>(`UPDATE import_batch SET status = 'RETIRED', retired_at = now() WHERE kind = $1 AND status = 'ACTIVE' AND id <> $2 RETURNING id`, [opts.kind, batchId])
      : { rows: [] };
    await client.query(`UPDATE import_batch SET status = 'ACTIVE', rows_read = $2, rows_loaded = $3, rows_invalid = $4 WHERE id = $1`, [batchId, rowsRead, rowsLoaded, rowsInvalid]);
    // The audit row commits with the batch (lib/audit/log.ts writes through Prisma; this transaction is pg's).
    await client.query(
      `INSERT INTO audit_log (user_id, user_login, action, entity, entity_id, detail)
       SELECT $1::int, (SELECT login FROM app_user WHERE id = $1::int), 'import.run', 'import_batch', $2, $3::jsonb`,
      [opts.userId ?? null, String(batchId), JSON.stringify({ kind: opts.kind, file, checksum: scan.sha256, encoding, rowsRead: rowsRead, rowsLoaded, rowsInvalid, retired: retired.rows.map((r) => r.id) })],
    );
    await client.query("COMMIT");
    progress(scan.size, rowsLoaded);
    return { batchId, rowsRead: rowsRead, rowsLoaded, rowsInvalid, encoding };
  } catch (e) {
    try {
      await client.query("ROLLBACK");
    } catch {
      broken = true;
    }
    if ((e as { code?: string })?.code === "23505") throw new ImportError({ file, line: null, column: null, reason: "duplicate_file" });
    if (copying || !(e instanceof ImportError)) broken = true;
    throw e;
  } finally {
    // A connection whose COPY was cut off mid-stream is not reused.
    client.release(broken || undefined);
  }
}
