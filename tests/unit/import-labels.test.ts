import { describe, expect, it } from "vitest";
import { describeRefusal, IMPORT_REFUSALS } from "@/lib/import/import-error";
import { type TMessageKey, translator } from "@/lib/i18n/messages";

// Issue 13: import refusals read in Chinese (and English), naming file, line and column — never a
// code such as bad_value or missing_column; every invalid-row reason has its label too.

const INVALID_ROW_REASONS = ["bad_length", "bad_characters", "bad_checksum", "bad_birth_date", "duplicate_id"];

describe("import refusal labels", () => {
  for (const locale of ["zh", "en"] as const) {
    const t = translator(locale);
    it(`every refusal code has a ${locale} label, and the message names file, line and column without the code`, () => {
      for (const reason of IMPORT_REFUSALS) {
        const key = `import.refusal.${reason}` as TMessageKey;
        expect(t(key), reason).not.toBe(key);
        const text = describeRefusal({ file: "人口.csv", line: 7, column: "性别", reason, value: "X", batchId: 3 }, t);
        expect(text).not.toContain(reason);
        expect(text).toContain("人口.csv");
        expect(text).toContain("7");
        expect(text).toContain("性别");
      }
    });
    it(`every invalid-row reason has a ${locale} label`, () => {
      for (const reason of INVALID_ROW_REASONS) {
        const key = `import.reason.${reason}` as TMessageKey;
        expect(t(key), reason).not.toBe(key);
      }
    });
  }
  it("a missing column reads in Chinese", () => {
    const text = describeRefusal({ file: "a.csv", line: 1, column: "公民身份号码 / id_number", reason: "missing_column" }, translator("zh"));
    expect(text).toMatch(/缺少必需的列/);
  });
});
