import type { TMessageKey, Translate } from "@/lib/i18n/messages";
import { fieldLabel, type RegionName, valueLabel } from "@/lib/registry/labels";

// What a survey form changes against the registry, field by field, for the reviewer: the registry's
// value (the person's phone and residence, and the survey data of their last approved survey), the
// form's value, and whether it changes. The fields are those final approval writes to the registry
// (lib/registry/mutations.ts storeSurveyInRegistry). A field that takes several values (reasons; the
// pension and medical answers once they allow more than one) compares as a set and reads as labels
// joined by "、".

/**
 * Registry column → form field, and whether an empty form value keeps the registry's (the residence:
 * approval writes it only when the form gives one), then the survey-data keys (same name both sides).
 */
const REGISTRY_FIELDS: [string, string, boolean][] = [
  ["phone", "mobile", false],
  ["residenceRegionCode", "residenceRegionCode", true],
  ["residenceAddress", "residenceAddress", true],
];
const SURVEY_FIELDS = ["employment", "unitName", "employmentPlace", "occupation", "pension", "medical", "unemployment", "workInjury", "maternity", "reasons", "elsewhere", "elsewhereScheme", "elsewherePlace"] as const;

const LABELS: Record<string, TMessageKey> = { reasons: "review.field.reasons", residenceRegionCode: "survey.residenceRegion", landline: "survey.landline" };

export interface DiffRow {
  field: string;
  label: string;
  before: string;
  after: string;
  changed: boolean;
}

export interface RegistrySide {
  phone: string | null;
  residenceRegionCode: string | null;
  residenceAddress: string | null;
  surveyData: unknown;
}

/** A stored value as a comparable key: arrays as sets, empty as "", booleans and numbers as text. */
function normal(v: unknown): string {
  if (v === undefined || v === null || v === "") return "";
  if (Array.isArray(v)) return v.length === 0 ? "" : JSON.stringify(v.map(String).sort());
  return String(v);
}

function display(t: Translate, field: string, v: unknown, regionName?: RegionName): string {
  if (v === undefined || v === null || v === "") return "";
  const values = Array.isArray(v) ? v : [v];
  const one = (x: unknown) => (field === "reasons" ? valueLabel(t, "reasons", JSON.stringify([String(x)])) : valueLabel(t, field, String(x), regionName));
  return values.map(one).filter(Boolean).join("、");
}

/** The field-by-field comparison of a form with the registry (`registry` null: the person is not in it yet). */
export function formDiff(t: Translate, registry: RegistrySide | null, form: Record<string, unknown>, regionName?: RegionName): DiffRow[] {
  const stored = (registry?.surveyData ?? {}) as Record<string, unknown>;
  const pairs: { field: string; before: unknown; after: unknown }[] = [
    ...REGISTRY_FIELDS.map(([column, field, keepIfEmpty]) => {
      const before = registry ? (registry as unknown as Record<string, unknown>)[column] : undefined;
      return { field, before, after: keepIfEmpty && normal(form[field]) === "" ? before : form[field] };
    }),
    ...SURVEY_FIELDS.map((field) => ({ field, before: stored[field], after: form[field] })),
  ];
  return pairs
    .filter((p) => normal(p.before) !== "" || normal(p.after) !== "")
    .map((p) => ({
      field: p.field,
      label: LABELS[p.field] ? t(LABELS[p.field]) : fieldLabel(t, `survey.${p.field}`),
      before: display(t, p.field, p.before, regionName),
      after: display(t, p.field, p.after, regionName),
      changed: normal(p.before) !== normal(p.after),
    }));
}
