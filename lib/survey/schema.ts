import { z } from "zod";
import { validateIdNumber } from "@/lib/ids/id-number";

// The registration form (全民参保登记表, registration-form.md): one zod schema used by the phone form
// (client-side validation) and by the server actions. Messages are catalogue keys ("msg:<key>"),
// shown next to their field in the user's language.

export const EMPLOYMENT = ["EMPLOYED", "PRESCHOOL", "STUDENT", "UNEMPLOYED", "FLEXIBLE", "RETIRED"] as const;
export const EMPLOYMENT_PLACE = ["IN_CITY", "OUTSIDE"] as const;
export const OCCUPATIONS = ["ENTERPRISE", "SOCIAL_ORG", "MILITARY", "CIVIL_SERVICE", "PUBLIC_INSTITUTION", "FLEXIBLE", "SELF_EMPLOYED_WITH_STAFF", "SELF_EMPLOYED_ALONE", "EMPLOYEE_OF_SELF_EMPLOYED"] as const;
export const PENSION = ["NONE", "EMPLOYEE", "RESIDENT", "PUBLIC_INSTITUTION", "LAND_EXPROPRIATED", "OTHER"] as const;
export const MEDICAL = ["NONE", "EMPLOYEE", "RESIDENT", "NCMS", "PUBLIC", "MIGRANT", "OTHER"] as const;
export const NOT_INSURED_REASONS = ["EMIGRATED", "MILITARY", "PRISON", "MOVED_OUT", "NOMINAL_HUKOU", "NEWBORN", "MISSING", "DECEASED", "NO_HUKOU", "UNREACHABLE", "COMMERCIAL", "CANNOT_AFFORD", "UNWILLING", "EMPLOYER_DID_NOT_ENROL", "PERSONAL_NOT_ENROLLED"] as const;
export const ELSEWHERE = ["NONE", "IN_PROVINCE", "OUT_OF_PROVINCE"] as const;
export const DECLARANT = ["SELF", "GUARDIAN", "AGENT"] as const;
export const VISIT_OUTCOMES = ["COMPLETED", "NOBODY_HOME", "REFUSED", "MOVED_AWAY", "NOT_FOUND"] as const;
/** Visit outcomes other than completed: recorded, and counted towards closing as unreachable. */
export const FAILED_OUTCOMES = ["NOBODY_HOME", "REFUSED", "MOVED_AWAY", "NOT_FOUND"] as const;

/** An optional text field; longer than `max` gets the field's own message ("单位全称最多 100 个字"). */
const optionalText = (max: number, field: string) =>
  z
    .string()
    .trim()
    .max(max, `msg:survey.err.long.${field}`)
    .optional()
    .transform((v) => (v ? v : undefined));

/** Why a person has no mobile number (the form then records this instead of the number). */
export const NO_MOBILE_REASONS = ["NO_PHONE", "DECEASED", "REFUSED", "OTHER"] as const;

/**
 * The multi-answer of pension / medical (seed 002 附件1: checkboxes, so a duplicate enrolment can be
 * recorded). Forms kept before it was a list hold one code as a string: read as a list of one.
 */
function answers<T extends readonly [string, ...string[]]>(values: T, field: "pension" | "medical") {
  return z.preprocess(
    (v) => (typeof v === "string" ? (v ? [v] : []) : v === undefined || v === null ? [] : v),
    z
      .array(z.enum(values, { error: `msg:survey.err.${field}` }), { error: `msg:survey.err.${field}` })
      .max(values.length, `msg:survey.err.${field}`)
      .transform((a) => [...new Set(a)]),
  );
}

/** A form's pension / medical answers as a list, whatever shape it was kept in (old forms: one string). */
export function answerList(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === "string");
  return typeof v === "string" && v ? [v] : [];
}

/** Whether the form says the person has died (a reason not insured, or the reason there is no mobile). */
export function isDeceased(f: { reasons?: readonly string[]; noMobileReason?: string | null }): boolean {
  return f.noMobileReason === "DECEASED" || (f.reasons ?? []).includes("DECEASED");
}

export const ZSurveyForm = z
  .object({
    employment: z.enum(EMPLOYMENT, { error: "msg:survey.err.employment" }).optional(),
    unitName: optionalText(100, "unitName"),
    employmentPlace: z.enum(EMPLOYMENT_PLACE, { error: "msg:survey.err.employmentPlace" }).optional(),
    employmentPlaceDetail: optionalText(60, "employmentPlaceDetail"),
    occupation: z.enum(OCCUPATIONS, { error: "msg:survey.err.occupation" }).optional(),
    residenceRegionCode: z
      .string()
      .trim()
      .regex(/^(\d{12})?$/, "msg:survey.err.regionCode")
      .optional()
      .transform((v) => (v ? v : undefined)),
    residenceAddress: optionalText(200, "residenceAddress"),
    // 联系电话: an 11-digit mainland mobile, or the reason the person has none (无手机, 已死亡, …).
    mobile: z
      .string()
      .trim()
      .regex(/^(1[3-9]\d{9})?$/, "msg:survey.err.mobile")
      .optional()
      .transform((v) => (v ? v : undefined)),
    noMobileReason: z.enum(NO_MOBILE_REASONS, { error: "msg:survey.err.noMobileReason" }).optional(),
    noMobileNote: optionalText(60, "noMobileNote"),
    landline: z
      .string()
      .trim()
      .regex(/^(0\d{2,3}-?\d{7,8})?$/, "msg:survey.err.landline")
      .optional()
      .transform((v) => (v ? v : undefined)),
    pension: answers(PENSION, "pension"),
    medical: answers(MEDICAL, "medical"),
    unemployment: z.boolean().default(false),
    workInjury: z.boolean().default(false),
    maternity: z.boolean().default(false),
    reasons: z.array(z.enum(NOT_INSURED_REASONS, { error: "msg:survey.err.reasons" })).default([]),
    elsewhere: z.enum(ELSEWHERE, { error: "msg:survey.err.elsewhere" }).default("NONE"),
    elsewhereScheme: optionalText(40, "elsewhereScheme"),
    elsewherePlace: optionalText(60, "elsewherePlace"),
    declarant: z.enum(DECLARANT, { error: "msg:survey.err.declarant" }).default("SELF"),
    declarantName: optionalText(40, "declarantName"),
    authorisationNoted: z.boolean().default(false),
    // 2–3 names: counted below, with the other rules (a failed array size check here would hide them)
    surveyors: z.array(z.string().trim().min(1, "msg:survey.err.surveyors").max(20, "msg:survey.err.long.surveyors")),
    remarks: optionalText(500, "remarks"),
  })
  .superRefine(
    (raw, ctx) => {
      // Runs even when a field failed its own check (`when` below), so that an empty submit names every
      // field to fill at once; a field that failed may hold its raw input here, hence the guards.
      const f = raw as Partial<typeof raw>;
      const issue = (path: string, key: string) => {
        if (!ctx.issues.some((i) => i.path?.[0] === path)) ctx.addIssue({ code: "custom", path: [path], message: `msg:${key}` });
      };
      const reasons = Array.isArray(f.reasons) ? f.reasons : [];
      const pension = answerList(f.pension);
      const medical = answerList(f.medical);
      const surveyors = Array.isArray(f.surveyors) ? f.surveyors : [];
      const deceased = isDeceased({ reasons, noMobileReason: f.noMobileReason });
      // Employment status, except for a person who has died.
      if (!f.employment && !deceased) issue("employment", "survey.err.employment");
      // Unit name is required when employed by a unit.
      if (f.employment === "EMPLOYED" && !f.unitName) issue("unitName", "survey.err.unitName");
      // 联系电话: the number, or why there is none (and what "other" means).
      if (!f.mobile && !f.noMobileReason) issue("mobile", "survey.err.mobileOrReason");
      if (f.mobile && f.noMobileReason) issue("noMobileReason", "survey.err.mobileAndReason");
      if (f.noMobileReason === "OTHER" && !f.noMobileNote) issue("noMobileNote", "survey.err.noMobileNote");
      // 现参保情况: at least one answer each; "none" is an answer of its own, not beside a scheme.
      if (pension.length === 0) issue("pension", "survey.err.pension");
      if (medical.length === 0) issue("medical", "survey.err.medical");
      if (pension.includes("NONE") && pension.length > 1) issue("pension", "survey.err.pensionNone");
      if (medical.includes("NONE") && medical.length > 1) issue("medical", "survey.err.medicalNone");
      // A reason is required when no pension or no medical scheme is active after the visit.
      if ((pension.includes("NONE") || medical.includes("NONE")) && reasons.length === 0) issue("reasons", "survey.err.reasons");
      // Guardian or agent must be named; an agent needs the written authorisation noted.
      if (f.declarant && f.declarant !== "SELF" && !f.declarantName) issue("declarantName", "survey.err.declarantName");
      if (f.declarant === "AGENT" && !f.authorisationNoted && !deceased) issue("authorisationNoted", "survey.err.authorisation");
      // Insured elsewhere needs the place.
      if (f.elsewhere && f.elsewhere !== "NONE" && !f.elsewherePlace) issue("elsewherePlace", "survey.err.elsewherePlace");
      // Surveys go in teams of 2–3 (seed 001 第十八条).
      if (surveyors.length < 2 || surveyors.length > 3) issue("surveyors", "survey.err.surveyors");
    },
    { when: () => true },
  );
export type TSurveyForm = z.infer<typeof ZSurveyForm>;

/**
 * A draft keeps whatever was entered so far: the form's own fields only (any other key, such as a
 * forged `newPerson`, is refused), nothing required yet, each value of the form's type and length
 * (a half-typed mobile number is fine; a 20 MB name is not). The phone sends the input's raw values:
 * "" for an unchosen option, the surveyors as one line of names.
 */
const draftText = (max: number) => z.string().max(max).optional();
const draftChoice = <T extends readonly [string, ...string[]]>(values: T) => z.union([z.enum(values), z.literal("")]).optional();
export const ZSurveyDraft = z.strictObject({
  employment: draftChoice(EMPLOYMENT),
  unitName: draftText(100),
  employmentPlace: draftChoice(EMPLOYMENT_PLACE),
  employmentPlaceDetail: draftText(60),
  occupation: draftChoice(OCCUPATIONS),
  residenceRegionCode: z.string().regex(/^\d{0,12}$/).optional(),
  residenceAddress: draftText(200),
  mobile: draftText(20),
  noMobileReason: draftChoice(NO_MOBILE_REASONS),
  noMobileNote: draftText(60),
  landline: draftText(20),
  // a list since pension / medical take more than one answer; a string in drafts kept before
  pension: z.union([draftChoice(PENSION), z.array(z.enum(PENSION)).max(PENSION.length)]).optional(),
  medical: z.union([draftChoice(MEDICAL), z.array(z.enum(MEDICAL)).max(MEDICAL.length)]).optional(),
  unemployment: z.boolean().optional(),
  workInjury: z.boolean().optional(),
  maternity: z.boolean().optional(),
  reasons: z.array(z.enum(NOT_INSURED_REASONS)).max(NOT_INSURED_REASONS.length).optional(),
  elsewhere: draftChoice(ELSEWHERE),
  elsewhereScheme: draftText(40),
  elsewherePlace: draftText(60),
  declarant: draftChoice(DECLARANT),
  declarantName: draftText(40),
  authorisationNoted: z.boolean().optional(),
  surveyors: z.union([z.string().max(80), z.array(z.string().max(20)).max(3)]).optional(),
  remarks: draftText(500),
});
export type TSurveyDraft = z.infer<typeof ZSurveyDraft>;

/** A draft's serialised size cap (the full form with every text at its maximum is ~2 KB). */
export const MAX_DRAFT_BYTES = 8 * 1024;

/** Validates a draft sent by the phone: size first (before parsing it any further), then its shape. */
export function parseDraft(data: unknown): TSurveyDraft {
  let size: number;
  try {
    size = Buffer.byteLength(JSON.stringify(data) ?? "", "utf8");
  } catch {
    throw new DraftRefused("survey.err.draftInvalid");
  }
  if (size > MAX_DRAFT_BYTES) throw new DraftRefused("survey.err.draftTooLarge");
  const parsed = ZSurveyDraft.safeParse(data);
  if (!parsed.success) throw new DraftRefused("survey.err.draftInvalid");
  return parsed.data;
}

/** A refused draft; the action turns it into its catalogue message. */
export class DraftRefused extends Error {
  constructor(public readonly key: "survey.err.draftInvalid" | "survey.err.draftTooLarge") {
    super(key);
    this.name = "DraftRefused";
  }
}

/** The basic data of a newly found person as kept beside the form, checked again before it reaches the registry. */
export const ZStoredNewPerson = z.object({
  idNumber: z.string().regex(/^\d{17}[\dX]$/),
  name: z.string().trim().min(1).max(40),
  hukouAddress: z.string().max(200).nullable().optional(),
});

/** 新发现人员: a valid ID number (not already in the registry: checked by the server), name, address. */
export const ZNewPerson = z.object({
  idNumber: z
    .string()
    .trim()
    .min(1, "msg:survey.err.idNumberMissing")
    .superRefine((v, ctx) => {
      // the message says what is wrong with it: length, characters, check digit or birth date
      const check = validateIdNumber(v);
      if (!check.ok) ctx.addIssue({ code: "custom", message: `msg:survey.err.id.${check.reason}` });
    }),
  name: z.string().trim().min(1, "msg:survey.err.newPersonName").max(40, "msg:survey.err.long.name"),
  hukouAddress: optionalText(200, "hukouAddress"),
});
export type TNewPerson = z.input<typeof ZNewPerson>;

/** Turns zod issues into { field: catalogue key } (the first issue of each field). */
export function fieldErrorKeys(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of error.issues) {
    const field = String(i.path[0] ?? "_");
    out[field] ??= i.message.startsWith("msg:") ? i.message.slice(4) : `survey.err.field.${field}`;
  }
  return out;
}
