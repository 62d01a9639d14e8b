"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { authedAction } from "@/lib/auth/action";
import { getT } from "@/lib/i18n/server";
import { createSpotCheck, recordCheck, ZDraw, ZRecord } from "./spot-checks";

// 质量抽查: draw a sample (then show it), record one record's re-verification.
export const drawSpotCheckAction = authedAction("quality:spot-check", ZDraw, async (actor, input) => {
  const id = await createSpotCheck(actor, { ...input, amount: String(input.amount) } as never);
  revalidatePath("/quality");
  redirect(`/quality/${id}`);
});

export const recordCheckAction = authedAction("quality:spot-check", ZRecord, async (actor, input) => {
  await recordCheck(actor, input as unknown as Record<string, unknown>);
  revalidatePath("/quality");
  return { ok: true, message: (await getT())("quality.recorded") };
});
