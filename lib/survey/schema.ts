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

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => (v ? v : undefined));

export const ZSurveyForm = z
  .object({
    employment: z.enum(EMPLOYMENT, { error: "msg:survey.err.required" }),
    unitName: optionalText(100),
    employmentPlace: z.enum(EMPLOYMENT_PLACE).optional(),
    employmentPlaceDetail: optionalText(60),
    occupation: z.enum(OCCUPATIONS).optional(),
    residenceRegionCode: z
      .string()
      .trim()
      .regex(/^(\d{12})?$/, "msg:survey.err.regionCode")
      .optional()
      .transform((v) => (v ? v : undefined)),
    residenceAddress: optionalText(200),
    mobile: z.string().trim().regex(/^1[3-9]\d{9}$/, "msg:survey.err.mobile"),
    landline: z
      .string()
      .trim()
      .regex(/^(0\d{2,3}-?\d{7,8})?$/, "msg:survey.err.landline")
      .optional()
      .transform((v) => (v ? v : undefined)),
    pension: z.enum(PENSION, { error: "msg:survey.err.required" }),
    medical: z.enum(MEDICAL, { error: "msg:survey.err.required" }),
    unemployment: z.boolean().default(false),
    workInjury: z.boolean().default(false),
    maternity: z.boolean().default(false),
    reasons: z.array(z.enum(NOT_INSURED_REASONS)).default([]),
    elsewhere: z.enum(ELSEWHERE).default("NONE"),
    elsewhereScheme: optionalText(40),
    elsewherePlace: optionalText(60),
    declarant: z.enum(DECLARANT).default("SELF"),
    declarantName: optionalText(40),
    authorisationNoted: z.boolean().default(false),
    surveyors: z.array(z.string().trim().min(1).max(20)).max(3, "msg:survey.err.surveyors"),
    remarks: optionalText(500),
  })
  .superRefine((f, ctx) => {
    const issue = (path: string, key: string) => ctx.addIssue({ code: "custom", path: [path], message: `msg:${key}` });
    // Unit name is required when employed by a unit.
    if (f.employment === "EMPLOYED" && !f.unitName) issue("unitName", "survey.err.unitName");
    // A reason is required when no pension or no medical scheme is active after the visit.
    if ((f.pension === "NONE" || f.medical === "NONE") && f.reasons.length === 0) issue("reasons", "survey.err.reasons");
    // Guardian or agent must be named; an agent needs the written authorisation noted.
    if (f.declarant !== "SELF" && !f.declarantName) issue("declarantName", "survey.err.declarantName");
    if (f.declarant === "AGENT" && !f.authorisationNoted) issue("authorisationNoted", "survey.err.authorisation");
    // Insured elsewhere needs the place.
    if (f.elsewhere !== "NONE" && !f.elsewherePlace) issue("elsewherePlace", "survey.err.elsewherePlace");
    // Surveys go in teams of 2–3 (seed 001 第十八条).
    if (f.surveyors.length < 2) issue("surveyors", "survey.err.surveyors");
  });
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
  landline: draftText(20),
  pension: draftChoice(PENSION),
  medical: draftChoice(MEDICAL),
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
    .refine((v) => validateIdNumber(v).ok, "msg:survey.err.idNumber"),
  name: z.string().trim().min(1, "msg:survey.err.required").max(40),
  hukouAddress: optionalText(200),
});
export type TNewPerson = z.input<typeof ZNewPerson>;

/** Turns zod issues into { field: catalogue key } (the first issue of each field). */
export function fieldErrorKeys(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of error.issues) {
    const field = String(i.path[0] ?? "_");
    out[field] ??= i.message.startsWith("msg:") ? i.message.slice(4) : "survey.err.invalid";
  }
  return out;
}
