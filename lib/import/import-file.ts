import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { pool } from "@/lib/db/client";
import { attachPartitionTable, createPartitionTable, partitionTable, RECORD_PARTITIONS } from "@/lib/db/partitions";
import { type CsvRecord, CsvProblem, CsvSplitter, recordOf, recordTexts, splitFile } from "./csv-records";
import { scanFile } from "./file-scan";
import { FORMATS, type HeaderMapping, mapHeader, type TImportKind } from "./formats";
import { ImportError, type TImportRefusal } from "./import-error";
import { CopyWriter, RECORD_COLUMNS, RECORD_KINDS, RowReader, ValueProblem, writeRecord } from "./values";
import { columnLetters, readFirstSheet, XlsxProblem } from "./xlsx-source";

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
  /** Called once the batch row exists (its id fixes the batch's place in import order). */
  onBatch?: (batchId: number) => void;
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

function headerProblem(file: string, kind: TImportKind, headers: string[], line: number): HeaderMapping {
  const mapped = mapHeader(kind, headers);
  if ("reason" in mapped) {
    const column = mapped.reason === "duplicate_column" ? headers[mapped.index].trim() : `${mapped.column.en}/${mapped.column.zh}`;
    throw new ImportError({ file, line: mapped.reason === "duplicate_column" ? line : null, column, reason: mapped.reason });
  }
  return mapped;
}

/** Maps what the readers throw to refusals: CSV and workbook problems keep their line (and column), anything else from a workbook is unreadable. */
function sourceRefusal(file: string, e: unknown, xlsx: boolean, consumer: RowConsumer): ImportError | null {
  if (e instanceof ImportError) return e;
  if (e instanceof CsvProblem) return new ImportError({ file, line: e.line, column: null, reason: e.reason, value: e.value });
  if (e instanceof XlsxProblem) {
    const column = e.column === null ? null : consumer.columnAt(e.column);
    return new ImportError({ file, line: e.line, column, reason: e.reason, value: e.value });
  }
  // Bytes PostgreSQL refuses in text (a NUL character): the COPY names its own row, not the file's line.
  const code = (e as { code?: string })?.code;
  if (code === "22021" || code === "22P05") return new ImportError({ file, line: null, column: null, reason: "unreadable_encoding" });
  if (xlsx && !code) return new ImportError({ file, line: null, column: null, reason: "unreadable_xlsx" });
  return null;
}

/**
 * Turns the file's records into COPY rows: the first record is the header (mapped to the kind's
 * fields, or refused); every later one is checked, typed and written (values.ts). A record kind's
 * rows go straight to its record table; a regions row goes to the staging table as read.
 */
class RowConsumer {
  rowsRead = 0;
  rowsLoaded = 0;
  rowsInvalid = 0;
  readonly out = new CopyWriter();
  private mapping: HeaderMapping | null = null;
  private headerOf = new Map<string, string>();
  private headers: string[] = [];
  private row: RowReader | null = null;
  private width = 0;
  private fieldColumns: number[] = [];
  private readonly asOf = new Date().toISOString().slice(0, 10);
  private readonly batchText: string;

  constructor(private readonly o: { kind: TImportKind; batchId: number; file: string; fixedWidth: boolean }) {
    this.batchText = String(o.batchId);
  }

  record(r: CsvRecord): void {
    if (!this.mapping) return this.header(r);
    this.rowsRead++;
    if (this.o.fixedWidth && r.count !== this.width) throw new ImportError({ file: this.o.file, line: r.line, column: null, reason: "bad_column_count" });
    // Blank rows (",,,") are skipped like empty XLSX rows; they are not data.
    let blank = true;
    for (const i of this.fieldColumns) if (r.end[i] > r.start[i]) blank = false;
    if (blank) return;
    const row = this.row!;
    row.record = r;
    if (this.o.kind === "regions") {
      this.out.ascii(String(r.line));
      for (const f of FORMATS.regions) this.out.text(row.raw(f.field) || null);
      this.out.endRow();
      this.rowsLoaded++;
      return;
    }
    const kind = RECORD_KINDS[this.o.kind];
    let invalid: boolean;
    try {
      this.out.ascii(this.batchText);
      this.out.int(r.line);
      invalid = writeRecord(kind, row, this.out, this.asOf);
    } catch (e) {
      if (!(e instanceof ValueProblem)) throw e;
      throw new ImportError({ file: this.o.file, line: r.line, column: this.headerOf.get(e.field) ?? e.field, reason: e.reason, value: e.value });
    }
    this.out.endRow();
    this.rowsLoaded++;
    if (invalid) this.rowsInvalid++;
  }

  private header(r: CsvRecord): void {
    const headers = recordTexts(r);
    this.headers = headers.map((h) => h.replace(/^\uFEFF/, "").trim());
    const mapping = headerProblem(this.o.file, this.o.kind, headers, r.line);
    const index: Record<string, number> = {};
    mapping.fields.forEach((f, i) => {
      if (!f) return;
      index[f] = i;
      this.headerOf.set(f, headers[i].replace(/^\uFEFF/, "").trim());
    });
    this.fieldColumns = FORMATS[this.o.kind].map((c) => index[c.field]).filter((i) => i !== undefined);
    this.row = new RowReader(index);
    this.width = headers.length;
    this.mapping = mapping;
  }

  /** The column as the file names it. */
  columnName(field: string): string {
    return this.headerOf.get(field) ?? field;
  }

  /** The column at a 0-based position, by its header, or by its letter (a problem in the header row itself). */
  columnAt(index: number): string {
    return this.headers[index] || columnLetters(index);
  }

  get sawHeader(): boolean {
    return this.mapping !== null;
  }
}

/** The first sheet's non-empty rows as records, cells padded or cut to the first row's width. */
async function* sheetRows(filePath: string, consumer: RowConsumer, onBytes: (bytes: number) => void): AsyncGenerator<Buffer> {
  let width = -1;
  let rows = 0;
  for await (const row of readFirstSheet(filePath, onBytes)) {
    if (width < 0) width = row.cells.length;
    const cells: string[] = [];
    for (let i = 0; i < width; i++) cells.push(row.cells[i] ?? "");
    consumer.record(recordOf(row.line, cells));
    if (++rows % 4096 === 0) {
      const out = consumer.out.take();
      if (out) yield out;
    }
  }
  const out = consumer.out.take();
  if (out) yield out;
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
    opts.onBatch?.(batchId);

    const xlsx = type === ".xlsx";
    const consumer = new RowConsumer({ kind: opts.kind, batchId, file, fixedWidth: !xlsx });
    let bytes = 0;
    const rows = xlsx
      ? sheetRows(opts.filePath, consumer, (b) => {
          bytes = b;
          progress(bytes, consumer.rowsRead);
        })
      : splitFile(opts.filePath, scan.encoding, new CsvSplitter((r) => consumer.record(r)), (b) => {
          progress(b, consumer.rowsRead);
          return consumer.out.take();
        });
    // Regions are staged as read, then checked and upserted by ./sql; the record kinds go straight into
    // the batch's own table (lib/db/partitions.ts), rows written frozen since the table is new.
    const recordTable = opts.kind === "regions" ? null : RECORD_KINDS[opts.kind].table;
    let target: string;
    if (recordTable === null) {
      await client.query(`CREATE TEMP TABLE import_staging (ln BIGINT, ${FORMATS.regions.map((c) => `${pg.escapeIdentifier(c.field)} TEXT`).join(", ")}) ON COMMIT DROP`);
      target = `import_staging (ln, ${FORMATS.regions.map((c) => pg.escapeIdentifier(c.field)).join(", ")}) FROM STDIN`;
    } else {
      await createPartitionTable(client, RECORD_PARTITIONS(recordTable), batchId);
      target = `${partitionTable(RECORD_PARTITIONS(recordTable), batchId)} (batch_id, line_no, ${[...RECORD_COLUMNS, ...RECORD_KINDS[opts.kind as keyof typeof RECORD_KINDS].columns].join(", ")}) FROM STDIN WITH (FREEZE)`;
    }
    try {
      copying = true;
      await pipeline(Readable.from(rows), client.query(copyFrom(`COPY ${target}`)));
      copying = false;
    } catch (e) {
      const refusal = sourceRefusal(file, e, xlsx, consumer);
      if (refusal) throw refusal;
      throw e;
    }
    if (!consumer.sawHeader || consumer.rowsLoaded === 0) throw new ImportError({ file, line: null, column: null, reason: "empty_file" });
    const { rowsRead } = consumer;
    let { rowsLoaded, rowsInvalid } = consumer;
    if (recordTable !== null) await attachPartitionTable(client, RECORD_PARTITIONS(recordTable), batchId);
    if (opts.kind === "regions") {
      const bad = await client.query<{ line: number; field: string; reason: TImportRefusal; value: string | null }>(sql("regions-check.sql"), [0]);
      const b = bad.rows[0];
      if (b) throw new ImportError({ file, line: Number(b.line), column: consumer.columnName(b.field), reason: b.reason, value: b.value });
      const loaded = await client.query<{ loaded: number; invalid: number }>(sql("regions-insert.sql"));
      ({ loaded: rowsLoaded, invalid: rowsInvalid } = loaded.rows[0]);
    }

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

/**
 * Imports several files, `concurrency` at a time (1 by default: one import already keeps both cores
 * of a small server busy, Node typing and PostgreSQL copying), each in its own transaction.
 * Import order (comparison-rules.md §0, the batch ids) is the list's order: a file starts only once
 * the one before it has its batch row. A refused file stops the files not yet started; the result
 * lists, in order, each file's batch or refusal (null for a file not started).
 */
export async function importFiles(files: ImportOptions[], concurrency = 1): Promise<(ImportResult | ImportError | null)[]> {
  const results: (ImportResult | ImportError | null)[] = files.map(() => null);
  const running = new Set<Promise<void>>();
  let refused = false;
  for (const [i, f] of files.entries()) {
    while (running.size >= concurrency) await Promise.race(running);
    if (refused) break;
    let started!: () => void;
    const batchRow = new Promise<void>((resolve) => (started = resolve));
    const job = importFile({ ...f, onBatch: (id) => (f.onBatch?.(id), started()) })
      .then((r) => void (results[i] = r))
      .catch((e: unknown) => {
        if (!(e instanceof ImportError)) throw e;
        results[i] = e;
        refused = true;
      })
      .finally(() => {
        running.delete(job);
        started();
      });
    running.add(job);
    await batchRow;
  }
  await Promise.all(running);
  return results;
}
