import { z } from "zod";
import { normaliseIdNumber, validateIdNumber } from "@/lib/ids/id-number";

// 变更登记 (seed 003 第十二条, domain.md "Changes"): which fields of a person's basic data can be
// changed, which of them are sensitive, and the one zod schema the request form and the server use.
// Messages are catalogue keys ("msg:<key>").

/** Basic fields: the street approves on evidence (第十二条（一）). */
export const BASIC_FIELDS = ["name", "gender", "ethnicity", "hukouAddress", "residenceAddress"] as const;
/** Sensitive fields: street initial review, then district approval (第十二条（二）). */
export const SENSITIVE_FIELDS = ["idNumber", "birthDate", "hukouType"] as const;
export const CHANGE_FIELDS = [...BASIC_FIELDS, ...SENSITIVE_FIELDS] as const;
export type TChangeField = (typeof CHANGE_FIELDS)[number];

export const GENDERS = ["1", "2"] as const;
/** 户口性质: agricultural, non-agricultural, and the unified resident hukou after the 2014 reform. */
export const HUKOU_TYPES = ["AGRICULTURAL", "NON_AGRICULTURAL", "RESIDENT"] as const;

export function isSensitive(field: TChangeField): boolean {
  return (SENSITIVE_FIELDS as readonly string[]).includes(field);
}

/** One changed field as stored in change_request.changes: the value when requested and the proposal. */
export interface FieldChange {
  from: string | null;
  to: string;
}
export type TChanges = Partial<Record<TChangeField, FieldChange>>;

const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());

function isRealDate(s: string): boolean {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s && s <= new Date().toISOString().slice(0, 10);
}

/** A request as submitted from the person page: blank fields are "no change". */
export const ZChangeRequest = z
  .object({
    personId: z.string().trim().regex(/^\d{17}[\dX]$/, "msg:survey.err.idNumber"),
    name: optional(z.string().trim().min(1).max(40, "msg:survey.err.invalid")),
    gender: optional(z.enum(GENDERS, { error: "msg:survey.err.invalid" })),
    ethnicity: optional(z.string().trim().max(20, "msg:survey.err.invalid")),
    hukouAddress: optional(z.string().trim().max(200, "msg:survey.err.invalid")),
    residenceAddress: optional(z.string().trim().max(200, "msg:survey.err.invalid")),
    idNumber: optional(
      z
        .string()
        .trim()
        .refine((v) => validateIdNumber(v).ok, "msg:survey.err.idNumber")
        .transform((v) => normaliseIdNumber(v)),
    ),
    birthDate: optional(z.string().trim().refine(isRealDate, "msg:change.err.birthDate")),
    hukouType: optional(z.enum(HUKOU_TYPES, { error: "msg:survey.err.invalid" })),
    evidence: z.string().trim().min(1, "msg:change.err.evidence").max(500, "msg:survey.err.invalid"),
  })
  .superRefine((r, ctx) => {
    if (!CHANGE_FIELDS.some((f) => r[f] !== undefined)) ctx.addIssue({ code: "custom", path: ["_"], message: "msg:change.err.nothing" });
  });
export type TChangeRequest = z.infer<typeof ZChangeRequest>;

/** A reviewer's decision on a request; the version is the one the reviewer saw (optimistic check). */
export const ZChangeDecision = z.object({
  requestId: z.coerce.number().int().positive(),
  decision: z.enum(["approve", "return"]),
  comment: z.preprocess(blankToUndefined, z.string().trim().max(500).optional()),
  expectedVersion: z.coerce.number().int().positive(),
});
export type TChangeDecision = z.infer<typeof ZChangeDecision>;
