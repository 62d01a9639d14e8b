// The import file formats (import-formats.md): for each kind, its columns with their English and
// Chinese headers and whether the column must be present. The staging table of an import names its
// columns by `field`, so the SQL in ./sql reads the same names whatever headers the file used.

export const IMPORT_KINDS = ["regions", "population", "enrolment", "department", "elsewhere"] as const;
export type TImportKind = (typeof IMPORT_KINDS)[number];

export interface ColumnSpec {
  field: string;
  /** English header. */
  en: string;
  /** Chinese header. */
  zh: string;
  /** The column must be present in the header (a value may still be empty unless the SQL refuses it). */
  required: boolean;
}

const col = (field: string, zh: string, required = false): ColumnSpec => ({ field, en: field, zh, required });

export const FORMATS: Record<TImportKind, ColumnSpec[]> = {
  // 行政区划
  regions: [col("code", "区划代码", true), col("name", "名称", true), col("parent_code", "上级区划代码", true)],
  // 公安户籍/常住人口
  population: [
    col("id_number", "公民身份号码", true),
    col("name", "姓名", true),
    col("gender", "性别"),
    col("birth_date", "出生日期"),
    col("ethnicity", "民族"),
    col("hukou_region_code", "户籍地区划代码", true),
    col("hukou_address", "户籍地址"),
    col("residence_region_code", "常住地区划代码"),
    col("residence_address", "常住地址"),
    col("phone", "联系电话"),
    col("status", "人员状态"),
  ],
  // 参保数据
  enrolment: [
    col("id_number", "公民身份号码", true),
    col("name", "姓名", true),
    col("scheme", "险种", true),
    col("status", "参保状态", true),
    col("region_code", "参保地区划代码"),
    col("employer", "单位名称"),
    col("start_date", "参保日期"),
    col("benefit", "待遇享受"),
  ],
  // 部门数据
  department: [
    col("id_number", "公民身份号码", true),
    col("name", "姓名", true),
    col("kind", "类别", true),
    col("date", "日期"),
    col("source", "来源部门"),
  ],
  // 异地参保
  elsewhere: [
    col("id_number", "公民身份号码", true),
    col("name", "姓名", true),
    col("scheme", "险种", true),
    col("region_code", "参保地区划代码", true),
    col("status", "参保状态", true),
  ],
};

/**
 * The longest value each text column accepts, in characters (issue 11 §7: a 20 MB name was once
 * imported). A longer value refuses the file with its line and column, like any value that matches
 * nothing. Chosen from the registration form and GB/T standards: a name (姓名) ≤ 50 (long minority
 * names transliterated), an address ≤ 200 (the form's address line), an employer ≤ 100 (the
 * form's unit name), an ethnicity ≤ 20, a phone ≤ 30 (several numbers with separators), a
 * source department ≤ 50, region codes ≤ 12 (the 12-digit statistical code), and a raw ID
 * number ≤ 40 (a longer one is no typo of an 18-character number). Codes and dates need no entry:
 * they match a table or a date pattern or are refused.
 */
export const MAX_CHARS: Readonly<Record<string, number>> = {
  id_number: 40,
  name: 50,
  ethnicity: 20,
  hukou_address: 200,
  residence_address: 200,
  phone: 30,
  employer: 100,
  source: 50,
  region_code: 12,
  hukou_region_code: 12,
  residence_region_code: 12,
};

export function isImportKind(value: string): value is TImportKind {
  return (IMPORT_KINDS as readonly string[]).includes(value);
}

/** Header matching ignores case, surrounding (also full-width) spaces and a BOM. */
export function headerKey(header: string): string {
  return header.replace(/^\uFEFF/, "").replace(/\u3000/g, " ").trim().toLowerCase();
}

export interface HeaderMapping {
  /** For each file column, the field it feeds, or null when the column is not part of the format. */
  fields: (string | null)[];
  /** Fields of the format that the file does not have (all optional: required ones refuse the file). */
  absent: string[];
}

export type HeaderProblem = { reason: "missing_column"; column: ColumnSpec } | { reason: "duplicate_column"; column: ColumnSpec; index: number };

/** Maps a header row to the kind's fields, or names the first problem. */
export function mapHeader(kind: TImportKind, headers: string[]): HeaderMapping | HeaderProblem {
  const specs = FORMATS[kind];
  const byKey = new Map<string, ColumnSpec>();
  for (const s of specs) {
    byKey.set(headerKey(s.en), s);
    byKey.set(headerKey(s.zh), s);
  }
  const seen = new Set<string>();
  const fields: (string | null)[] = [];
  for (const [index, h] of headers.entries()) {
    const spec = byKey.get(headerKey(h));
    if (spec && seen.has(spec.field)) return { reason: "duplicate_column", column: spec, index };
    if (spec) seen.add(spec.field);
    fields.push(spec?.field ?? null);
  }
  const missing = specs.find((s) => s.required && !seen.has(s.field));
  if (missing) return { reason: "missing_column", column: missing };
  return { fields, absent: specs.filter((s) => !seen.has(s.field)).map((s) => s.field) };
}
