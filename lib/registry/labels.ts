import { type TMessageKey, type Translate, zh } from "@/lib/i18n/messages";

// Catalogue labels for registry values (fields of the history, survey data, comparison codes),
// shared by the person page, the change lists and the printed forms. An unknown code shows as is.

function labelOr(t: Translate, key: string, fallback: string): string {
  return key in zh ? t(key as TMessageKey) : fallback;
}

export const categoryLabel = (t: Translate, code: string | null) => (code ? labelOr(t, `registry.category.${code}`, code) : "");
export const flagLabel = (t: Translate, code: string) => labelOr(t, `registry.flag.${code}`, code);
export const schemeLabel = (t: Translate, code: string) => labelOr(t, `registry.scheme.${code}`, code);
export const genderLabel = (t: Translate, code: string | null) => (code ? labelOr(t, `person.gender.${code}`, code) : "");
export const hukouTypeLabel = (t: Translate, code: string | null) => (code ? labelOr(t, `change.hukouType.${code}`, code) : "");

/** Label of a history field: a change-request field, a survey field ("survey.x") or a registry column. */
export function fieldLabel(t: Translate, field: string): string {
  if (field.startsWith("survey.")) return labelOr(t, field, field);
  if (field === "mobile") return t("survey.mobile");
  return labelOr(t, `change.field.${field}`, labelOr(t, `registry.field.${field}`, field));
}

const ENUM_FIELDS: Record<string, string> = {
  employment: "survey.employment",
  employmentPlace: "survey.employmentPlace",
  occupation: "survey.occupation",
  pension: "survey.pension",
  medical: "survey.medical",
  elsewhere: "survey.elsewhere",
  declarant: "survey.declarant",
  visit: "survey.visit",
  noMobileReason: "survey.noMobileReason",
};

/** One code, or several (pension / medical take more than one answer): a JSON list as history rows keep it, or joined by ';'. */
function enumList(value: string): string[] {
  if (value.startsWith("[")) {
    try {
      const list = JSON.parse(value) as unknown;
      if (Array.isArray(list)) return list.map(String);
    } catch {
      /* not a list: shown as it is */
    }
  }
  return value.split(";");
}

/** The name of a region code ("天宁区 青龙街道 南苑社区"), looked up by the query that read the value. */
export type RegionName = (code: string) => string | null | undefined;

/** Display text of a stored value of `field` (history rows store text; arrays as JSON). */
export function valueLabel(t: Translate, field: string, value: string | null, regionName?: RegionName): string {
  if (value === null || value === "") return "";
  const name = field.replace(/^survey\./, "");
  if (/regionCode$/i.test(name) && regionName) return regionName(value) ?? value;
  if (name === "gender") return genderLabel(t, value);
  if (name === "hukouType") return hukouTypeLabel(t, value);
  if (name === "status") return labelOr(t, `status.${value}`, value);
  if (name === "category") return categoryLabel(t, value);
  // codes joined by ';', as the comparison writes them (09-registry.sql)
  if (field === "flags") return value.split(";").map((c) => flagLabel(t, c)).join("、");
  if (field === "missing_schemes") return value.split(";").map((c) => schemeLabel(t, c)).join("、");
  if (ENUM_FIELDS[name]) return enumList(value).map((v) => labelOr(t, `${ENUM_FIELDS[name]}.${v}`, v)).join("、");
  if (name === "reasons") {
    try {
      return (JSON.parse(value) as string[]).map((r) => labelOr(t, `survey.reason.${r}`, r)).join("、");
    } catch {
      return value;
    }
  }
  if (value === "true") return t("registry.yes");
  if (value === "false") return t("registry.no");
  return value;
}

/** The registry's survey data (person.survey_data) as label/value pairs, in the form's order. */
export function surveyDataEntries(t: Translate, data: Record<string, unknown> | null, regionName?: RegionName): { key: string; label: string; value: string }[] {
  if (!data) return [];
  const order = ["employment", "unitName", "employmentPlace", "employmentPlaceDetail", "occupation", "residenceRegionCode", "residenceAddress", "mobile", "noMobileReason", "noMobileNote", "landline", "pension", "medical", "unemployment", "workInjury", "maternity", "reasons", "elsewhere", "elsewhereScheme", "elsewherePlace", "declarant", "declarantName", "surveyors", "remarks"];
  const labels: Record<string, TMessageKey> = { residenceRegionCode: "survey.residenceRegion", reasons: "survey.reasons", surveyors: "print.surveyors" };
  const out: { key: string; label: string; value: string }[] = [];
  for (const key of order) {
    const v = data[key];
    if (v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0)) continue;
    // lists of codes (reasons; pension / medical, several answers) by label; surveyors are names
    const text = Array.isArray(v) ? (key === "surveyors" ? v.join("、") : valueLabel(t, key, JSON.stringify(v))) : valueLabel(t, key, String(v), regionName);
    out.push({ key, label: labels[key] ? t(labels[key]) : labelOr(t, `survey.${key}`, key), value: text });
  }
  return out;
}

/**
 * A survey task's 调查原因: the comparison stores its category code (comparison-rules.md §6); a
 * newly found person's task stores a text of its own and the category NEWLY_FOUND.
 */
export function taskReasonLabel(t: Translate, reason: string, category?: string | null): string {
  if (category === "NEWLY_FOUND" || reason === "新发现人员") return t("survey.newPerson");
  return categoryLabel(t, reason);
}
