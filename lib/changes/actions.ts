"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/auth/action";
import { getT } from "@/lib/i18n/server";
import { personRef } from "@/lib/ids/person-ref";
import { decideChange, requestChange } from "./mutations";
import { ZChangeDecision, ZChangeRequest } from "./schema";

// 变更登记 actions: authenticate → parse → policy (in the mutation, against the person's or the
// request's region) → mutation with its audit row → revalidate.

export const requestChangeAction = authedAction("change:request", ZChangeRequest, async (actor, input) => {
  await requestChange(actor, input);
  revalidatePath(`/registry/${personRef(input.personId)}`);
  revalidatePath("/changes");
  const t = await getT();
  return { ok: true, message: t("change.submitted") };
});

export const decideChangeAction = authedAction("person:view", ZChangeDecision, async (actor, input) => {
  const state = await decideChange(actor, input);
  revalidatePath("/changes");
  revalidatePath("/registry", "layout");
  const t = await getT();
  return { ok: true, message: t("change.done", { state: t(`change.state.${state}`) }) };
});
