"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authedAction } from "@/lib/auth/action";
import { getT } from "@/lib/i18n/server";
import { saveAnalysis, submitAnalysis } from "./analysis";

// Server actions of the district analysis report (分析报告): save the commentary, submit (报送).
// One shape (lib/auth/action.ts authedAction); scope and state checks in lib/stats/analysis.ts.

const ZAnalysis = z.object({
  district: z.string().regex(/^\d{6}$/),
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/),
  commentary: z.string().max(5000, { message: "msg:analysis.error.tooLong" }),
  expectedVersion: z.coerce.number().int().min(0),
});

export const saveAnalysisAction = authedAction("stats:report", ZAnalysis, async (actor, input) => {
  await saveAnalysis(actor, input);
  revalidatePath("/stats/analysis");
  return { ok: true, message: (await getT())("analysis.saved") };
});

export const submitAnalysisAction = authedAction("stats:report", ZAnalysis, async (actor, input) => {
  await submitAnalysis(actor, input);
  revalidatePath("/stats/analysis");
  revalidatePath("/stats/summary");
  return { ok: true, message: (await getT())("analysis.submittedOk") };
});
