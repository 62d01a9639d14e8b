import { isRealDate, isValidPlainIdBytes, toHalfWidth, validateIdNumber } from "@/lib/ids/id-number";
import { type CsvRecord, fieldText } from "./csv-records";
import { MAX_CHARS } from "./formats";
import type { TImportRefusal } from "./import-error";

// The value readers of import-formats.md ("Values", "Dates", "Coded values") and, per kind, how one
// file row becomes one row of the kind's record table. They run in the import's stream, so that
// PostgreSQL receives typed rows for a plain COPY (lib/import/import-file.ts). Each reader returns
// the normalised value, null for an empty one, or `undefined` when the text matches nothing — the
// row typer then refuses the file at that row and column.

const FULL_WIDTH = /[\u3000\uff01-\uff5e]/;

/**
 * White space trimmed from around a value: JavaScript's \s set (as for IDs, lib/ids), so that a
 * no-break space (U+00A0, common in cells pasted from web pages) or U+FEFF is trimmed like a space.
 */
function isTrimmed(c: number): boolean {
  return (
    c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}

/** Values: surrounding white space trimmed, full-width → half-width, empty → null. */
export function importText(v: string | null): string | null {
  if (v === null || v === "") return null;
  let s = FULL_WIDTH.test(v) ? toHalfWidth(v) : v;
  let a = 0;
  let b = s.length;
  while (a < b && isTrimmed(s.charCodeAt(a))) a++;
  while (b > a && isTrimmed(s.charCodeAt(b - 1))) b--;
  if (a > 0 || b < s.length) s = s.slice(a, b);
  return s === "" ? null : s;
}

function digitsOnly(s: string, from = 0, to = s.length): boolean {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/** Dates: YYYY-MM-DD, YYYY/MM/DD (one- or two-digit month and day) or YYYYMMDD, a real date → "YYYY-MM-DD". */
export const importDate: ValueReader<string | null | undefined> = datesOnBytes(remembered(readDate));

/** The number written by the ASCII digits b[from, to). */
function digitsOf(b: Uint8Array, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) v = v * 10 + b[i] - 0x30;
  return v;
}

/**
 * Dates are many distinct values (a city's birth dates), too many to remember as byte strings: the
 * plain forms — ASCII digits with one kind of separator, nothing to trim — are read from the bytes
 * (the same answer readDate gives), the text of each date kept once per date; anything else goes
 * to `other`.
 */
function datesOnBytes(other: ValueReader<string | null | undefined>, limit = 1 << 16): ValueReader<string | null | undefined> {
  const texts = new Map<number, string>();
  const reader = ((v: string | null) => other(v)) as ValueReader<string | null | undefined>;
  reader.ofBytes = (b, start, end) => {
    // the separators: one kind, '-' or '/', at most two of them, found at `first` and `second`
    let sep = 0;
    let first = -1;
    let second = -1;
    for (let i = start; i < end; i++) {
      const c = b[i];
      if (c >= 0x30 && c <= 0x39) continue;
      if ((c !== 0x2d && c !== 0x2f) || (sep !== 0 && c !== sep)) return other.ofBytes(b, start, end);
      sep = c;
      if (first < 0) first = i;
      else if (second < 0) second = i;
      else return undefined;
    }
    if (end === start) return other.ofBytes(b, start, end);
    let y: number;
    let m: number;
    let d: number;
    if (sep === 0) {
      // YYYYMMDD
      if (end - start !== 8) return undefined;
      y = digitsOf(b, start, start + 4);
      m = digitsOf(b, start + 4, start + 6);
      d = digitsOf(b, start + 6, end);
    } else {
      // YYYY-M(M)-D(D) or YYYY/M(M)/D(D)
      if (second < 0 || first - start !== 4 || second - first < 2 || second - first > 3 || end - second < 2 || end - second > 3) return undefined;
      y = digitsOf(b, start, first);
      m = digitsOf(b, first + 1, second);
      d = digitsOf(b, second + 1, end);
    }
    if (!isRealDate(y, m, d)) return undefined;
    const key = y * 10000 + m * 100 + d;
    let text = texts.get(key);
    if (text === undefined) {
      text = `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
      if (texts.size < limit) texts.set(key, text);
    }
    return text;
  };
  return reader;
}

function readDate(v: string | null): string | null | undefined {
  const t = importText(v);
  if (t === null) return null;
  let y: string;
  let m: string;
  let d: string;
  if (t.length === 8 && digitsOnly(t)) {
    y = t.slice(0, 4);
    m = t.slice(4, 6);
    d = t.slice(6, 8);
  } else {
    const parts = t.split(t.includes("/") ? "/" : "-");
    if (parts.length !== 3) return undefined;
    [y, m, d] = parts;
    if (y.length !== 4 || m.length < 1 || m.length > 2 || d.length < 1 || d.length > 2 || !digitsOnly(y) || !digitsOnly(m) || !digitsOnly(d)) return undefined;
    m = m.padStart(2, "0");
    d = d.padStart(2, "0");
  }
  return isRealDate(Number(y), Number(m), Number(d)) ? `${y}-${m}-${d}` : undefined;
}

/** A value reader that also reads a field's bytes (UTF-8) without making a string of them first. */
export interface ValueReader<T> {
  (v: string | null): T;
  ofBytes(b: Uint8Array, start: number, end: number): T;
}

/**
 * `read`, remembered per distinct byte sequence: a file repeats few distinct codes, and a
 * value seen before costs a hash of its bytes instead of a string, trimming and a lookup. The answer
 * is the one `read` gave for the same bytes (it is a pure function of the text). Up to `limit`
 * values are kept; a value whose hash is taken by another is read afresh each time.
 */
export function remembered<T>(read: (v: string | null) => T, limit = 1 << 16): ValueReader<T> {
  const seen = new Map<number, { key: Uint8Array; value: T }>();
  // Up to three bytes (most codes) are their own key, with the length: no hash to compare.
  const short = new Map<number, T>();
  const reader = ((v: string | null) => read(v)) as ValueReader<T>;
  reader.ofBytes = (b, start, end) => {
    const n = end - start;
    if (n <= 3) {
      const key = n === 0 ? 0 : n === 1 ? 0x1000000 | b[start] : n === 2 ? 0x2000000 | (b[start] << 8) | b[start + 1] : 0x3000000 | (b[start] << 16) | (b[start + 1] << 8) | b[start + 2];
      const known = short.get(key);
      if (known !== undefined || short.has(key)) return known as T;
      const value = read(Buffer.from(b.buffer, b.byteOffset + start, n).toString("utf8"));
      if (short.size + seen.size < limit) short.set(key, value);
      return value;
    }
    let h = 0x811c9dc5;
    for (let i = start; i < end; i++) h = Math.imul(h ^ b[i], 0x01000193);
    const hit = seen.get(h);
    if (hit && hit.key.length === end - start) {
      let same = true;
      for (let i = 0; i < hit.key.length; i++) {
        if (hit.key[i] !== b[start + i]) {
          same = false;
          break;
        }
      }
      if (same) return hit.value;
    }
    const value = read(Buffer.from(b.buffer, b.byteOffset + start, end - start).toString("utf8"));
    if (!hit && short.size + seen.size < limit) seen.set(h, { key: Uint8Array.prototype.slice.call(b, start, end), value });
    return value;
  };
  return reader;
}

function coded<T>(table: Record<string, T>, lower = false): ValueReader<T | null | undefined> {
  const map = new Map(Object.entries(table));
  return remembered((v) => {
    const t = importText(v);
    if (t === null) return null;
    return map.get(lower ? t.toLowerCase() : t);
  });
}

/** 性别: 男/女, 1/2, M/F → '1' male, '2' female. */
export const importGender = coded({ "1": "1", 男: "1", M: "1", m: "1", "2": "2", 女: "2", F: "2", f: "2" });

/** 险种: LD/T 92-2013 code or its Chinese name. */
export const importScheme = coded({
  "110": "110", 企业职工基本养老保险: "110",
  "120": "120", 机关事业单位养老保险: "120",
  "170": "170", 城乡居民基本养老保险: "170",
  "310": "310", 职工基本医疗保险: "310",
  "390": "390", 城乡居民基本医疗保险: "390",
  "210": "210", 失业保险: "210",
  "410": "410", 工伤保险: "410",
  "510": "510", 生育保险: "510",
});

/** 参保状态: 1 参保缴费 (active) · 2 暂停缴费 (suspended) · 3 终止参保 (terminated). */
export const importInsuredStatus = coded({ "1": 1, 参保缴费: 1, "2": 2, 暂停缴费: 2, "3": 3, 终止参保: 3 });

/** Yes/no: 是/否, 1/0; empty = no (null here; the record stores false). */
export const importYesNo = coded({ 是: true, "1": true, 否: false, "0": false });

/** 类别 of a department record → its English code. */
export const importDepartmentKind = coded(
  { deceased: "deceased", 死亡: "deceased", prisoner: "prisoner", 服刑: "prisoner", military: "military", 服役: "military", emigrated: "emigrated", 出国定居: "emigrated", student: "student", 在校学生: "student" },
  true,
);

/** 人员状态 of a population record → its English code; empty = normal (null here). */
export const importPopulationStatus = coded({ normal: "normal", 正常: "normal", deceased: "deceased", 死亡: "deceased", moved_out: "moved_out", 迁出: "moved_out" }, true);

/** A value of a row that matches nothing: the row typer's refusal. */
export class ValueProblem extends Error {
  constructor(
    public readonly field: string,
    public readonly reason: TImportRefusal,
    public readonly value: string | null,
  ) {
    super(`${field}: ${reason}`);
  }
}

/** One value for COPY's text format: \\N for null, backslash, tab and line breaks escaped. */
export function copyText(v: string | null): string {
  if (v === null) return "\\N";
  return /[\\\t\n\r]/.test(v) ? v.replace(/[\\\t\n\r]/g, (c) => (c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r")) : v;
}

/** The row being typed, read by field name ("" when empty or when the file lacks the column). One reader serves a whole file. */
export class RowReader {
  record!: CsvRecord;

  constructor(private readonly index: Record<string, number>) {}

  /** The field's column, or -1. */
  column(field: string): number {
    return this.index[field] ?? -1;
  }

  raw(field: string): string {
    const i = this.index[field];
    return i === undefined ? "" : fieldText(this.record, i);
  }

  text(field: string): string | null {
    return importText(this.raw(field));
  }

  /** Reads a coded field (or a date); null when empty, undefined when it matches nothing. */
  coded<T>(field: string, reader: ValueReader<T | null | undefined>): T | null | undefined {
    const i = this.index[field];
    const r = this.record;
    if (i === undefined || i >= r.count) return reader("");
    return reader.ofBytes(r.buf, r.start[i], r.end[i]);
  }
}

/**
 * Rows for COPY's text format, written straight into a buffer. A text field is copied byte for byte
 * when it needs nothing but trimming spaces (almost always); a field with a tab, backslash, line
 * break or a character from U+0080–U+00BF, U+1000–U+2FFF (other white space), U+3000–U+3FFF or
 * U+F000–U+FFFF (full-width forms, ideographic space) goes through importText and copyText.
 */
export class CopyWriter {
  private buf = Buffer.allocUnsafe(1 << 20);
  private pos = 0;
  private readonly done: Buffer[] = [];

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.done.push(this.buf.subarray(0, this.pos));
    this.buf = Buffer.allocUnsafe(Math.max(1 << 20, n));
    this.pos = 0;
  }

  /** A value known to be ASCII without tab, backslash or line break (codes, dates, numbers). */
  ascii(v: string | null): void {
    if (v === null) return this.nul();
    this.room(v.length + 1);
    // Short values byte by byte: cheaper than a call into Buffer.write.
    const buf = this.buf;
    let pos = this.pos;
    for (let i = 0; i < v.length; i++) buf[pos++] = v.charCodeAt(i);
    buf[pos++] = 0x09;
    this.pos = pos;
  }

  /** A whole number. */
  int(n: number): void {
    this.ascii(String(n));
  }

  /** Bytes b[start, end) known to be ASCII without tab, backslash or line break; `upperLastX` writes a final x as X. */
  bytes(b: Uint8Array, start: number, end: number, upperLastX = false): void {
    this.room(end - start + 1);
    const buf = this.buf;
    let pos = this.pos;
    for (let k = start; k < end; k++) buf[pos++] = b[k];
    if (upperLastX && buf[pos - 1] === 120) buf[pos - 1] = 88;
    buf[pos++] = 0x09;
    this.pos = pos;
  }

  /** Any text value. */
  text(v: string | null): void {
    if (v === null) return this.nul();
    const t = copyText(v);
    const n = Buffer.byteLength(t, "utf8");
    this.room(n + 1);
    this.pos += this.buf.write(t, this.pos, "utf8");
    this.buf[this.pos++] = 0x09;
  }

  nul(): void {
    this.room(3);
    this.buf[this.pos++] = 0x5c;
    this.buf[this.pos++] = 0x4e;
    this.buf[this.pos++] = 0x09;
  }

  /** A text field of the row (import-formats.md "Values"). */
  field(row: RowReader, field: string): void {
    const r = row.record;
    const i = row.column(field);
    if (i < 0 || i >= r.count) return this.nul();
    const b = r.buf;
    let s = r.start[i];
    let e = r.end[i];
    while (s < e && b[s] === 0x20) s++;
    while (e > s && b[e - 1] === 0x20) e--;
    if (s === e) return this.nul();
    const max = MAX_CHARS[field];
    if (max !== undefined && e - s > max) refuseTooLong(field, b, s, e, max);
    for (let k = s; k < e; k++) {
      const c = b[k];
      if (c === 0x5c || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0b || c === 0x0c || c === 0xc2 || c === 0xe1 || c === 0xe2 || c === 0xe3 || c === 0xef) {
        return this.text(importText(b.toString("utf8", s, e)));
      }
    }
    this.room(e - s + 1);
    const buf = this.buf;
    let pos = this.pos;
    if (e - s > 48) pos += b.copy(buf, pos, s, e);
    else for (let k = s; k < e; k++) buf[pos++] = b[k];
    buf[pos++] = 0x09;
    this.pos = pos;
  }

  /** Ends the row (the last value's tab becomes the line feed). */
  endRow(): void {
    this.buf[this.pos - 1] = 0x0a;
  }

  /** The rows written since the last call, or null. */
  take(): Buffer | null {
    if (this.pos > 0) {
      this.done.push(Buffer.from(this.buf.subarray(0, this.pos)));
      this.pos = 0;
    }
    if (this.done.length === 0) return null;
    const out = this.done.length === 1 ? this.done[0] : Buffer.concat(this.done);
    this.done.length = 0;
    return out;
  }
}

/** The start of an over-long value, for the refusal (never the whole 20 MB). */
function preview(text: string): string {
  return text.length > 20 ? `${text.slice(0, 20)}…` : text;
}

/** Refuses a text field longer than its limit (formats.ts MAX_CHARS), counted in UTF-8 characters. */
function refuseTooLong(field: string, b: Uint8Array, s: number, e: number, max: number): void {
  let chars = 0;
  for (let k = s; k < e; k++) if ((b[k] & 0xc0) !== 0x80) chars++;
  if (chars > max) throw new ValueProblem(field, "too_long", preview(Buffer.from(b.buffer, b.byteOffset + s, Math.min(e - s, 80)).toString("utf8")));
}

function required<T>(field: string, row: RowReader, value: T | null | undefined): T {
  if (value === null) throw new ValueProblem(field, "empty_value", row.raw(field) || null);
  if (value === undefined) throw new ValueProblem(field, "bad_value", row.raw(field));
  return value;
}

function optional<T>(field: string, row: RowReader, value: T | null | undefined, reason: TImportRefusal = "bad_value"): T | null {
  if (value === undefined) throw new ValueProblem(field, reason, row.raw(field));
  return value;
}

export interface RecordKind {
  table: string;
  /** The kind's own columns, in COPY order (after batch_id, line_no and RECORD_COLUMNS). */
  columns: string[];
  /** Types the kind's own values of the reader's row and writes them; throws ValueProblem for the first that matches nothing. */
  write: (row: RowReader, out: CopyWriter) => void;
}

/** The columns every record table starts with: the ID (raw, normalised, invalid reason; comparison-rules.md §1) and the name. */
export const RECORD_COLUMNS = ["id_raw", "id_number", "id_invalid", "name"];

/**
 * Writes one record row after the batch id and line number the caller wrote: the ID and name
 * columns, then the kind's own. Returns whether the row's ID is invalid. A refusal thrown half way
 * abandons the whole COPY, so a row cut short is never sent.
 */
export function writeRecord(kind: RecordKind, row: RowReader, out: CopyWriter, asOf: string): boolean {
  let invalid = false;
  const r = row.record;
  const col = row.column("id_number");
  if (col >= 0 && col < r.count && isValidPlainIdBytes(r.buf, r.start[col], r.end[col], ymdBytes(asOf))) {
    // The usual ID (18 plain bytes, valid) is checked and copied as bytes: raw and normalised are the same.
    out.bytes(r.buf, r.start[col], r.end[col]);
    out.bytes(r.buf, r.start[col], r.end[col], true);
    out.nul();
  } else {
    const raw = row.raw("id_number");
    if (raw.length > MAX_CHARS.id_number) throw new ValueProblem("id_number", "too_long", preview(raw));
    const id = validateIdNumber(raw, asOf);
    out.text(raw === "" ? null : raw);
    if (id.ok) {
      out.ascii(id.id);
      out.nul();
    } else {
      out.text(id.normalised);
      out.ascii(id.reason);
      invalid = true;
    }
  }
  out.field(row, "name");
  kind.write(row, out);
  return invalid;
}

let asOfText = "";
let asOfBytes = new Uint8Array(8);

/** "YYYY-MM-DD" as the 8 ASCII digits YYYYMMDD (the last date asked is kept). */
function ymdBytes(asOf: string): Uint8Array {
  if (asOf !== asOfText) {
    asOfBytes = Buffer.from(asOf.replaceAll("-", ""), "latin1");
    asOfText = asOf;
  }
  return asOfBytes;
}

export type RecordKindName = "population" | "enrolment" | "department" | "elsewhere";

const POPULATION_TEXTS = ["ethnicity", "hukou_region_code", "hukou_address", "residence_region_code", "residence_address", "phone"];

/** import-formats.md, per kind: the record table a row goes to and how its own values are read. */
export const RECORD_KINDS: Record<RecordKindName, RecordKind> = {
  population: {
    table: "population_record",
    columns: ["gender", "birth_date", "ethnicity", "hukou_region_code", "hukou_address", "residence_region_code", "residence_address", "phone", "status"],
    write(row, out) {
      const gender = optional("gender", row, row.coded("gender", importGender));
      const birth = optional("birth_date", row, row.coded("birth_date", importDate), "bad_date");
      const status = optional("status", row, row.coded("status", importPopulationStatus)) ?? "normal";
      out.ascii(gender);
      out.ascii(birth);
      for (const f of POPULATION_TEXTS) out.field(row, f);
      out.ascii(status);
    },
  },
  enrolment: {
    table: "enrolment_record",
    columns: ["scheme", "status", "region_code", "employer", "start_date", "benefit"],
    write(row, out) {
      const scheme = required("scheme", row, row.coded("scheme", importScheme));
      const status = required("status", row, row.coded("status", importInsuredStatus));
      const start = optional("start_date", row, row.coded("start_date", importDate), "bad_date");
      // An empty region code stays empty ("empty = the importing city"); empty benefit = no.
      const benefit = optional("benefit", row, row.coded("benefit", importYesNo)) ?? false;
      out.ascii(scheme);
      out.ascii(String(status));
      out.field(row, "region_code");
      out.field(row, "employer");
      out.ascii(start);
      out.ascii(benefit ? "t" : "f");
    },
  },
  department: {
    table: "department_record",
    columns: ["kind", "date", "source"],
    write(row, out) {
      const kind = required("kind", row, row.coded("kind", importDepartmentKind));
      const date = optional("date", row, row.coded("date", importDate), "bad_date");
      out.ascii(kind);
      out.ascii(date);
      out.field(row, "source");
    },
  },
  elsewhere: {
    table: "elsewhere_record",
    columns: ["scheme", "region_code", "status"],
    write(row, out) {
      const scheme = required("scheme", row, row.coded("scheme", importScheme));
      required("region_code", row, row.text("region_code"));
      const status = required("status", row, row.coded("status", importInsuredStatus));
      out.ascii(scheme);
      out.field(row, "region_code");
      out.ascii(String(status));
    },
  },
};
