import { isUtf8 } from "node:buffer";
import fs from "node:fs";
import iconv from "iconv-lite";
import { type TTextEncoding, utf8IncompleteTail } from "./file-scan";

// CSV files (import-formats.md), split into records in one streaming pass over their UTF-8 bytes
// (a GB18030 file is converted chunk by chunk first). The quoting is PostgreSQL's CSV dialect, which
// the files were written for: fields separated by ",", a '"' anywhere in a field opens a quoted part
// in which "" is a quote and separators and line breaks are data. Each record carries the physical
// line it starts on (header = 1), which refusals name. Lines end in LF or CRLF; empty lines are
// skipped. Most lines hold no quote: their fields are byte ranges of the chunk, never copied into
// JavaScript strings unless a reader asks (values.ts). A line with quotes is parsed as text, joined
// with the following lines while a quoted part is open (an odd number of quotes so far: "" inside a
// quoted part counts twice), and its fields written to a buffer of their own.

/** One record: field i is bytes start[i]..end[i] of buf (UTF-8). Valid only during the callback. */
export interface CsvRecord {
  line: number;
  count: number;
  buf: Buffer;
  start: Int32Array;
  end: Int32Array;
}

/** Why a file cannot be read as CSV, and the physical line where that shows. */
export class CsvProblem extends Error {
  constructor(
    public readonly reason: "broken_quoting" | "unreadable_encoding" | "broken_text",
    public readonly line: number,
    /** The line's text up to and including the broken character (broken_text). */
    public readonly value: string | null = null,
  ) {
    super(`${reason} at line ${line}`);
  }
}

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const COMMA = 0x2c;

/** The text of field i. */
export function fieldText(r: CsvRecord, i: number): string {
  return i < r.count ? r.buf.toString("utf8", r.start[i], r.end[i]) : "";
}

/** Every field's text (headers, regions, tests). */
export function recordTexts(r: CsvRecord): string[] {
  const out: string[] = [];
  for (let i = 0; i < r.count; i++) out.push(fieldText(r, i));
  return out;
}

/** A record made of strings (a quoted line, a workbook row): the fields encoded into one buffer. */
export function recordOf(line: number, fields: string[]): CsvRecord {
  const buf = Buffer.from(fields.join(""), "utf8");
  const start = new Int32Array(fields.length);
  const end = new Int32Array(fields.length);
  let at = 0;
  for (let i = 0; i < fields.length; i++) {
    start[i] = at;
    at += Buffer.byteLength(fields[i], "utf8");
    end[i] = at;
  }
  return { line, count: fields.length, buf, start, end };
}

/** The fields of one complete record holding quotes (their count is even). */
export function parseQuoted(text: string): string[] {
  const fields: string[] = [];
  let field = "";
  let inQuote = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inQuote) {
      if (c === QUOTE) {
        field += text.slice(start, i);
        if (text.charCodeAt(i + 1) === QUOTE) {
          field += '"';
          i++;
        } else inQuote = false;
        start = i + 1;
      }
    } else if (c === QUOTE) {
      field += text.slice(start, i);
      inQuote = true;
      start = i + 1;
    } else if (c === COMMA) {
      fields.push(field + text.slice(start, i));
      field = "";
      start = i + 1;
    }
  }
  fields.push(field + text.slice(start));
  return fields;
}

function quotesIn(buf: Buffer, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (buf[i] === QUOTE) n++;
  return n;
}

/** Splits UTF-8 bytes into records; feed it chunks in order, then call end(). Records are handed over synchronously. */
export class CsvSplitter {
  /** Physical line of the next line to be read. */
  private line = 1;
  private carry: Buffer | null = null;
  /** A record whose quoted part is still open: its bytes so far, its first line and its quote count. */
  private open: { parts: Buffer[]; line: number; quotes: number } | null = null;
  private readonly record: CsvRecord = { line: 0, count: 0, buf: Buffer.alloc(0), start: new Int32Array(64), end: new Int32Array(64) };

  constructor(private readonly onRecord: (r: CsvRecord) => void) {}

  /** Physical line on which the next byte pushed lies. */
  get nextLine(): number {
    return this.line;
  }

  push(chunk: Buffer): void {
    const data = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = null;
    let pos = 0;
    let nextQuote = data.indexOf(QUOTE);
    let nl = data.indexOf(LF);
    while (nl >= 0) {
      if (nextQuote >= 0 && nextQuote < pos) nextQuote = data.indexOf(QUOTE, pos);
      this.take(data, pos, nl, nextQuote >= 0 && nextQuote < nl);
      pos = nl + 1;
      nl = data.indexOf(LF, pos);
    }
    if (pos < data.length) this.carry = Buffer.from(data.subarray(pos));
  }

  /** The line data[from, to) (its LF at `to`, if any); `quoted` = it holds a quote. */
  private take(data: Buffer, from: number, to: number, quoted: boolean): void {
    const at = this.line++;
    if (this.open) {
      this.open.parts.push(Buffer.from(data.subarray(from, Math.min(to + 1, data.length))));
      this.open.quotes += quotesIn(data, from, to);
      if (this.open.quotes % 2 === 0) {
        const { parts, line } = this.open;
        this.open = null;
        this.onRecord(recordOf(line, parseQuoted(stripCr(Buffer.concat(parts).toString("utf8").replace(/\n$/, "")))));
      }
      return;
    }
    let end = to;
    if (end > from && data[end - 1] === CR) end--;
    if (end === from) return;
    if (quoted) {
      const quotes = quotesIn(data, from, end);
      if (quotes % 2 === 0) this.onRecord(recordOf(at, parseQuoted(data.toString("utf8", from, end))));
      else this.open = { parts: [Buffer.from(data.subarray(from, Math.min(to + 1, data.length)))], line: at, quotes };
      return;
    }
    const r = this.record;
    let count = 0;
    let fieldStart = from;
    for (let i = from; i < end; i++) {
      if (data[i] === COMMA) {
        if (count === r.start.length - 1) this.grow();
        r.start[count] = fieldStart;
        r.end[count++] = i;
        fieldStart = i + 1;
      }
    }
    if (count === r.start.length) this.grow();
    r.start[count] = fieldStart;
    r.end[count++] = end;
    r.count = count;
    r.line = at;
    r.buf = data;
    this.onRecord(r);
  }

  private grow(): void {
    const r = this.record;
    const start = new Int32Array(r.start.length * 2);
    const end = new Int32Array(r.end.length * 2);
    start.set(r.start);
    end.set(r.end);
    r.start = start;
    r.end = end;
  }

  end(): void {
    if (this.carry) {
      const last = this.carry;
      this.carry = null;
      this.take(last, 0, last.length, last.indexOf(QUOTE) >= 0);
    }
    if (this.open) throw new CsvProblem("broken_quoting", this.open.line);
  }
}

function stripCr(line: string): string {
  return line.charCodeAt(line.length - 1) === CR ? line.slice(0, -1) : line;
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
  let at = bytes.indexOf(LF);
  while (at >= 0 && at < to) {
    lines++;
    at = bytes.indexOf(LF, at + 1);
  }
  return lines;
}

const REPLACEMENT = "\uFFFD";
const REPLACEMENT_UTF8 = Buffer.from(REPLACEMENT, "utf8");

/**
 * The refusal for decoded text holding U+FFFD: valid text never decodes to it (a damaged file, or one
 * converted with losses before it reached us), so it is refused at its line, never stored.
 */
function brokenText(text: string, firstLine: number): CsvProblem | null {
  const at = text.indexOf(REPLACEMENT);
  if (at < 0) return null;
  const lineStart = text.lastIndexOf("\n", at) + 1;
  let line = firstLine;
  for (let i = text.indexOf("\n"); i >= 0 && i < at; i = text.indexOf("\n", i + 1)) line++;
  return new CsvProblem("broken_text", line, text.slice(lineStart, at + 1));
}

export interface SplitOptions {
  /** Read-buffer size in bytes (tests vary it so that every kind of boundary is crossed). */
  chunkSize?: number;
}

/**
 * Reads the file into the splitter, chunk by chunk, as UTF-8 (file-scan.ts chose the encoding; a BOM
 * is dropped, even when the read buffer cuts it). Whatever the buffer size, a character is never cut:
 * a UTF-8 sequence or GB18030 sequence left open at a chunk's end waits for the next chunk. UTF-8 is
 * checked here too (a file with a BOM was taken as UTF-8 unchecked by the scan), and GB18030 bytes as
 * PostgreSQL would convert them: the first byte that breaks the encoding refuses the file at its line,
 * and so does a U+FFFD in the decoded text (valid text never decodes to it). After each chunk
 * `afterChunk` receives the bytes read so far and may hand back something to yield (the typed rows).
 */
export async function* splitFile<T>(filePath: string, encoding: TTextEncoding, splitter: CsvSplitter, afterChunk: (bytes: number) => T | null, opts: SplitOptions = {}): AsyncGenerator<T> {
  const gb = encoding === "gb18030" ? iconv.getDecoder("gb18030") : null;
  let carry: Buffer | null = null;
  let lines = 0;
  let bytes = 0;
  let started = false;
  for await (const raw of fs.createReadStream(filePath, { highWaterMark: opts.chunkSize ?? 1 << 20 })) {
    bytes += (raw as Buffer).length;
    let data: Buffer = carry ? Buffer.concat([carry, raw as Buffer]) : (raw as Buffer);
    carry = null;
    if (!started) {
      // The BOM is judged on the file's first three bytes, however the reads cut them.
      if (data.length < 3) {
        carry = data;
        continue;
      }
      started = true;
      if (!gb && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) data = data.subarray(3);
    }
    if (!gb) {
      const keep = utf8IncompleteTail(data);
      if (keep < data.length) carry = Buffer.from(data.subarray(keep));
      const sound = keep < data.length ? data.subarray(0, keep) : data;
      if (!isUtf8(sound) || sound.indexOf(REPLACEMENT_UTF8) >= 0) throw brokenText(new TextDecoder().decode(sound), splitter.nextLine)!;
      splitter.push(sound);
    } else {
      const broken = gb18030Break(data);
      if (broken >= 0) throw new CsvProblem("unreadable_encoding", lines + countLf(data, broken) + 1);
      const keep = broken === -1 ? data.length : data.length - (-2 - broken);
      carry = keep < data.length ? Buffer.from(data.subarray(keep)) : null;
      const sound = data.subarray(0, keep);
      const text = gb.write(sound);
      const problem = brokenText(text, lines + 1);
      if (problem) throw problem;
      lines += countLf(sound, sound.length);
      splitter.push(Buffer.from(text, "utf8"));
    }
    const out = afterChunk(bytes);
    if (out !== null) yield out;
  }
  if (carry && !started) {
    // A file of fewer than three bytes.
    started = true;
    if (!gb && (carry.length === 0 || !isUtf8(carry))) throw new CsvProblem("unreadable_encoding", 1);
    if (!gb) splitter.push(carry);
    else {
      if (gb18030Break(carry) !== -1) throw new CsvProblem("unreadable_encoding", 1);
      splitter.push(Buffer.from(gb.write(carry), "utf8"));
    }
    carry = null;
  }
  if (carry) throw new CsvProblem("unreadable_encoding", gb ? lines + 1 : splitter.nextLine);
  splitter.end();
  const out = afterChunk(bytes);
  if (out !== null) yield out;
}
