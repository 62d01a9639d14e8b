"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/auth/action";
import { getT } from "@/lib/i18n/server";
import { recordContact } from "./mutations";
import { ZContact } from "./schema";

// Server actions of the outreach ledger (one shape: lib/auth/action.ts authedAction).

export const recordContactAction = authedAction("outreach:record", ZContact, async (actor, input) => {
  await recordContact(actor, input);
  revalidatePath(`/outreach/${input.entryId}`);
  revalidatePath("/outreach");
  return { ok: true, message: (await getT())("outreach.contactSaved") };
});
