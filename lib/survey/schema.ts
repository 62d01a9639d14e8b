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

/** A draft keeps whatever was entered so far: same fields, nothing required yet. */
export const ZSurveyDraft = z.record(z.string(), z.unknown());
export type TSurveyDraft = z.infer<typeof ZSurveyDraft>;

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
