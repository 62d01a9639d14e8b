// The codes of comparison-rules.md: categories in §5 order, flags (§4), schemes. Re-exported by run.ts.

export const CATEGORIES = ["EXCLUDED", "INFO_ERROR", "DUPLICATE", "NOT_INSURED", "INTERRUPTED", "PARTIAL", "CONFIRMED"] as const;
export type TCategory = (typeof CATEGORIES)[number];

export const FLAGS = [
  "deceased", "prisoner", "military", "emigrated", "moved_out", "non_local", "name_mismatch", "gender_mismatch", "birth_mismatch", "no_region",
  "dup_pension", "dup_medical", "dup_place", "elsewhere_in_province", "elsewhere_out_of_province", "no_pension", "no_medical", "missing_employee_schemes", "interrupted",
] as const;

export const SCHEMES = ["110", "120", "170", "210", "310", "390", "410", "510"] as const;
