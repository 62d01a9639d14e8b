"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/auth/action";
import { getT } from "@/lib/i18n/server";
import { setDeadline, setWeights, ZDeadline, ZWeights } from "./assessment";

// 考核 settings (city): the survey deadline of a run's tasks, the indicator weights.
export const setDeadlineAction = authedAction("assessment:settings", ZDeadline, async (actor, input) => {
  await setDeadline(actor, input);
  revalidatePath("/assessment");
  return { ok: true, message: (await getT())("assessment.deadlineSaved") };
});

export const setWeightsAction = authedAction("assessment:settings", ZWeights, async (actor, input) => {
  await setWeights(actor, input);
  revalidatePath("/assessment");
  return { ok: true, message: (await getT())("assessment.weightsSaved") };
});
