import { describe, expect, it } from "vitest";
import { zh } from "@/lib/i18n/messages";
import { belowTarget, formatRate } from "@/lib/stats/format";
import { MEASURE_CODES, MEASURES, RATES } from "@/lib/stats/measures";

describe("statistics measures (statistics.md §2)", () => {
  it("are the table's, in its order, categories in comparison-rules.md §5 order", () => {
    expect(MEASURE_CODES).toEqual([
      "persons", "category:EXCLUDED", "category:INFO_ERROR", "category:DUPLICATE", "category:NOT_INSURED", "category:INTERRUPTED", "category:PARTIAL",
      "category:CONFIRMED", "to_register", "registered", "pension_applies", "pension_active", "medical_applies", "medical_active", "employee_applies",
      "unemployment_active", "work_injury_active", "maternity_active", "elsewhere_in_province", "elsewhere_out_of_province", "needs_survey",
    ]);
  });
  it("every measure and rate has a Chinese label, and every rate is a ratio of two measures", () => {
    for (const m of MEASURES) expect(zh[m.label as keyof typeof zh], m.code).toBeTruthy();
    for (const r of RATES) {
      expect(zh[r.label as keyof typeof zh], r.code).toBeTruthy();
      expect(MEASURE_CODES).toContain(r.num);
      expect(MEASURE_CODES).toContain(r.den);
    }
  });
  it("a rate with a zero denominator is shown as —, never 0 % or 100 %, and is never below target", () => {
    expect(formatRate(0, 0)).toBe("—");
    expect(formatRate(5, 0)).toBe("—");
    expect(formatRate(0, 4)).toBe("0.0%");
    expect(formatRate(1826, 2307)).toBe("79.2%");
    expect(belowTarget(0, 0, 90)).toBe(false);
    expect(belowTarget(89, 100, 90)).toBe(true);
    expect(belowTarget(90, 100, 90)).toBe(false);
  });
});
