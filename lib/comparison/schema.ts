import { z } from "zod";

/** 开始比对: the start form, shared by the server action and the page. */
export const ZStartComparison = z.object({
  asOf: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "msg:comparison.badDate")
    .refine((s) => {
      const d = new Date(`${s}T00:00:00Z`);
      return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
    }, "msg:comparison.badDate"),
  basis: z.enum(["hukou", "residence"]).default("hukou"),
});
export type TStartComparison = z.infer<typeof ZStartComparison>;
