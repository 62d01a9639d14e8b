import fs from "node:fs";
import iconv from "iconv-lite";
import type { TTextEncoding } from "./file-scan";

// CSV files (import-formats.md), decoded and split into records in one streaming pass. The quoting is
// PostgreSQL's CSV dialect, which the files were written for: fields separated by ",", a '"' anywhere
// in a field opens a quoted part in which "" is a quote and separators and line breaks are data.
// Each record carries the physical line it starts on (header = 1), which refusals name. Lines end in
// LF or CRLF; empty lines are skipped. Most lines hold no quote at all and are split natively; a line
// with quotes goes through the quote-aware parser, joined with the following lines while a quoted
// part is open (an odd number of quotes so far: "" inside a quoted part counts twice).

export interface CsvRecord {
  line: number;
  /** The fields' text; an empty field is "" whether it was quoted or not. */
  fields: string[];
  /** No field holds a tab, backslash or line break (COPY's text format needs no escaping). */
  plain: boolean;
  /** No field holds a full-width character or ideographic space (import-formats.md "Values"). */
  narrow: boolean;
}

/** Why a file cannot be read as CSV, and the physical line where that shows. */
export class CsvProblem extends Error {
  constructor(
    public readonly reason: "broken_quoting" | "unreadable_encoding",
    public readonly line: number,
  ) {
    super(`${reason} at line ${line}`);
  }
}

const NEEDS_ESCAPE = /[\t\\]/;
const WIDE = /[\u3000\uff01-\uff5e]/;

function quoteCount(line: string): number {
  let n = 0;
  let at = line.indexOf('"');
  while (at >= 0) {
    n++;
    at = line.indexOf('"', at + 1);
  }
  return n;
}

/** The fields of one complete record holding quotes (their count is even). */
function parseQuoted(text: string): string[] {
  const fields: string[] = [];
  let field = "";
  let inQuote = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inQuote) {
      if (c === 0x22) {
        field += text.slice(start, i);
        if (text.charCodeAt(i + 1) === 0x22) {
          field += '"';
          i++;
        } else inQuote = false;
        start = i + 1;
      }
    } else if (c === 0x22) {
      field += text.slice(start, i);
      inQuote = true;
      start = i + 1;
    } else if (c === 0x2c) {
      fields.push(field + text.slice(start, i));
      field = "";
      start = i + 1;
    }
  }
  fields.push(field + text.slice(start));
  return fields;
}

/** Splits decoded text into records; feed it chunks in order, then call end(). */
export class CsvSplitter {
  /** Physical line of the next line to be read. */
  private line = 1;
  private carry = "";
  /** A record whose quoted part is still open: its text so far, its first line and its quote count. */
  private open: { text: string; line: number; quotes: number } | null = null;

  constructor(private readonly onRecord: (r: CsvRecord) => void) {}

  push(text: string): void {
    const lines = (this.carry + text).split("\n");
    this.carry = lines.pop()!;
    for (const line of lines) this.take(line);
  }

  private take(raw: string): void {
    const at = this.line++;
    if (this.open) {
      this.open.text += `\n${raw}`;
      this.open.quotes += quoteCount(raw);
      if (this.open.quotes % 2 === 0) {
        const { text, line } = this.open;
        this.open = null;
        this.emit(parseQuoted(stripCr(text)), line, text);
      }
      return;
    }
    const line = stripCr(raw);
    if (line === "") return;
    if (line.indexOf('"') < 0) {
      this.onRecord({ line: at, fields: line.split(","), plain: !NEEDS_ESCAPE.test(line), narrow: !WIDE.test(line) });
      return;
    }
    const quotes = quoteCount(line);
    if (quotes % 2 === 0) this.emit(parseQuoted(line), at, line);
    else this.open = { text: raw, line: at, quotes };
  }

  private emit(fields: string[], line: number, text: string): void {
    this.onRecord({ line, fields, plain: !NEEDS_ESCAPE.test(text) && !/[\r\n]/.test(fields.join("")), narrow: !WIDE.test(text) });
  }

  end(): void {
    if (this.carry !== "") {
      const last = this.carry;
      this.carry = "";
      this.take(last);
    }
    if (this.open) throw new CsvProblem("broken_quoting", this.open.line);
  }
}

function stripCr(line: string): string {
  return line.charCodeAt(line.length - 1) === 0x0d ? line.slice(0, -1) : line;
}

/**
 * GB18030 byte structure (what PostgreSQL's conversion accepts): ASCII; a lead byte 0x81–0xFE followed
 * by 0x40–0x7E or 0x80–0xFE; or four bytes lead, 0x30–0x39, lead, 0x30–0x39. Returns the offset of the
 * first byte that breaks it, -1 when the chunk is sound, or -2 - k when its last k bytes start a
 * sequence the next chunk completes.
 */
export function gb18030Break(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    if (b === 0x80 || b === 0xff) return i;
    if (i + 1 >= n) return -2 - (n - i);
    const b2 = bytes[i + 1];
    if ((b2 >= 0x40 && b2 <= 0x7e) || (b2 >= 0x80 && b2 <= 0xfe)) {
      i += 2;
      continue;
    }
    if (b2 < 0x30 || b2 > 0x39) return i;
    if (i + 3 >= n) return -2 - (n - i);
    const b3 = bytes[i + 2];
    const b4 = bytes[i + 3];
    if (b3 < 0x81 || b3 > 0xfe || b4 < 0x30 || b4 > 0x39) return i;
    i += 4;
  }
  return -1;
}

function countLf(bytes: Uint8Array, to: number): number {
  let lines = 0;
  let at = bytes.indexOf(0x0a);
  while (at >= 0 && at < to) {
    lines++;
    at = bytes.indexOf(0x0a, at + 1);
  }
  return lines;
}

/**
 * The file's records in batches (one per chunk read), decoded from its encoding (file-scan.ts). A UTF-8
 * file was checked whole by the scan; GB18030 bytes are checked here, and the first byte PostgreSQL
 * would not convert refuses the file at its line. `onBytes` receives the bytes read so far.
 */
export async function* csvRecords(filePath: string, encoding: TTextEncoding, onBytes: (bytes: number) => void): AsyncGenerator<CsvRecord[]> {
  let batch: CsvRecord[] = [];
  const splitter = new CsvSplitter((r) => batch.push(r));
  const utf8 = encoding === "gb18030" ? null : new TextDecoder("utf-8", { ignoreBOM: false });
  const gb = encoding === "gb18030" ? iconv.getDecoder("gb18030") : null;
  let carry: Buffer | null = null;
  let lines = 0;
  let bytes = 0;
  for await (const raw of fs.createReadStream(filePath, { highWaterMark: 1 << 20 })) {
    const chunk = raw as Buffer;
    bytes += chunk.length;
    if (utf8) splitter.push(utf8.decode(chunk, { stream: true }));
    else {
      const data: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
      const broken = gb18030Break(data);
      if (broken >= 0) throw new CsvProblem("unreadable_encoding", lines + countLf(data, broken) + 1);
      const keep = broken === -1 ? data.length : data.length - (-2 - broken);
      carry = keep < data.length ? Buffer.from(data.subarray(keep)) : null;
      const sound = data.subarray(0, keep);
      lines += countLf(sound, sound.length);
      splitter.push(gb!.write(sound));
    }
    onBytes(bytes);
    if (batch.length > 0) {
      yield batch;
      batch = [];
    }
  }
  if (carry) throw new CsvProblem("unreadable_encoding", lines + 1);
  if (utf8) splitter.push(utf8.decode());
  splitter.end();
  if (batch.length > 0) yield batch;
}
