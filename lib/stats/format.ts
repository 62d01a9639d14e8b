import type { TMessageKey } from "@/lib/i18n/messages";

// Rates of statistics.md §2 as shown: a percentage with one decimal, "—" when the denominator is
// zero (never 0 % or 100 %).
export function formatRate(num: number, den: number): string {
  return den === 0 ? "—" : `${((num / den) * 100).toFixed(1)}%`;
}

/** True when the rate is below `target` percent (a zero denominator is never below). */
export function belowTarget(num: number, den: number, target: number): boolean {
  return den !== 0 && (num / den) * 100 < target;
}

/** The catalogue key of a category's label: the comparison's seven, or a survey task's NEWLY_FOUND. */
export function categoryLabelKey(category: string): TMessageKey {
  return category === "NEWLY_FOUND" ? "registry.category.NEWLY_FOUND" : (`comparison.category.${category}` as TMessageKey);
}
