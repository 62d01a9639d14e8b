import { z } from "zod";

const isDate = (s: string) => {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
};

/** 开始比对: the start form, shared by the server action and the page. */
export const ZStartComparison = z.object({
  asOf: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "msg:comparison.badDate")
    .refine(isDate, "msg:comparison.badDate"),
  basis: z.enum(["hukou", "residence"]).default("hukou"),
  // 调查截止日期 of the tasks the run publishes (optional; stored in run_deadline with the run, and
  // changed later on /assessment)
  deadline: z.preprocess(
    (v) => (v === "" || v === null ? undefined : v),
    z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "msg:comparison.badDate").refine(isDate, "msg:comparison.badDate").optional(),
  ),
}).refine((v) => v.deadline === undefined || v.deadline > v.asOf, { message: "msg:comparison.deadlineBeforeAsOf", path: ["deadline"] });
export type TStartComparison = z.infer<typeof ZStartComparison>;
