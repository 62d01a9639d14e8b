import { isRealDate, toHalfWidth, validateIdNumber } from "@/lib/ids/id-number";
import type { CsvRecord } from "./csv-records";
import type { TImportRefusal } from "./import-error";

// The value readers of import-formats.md ("Values", "Dates", "Coded values") and, per kind, how one
// file row becomes one row of the kind's record table. They run in the import's stream, so that
// PostgreSQL receives typed rows for a plain COPY (lib/import/import-file.ts). Each reader returns
// the normalised value, null for an empty one, or `undefined` when the text matches nothing — the
// row typer then refuses the file at that row and column.

const FULL_WIDTH = /[\u3000\uff01-\uff5e]/;

function isTrimmed(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
}

/**
 * Values: surrounding spaces (space, tab, CR, LF) trimmed, full-width → half-width, empty → null.
 * `narrow` = the caller knows the text holds no full-width character.
 */
export function importText(v: string | null, narrow = false): string | null {
  if (v === null || v === "") return null;
  let s = !narrow && FULL_WIDTH.test(v) ? toHalfWidth(v) : v;
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
export function importDate(v: string | null, narrow = false): string | null | undefined {
  const t = importText(v, narrow);
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

function coded<T>(table: Record<string, T>, lower = false): (v: string | null, narrow?: boolean) => T | null | undefined {
  const map = new Map(Object.entries(table));
  return (v, narrow = false) => {
    const t = importText(v, narrow);
    if (t === null) return null;
    return map.get(lower ? t.toLowerCase() : t);
  };
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

/** One value for COPY's text format: \N for null, backslash, tab and line breaks escaped. */
export function copyText(v: string | null): string {
  if (v === null) return "\\N";
  return /[\\\t\n\r]/.test(v) ? v.replace(/[\\\t\n\r]/g, (c) => (c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r")) : v;
}

/** A typed row: its COPY text line (after batch id and line number), and whether its ID is invalid. */
export interface TypedRow {
  text: string;
  invalid: boolean;
}

/**
 * The row being typed, read by field name: `raw` as the file has it ("" when empty or when the file
 * lacks the column), `text` through importText, `copy` as COPY text. One reader serves a whole file.
 */
export class RowReader {
  record: CsvRecord = { line: 0, fields: [], plain: true, narrow: true };

  constructor(private readonly index: Record<string, number>) {}

  raw(field: string): string {
    const i = this.index[field];
    return i === undefined ? "" : (this.record.fields[i] ?? "");
  }

  text(field: string): string | null {
    return importText(this.raw(field), this.record.narrow);
  }

  /** A text field as a COPY value. */
  copy(field: string): string {
    const t = this.text(field);
    return t === null ? "\\N" : this.record.plain ? t : copyText(t);
  }

  /** Reads a coded field; null when empty, undefined when it matches nothing. */
  coded<T>(field: string, reader: (v: string | null, narrow?: boolean) => T | null | undefined): T | null | undefined {
    return reader(this.raw(field), this.record.narrow);
  }
}

/** The ID columns every record kind stores: raw text, normalised, invalid reason (comparison-rules.md §1). */
function idColumns(row: RowReader, asOf: string): { text: string; invalid: boolean } {
  const raw = row.raw("id_number");
  const check = validateIdNumber(raw, asOf);
  const rawText = raw === "" ? "\\N" : row.record.plain ? raw : copyText(raw);
  return check.ok ? { text: `${rawText}\t${check.id}\t\\N`, invalid: false } : { text: `${rawText}\t${copyText(check.normalised)}\t${check.reason}`, invalid: true };
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
  /** The record table's columns, in COPY order (after batch_id and line_no). */
  columns: string[];
  /** Types the reader's row; throws ValueProblem for the first value that matches nothing (in column order). */
  type: (row: RowReader, asOf: string) => TypedRow;
}

export type RecordKindName = "population" | "enrolment" | "department" | "elsewhere";

/** import-formats.md, per kind: the record table a row goes to and how its values are read. */
export const RECORD_KINDS: Record<RecordKindName, RecordKind> = {
  population: {
    table: "population_record",
    columns: ["id_raw", "id_number", "id_invalid", "name", "gender", "birth_date", "ethnicity", "hukou_region_code", "hukou_address", "residence_region_code", "residence_address", "phone", "status"],
    type(row, asOf) {
      const id = idColumns(row, asOf);
      const gender = optional("gender", row, row.coded("gender", importGender));
      const birth = optional("birth_date", row, row.coded("birth_date", importDate), "bad_date");
      const status = optional("status", row, row.coded("status", importPopulationStatus)) ?? "normal";
      const text = `${id.text}\t${row.copy("name")}\t${gender ?? "\\N"}\t${birth ?? "\\N"}\t${row.copy("ethnicity")}\t${row.copy("hukou_region_code")}\t${row.copy("hukou_address")}\t${row.copy("residence_region_code")}\t${row.copy("residence_address")}\t${row.copy("phone")}\t${status}`;
      return { text, invalid: id.invalid };
    },
  },
  enrolment: {
    table: "enrolment_record",
    columns: ["id_raw", "id_number", "id_invalid", "name", "scheme", "status", "region_code", "employer", "start_date", "benefit"],
    type(row, asOf) {
      const id = idColumns(row, asOf);
      const scheme = required("scheme", row, row.coded("scheme", importScheme));
      const status = required("status", row, row.coded("status", importInsuredStatus));
      const start = optional("start_date", row, row.coded("start_date", importDate), "bad_date");
      // An empty region code stays empty ("empty = the importing city"); empty benefit = no.
      const benefit = optional("benefit", row, row.coded("benefit", importYesNo)) ?? false;
      const text = `${id.text}\t${row.copy("name")}\t${scheme}\t${status}\t${row.copy("region_code")}\t${row.copy("employer")}\t${start ?? "\\N"}\t${benefit ? "t" : "f"}`;
      return { text, invalid: id.invalid };
    },
  },
  department: {
    table: "department_record",
    columns: ["id_raw", "id_number", "id_invalid", "name", "kind", "date", "source"],
    type(row, asOf) {
      const id = idColumns(row, asOf);
      const kind = required("kind", row, row.coded("kind", importDepartmentKind));
      const date = optional("date", row, row.coded("date", importDate), "bad_date");
      return { text: `${id.text}\t${row.copy("name")}\t${kind}\t${date ?? "\\N"}\t${row.copy("source")}`, invalid: id.invalid };
    },
  },
  elsewhere: {
    table: "elsewhere_record",
    columns: ["id_raw", "id_number", "id_invalid", "name", "scheme", "region_code", "status"],
    type(row, asOf) {
      const id = idColumns(row, asOf);
      const scheme = required("scheme", row, row.coded("scheme", importScheme));
      required("region_code", row, row.text("region_code"));
      const status = required("status", row, row.coded("status", importInsuredStatus));
      return { text: `${id.text}\t${row.copy("name")}\t${scheme}\t${row.copy("region_code")}\t${status}`, invalid: id.invalid };
    },
  },
};
