import { type TMessageKey, translator, type Translate } from "@/lib/i18n/messages";

// A refused import file (import-formats.md: "refused with a clear error that names the file, the line
// and the column"). The reason is a stable code (tests and the web page use it); the message is the
// catalogue's Chinese text, so that the CLI and logs show what the staff read in the portal.

export const IMPORT_REFUSALS = [
  "unsupported_file",
  "empty_file",
  "duplicate_file",
  "unreadable_encoding",
  "unreadable_xlsx",
  "broken_text",
  "missing_column",
  "duplicate_column",
  "broken_quoting",
  "bad_column_count",
  "empty_value",
  "bad_value",
  "bad_date",
  "bad_region_code",
  "unknown_parent",
  "duplicate_region_code",
  "too_long",
] as const;
export type TImportRefusal = (typeof IMPORT_REFUSALS)[number];

/** Everything a reader needs to find and fix the problem; plain data so that it can cross to the browser. */
export interface ImportRefusal {
  file: string;
  /** Physical line (CSV) or row (XLSX), header = 1; null when the problem is the file as a whole. */
  line: number | null;
  /** The column as the file names it (or the format's English/Chinese names for a missing column). */
  column: string | null;
  reason: TImportRefusal;
  /** The offending value, when there is one. */
  value?: string | null;
  /** The batch an identical file was imported as (duplicate_file). */
  batchId?: number;
}

export class ImportError extends Error {
  constructor(public readonly refusal: ImportRefusal) {
    super(describeRefusal(refusal, translator("zh")));
    this.name = "ImportError";
  }
}

/** "file 第3行 “性别”列：值“X”无法识别…" in the reader's language. */
export function describeRefusal(r: ImportRefusal, t: Translate): string {
  const where =
    r.line !== null && r.column !== null
      ? t("import.at.lineColumn", { file: r.file, line: r.line, column: r.column })
      : r.line !== null
        ? t("import.at.line", { file: r.file, line: r.line })
        : r.column !== null
          ? t("import.at.column", { file: r.file, column: r.column })
          : t("import.at.file", { file: r.file });
  const what = t(`import.refusal.${r.reason}` as TMessageKey, { value: r.value ?? "", column: r.column ?? "", batchId: r.batchId ?? "" });
  return `${where}${t("import.at.separator")}${what}`;
}
