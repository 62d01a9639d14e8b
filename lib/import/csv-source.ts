import fs from "node:fs";
import { Transform, type TransformCallback } from "node:stream";
import { parse } from "csv-parse/sync";
import iconv from "iconv-lite";
import type { TTextEncoding } from "./file-scan";

// CSV files go to PostgreSQL byte for byte: COPY … (FORMAT csv, ENCODING …) parses the quoting and
// converts GB18030 to UTF-8 far faster than any JavaScript parser, and refuses invalid bytes, so no
// mojibake is ever stored. Node only reads the header row (to map the columns) and counts bytes
// and lines on the way for the progress bar.

/** PostgreSQL's name for the file's encoding in COPY … ENCODING. */
export function copyEncoding(encoding: TTextEncoding): "UTF8" | "GB18030" {
  return encoding === "gb18030" ? "GB18030" : "UTF8";
}

/**
 * The header row's cells (BOM stripped), or null when the file has no header. A header whose quoting
 * is broken throws; the caller reports it at line 1.
 */
export async function readCsvHeader(filePath: string, encoding: TTextEncoding): Promise<string[] | null> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const raw of fs.createReadStream(filePath, { highWaterMark: 64 * 1024 })) {
    const chunk = raw as Buffer;
    const lf = chunk.indexOf(0x0a);
    chunks.push(lf >= 0 ? chunk.subarray(0, lf) : chunk);
    length += chunk.length;
    if (lf >= 0 || length > 4 * 1024 * 1024) break;
  }
  const bytes = Buffer.concat(chunks);
  const text = (encoding === "gb18030" ? iconv.decode(bytes, "gb18030") : bytes.toString("utf8")).replace(/^\uFEFF/, "").replace(/\r$/, "");
  if (text.trim() === "") return null;
  const rows = parse(text, { relax_column_count: true }) as string[][];
  return rows[0] ?? null;
}

/**
 * Where each CSV record starts, in physical lines. COPY numbers its own errors by physical line, but the
 * staging table's identity counts records, and a quoted field holding line breaks makes the two differ.
 * This scanner follows the quoting ('"' and line feed are single bytes in UTF-8 and GB18030 alike, and
 * never part of a multi-byte character) and records the points where the difference changes, so that
 * the staged rows can be renumbered to their physical lines.
 */
export class CsvLines {
  /** Physical line the scanner is on (1 = header). */
  line = 1;
  /** Records completed so far (the header is record 0). */
  records = 0;
  inQuote = false;
  /** Line where the record holding the currently open quote started. */
  quoteStartLine = 0;
  private recordStartLine = 1;
  /** [first data record, extra lines from it on]: the data record k starts at line k + 1 + extra. */
  readonly shifts: [number, number][] = [];

  scan(chunk: Buffer): void {
    let pos = 0;
    let nextQuote = chunk.indexOf(0x22);
    let nextLf = chunk.indexOf(0x0a);
    while (pos < chunk.length) {
      if (nextQuote >= 0 && nextQuote < pos) nextQuote = chunk.indexOf(0x22, pos);
      if (nextLf >= 0 && nextLf < pos) nextLf = chunk.indexOf(0x0a, pos);
      if (this.inQuote) {
        // Inside quotes a line feed is data; an escaped quote ("") leaves and re-enters the quote.
        const end = nextQuote >= 0 ? nextQuote : chunk.length;
        while (nextLf >= 0 && nextLf < end) {
          this.line++;
          nextLf = chunk.indexOf(0x0a, nextLf + 1);
        }
        if (nextQuote < 0) return;
        this.inQuote = false;
        pos = nextQuote + 1;
      } else if (nextLf >= 0 && (nextQuote < 0 || nextLf < nextQuote)) {
        this.line++;
        this.records++;
        const extra = this.line - (this.records + 1);
        const last = this.shifts.at(-1)?.[1] ?? 0;
        if (extra !== last) this.shifts.push([this.records, extra]);
        this.recordStartLine = this.line;
        pos = nextLf + 1;
      } else if (nextQuote >= 0) {
        this.inQuote = true;
        this.quoteStartLine = this.recordStartLine;
        pos = nextQuote + 1;
      } else return;
    }
  }
}

/**
 * Passes the file's bytes to COPY, reporting bytes and lines for progress and following the records
 * (CsvLines). Blank lines at the very end of the file are dropped (editors leave them; COPY would read
 * them as short rows).
 */
export class CsvProgress extends Transform {
  private held: Buffer | null = null;
  readonly lines = new CsvLines();

  constructor(private readonly onChunk: (bytes: number, lines: number) => void) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.lines.scan(chunk);
    this.onChunk(chunk.length, this.lines.line);
    const data = this.held ? Buffer.concat([this.held, chunk]) : chunk;
    let end = data.length;
    while (end > 0 && (data[end - 1] === 0x0a || data[end - 1] === 0x0d)) end--;
    // Hold back the trailing line breaks until more data shows they are not the file's end.
    this.held = end < data.length ? Buffer.from(data.subarray(end)) : null;
    done(null, end > 0 ? data.subarray(0, end) : undefined);
  }

  override _flush(done: TransformCallback): void {
    // One line break ends the last row; further ones were blank lines. It keeps the file's own style
    // (CRLF from Excel and Windows systems, or LF): COPY refuses a file that mixes the two.
    if (!this.held) return done(null, undefined);
    const crlf = this.held[0] === 0x0d && this.held[1] === 0x0a;
    done(null, Buffer.from(crlf ? "\r\n" : this.held[0] === 0x0d ? "\r" : "\n"));
  }
}
