"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { NotAllowedError } from "@/lib/policy";
import { authedAction, runAction } from "@/lib/auth/action";
import { resolveSession } from "@/lib/auth/session";
import { clientAddress } from "@/lib/auth/throttle";
import { getT } from "@/lib/i18n/server";
import { changeOwnPassword, changePost, createUser, resetPassword, setActive, withdrawAccountRequest, type AccountStepResult } from "./mutations";
import { confirmAccountRequest, refuseAccountRequest } from "./requests";
import { ZChangeOwnPassword, ZCreateUser, ZRequestId, ZResetPassword, ZUserId, ZUserPost } from "./schema";

async function stepMessage(result: AccountStepResult): Promise<{ ok: true; message: string }> {
  const t = await getT();
  return { ok: true, message: result.pending ? t("users.requested") : t("users.oneTimePassword", { password: result.oneTimePassword }) };
}

export const createUserAction = authedAction("admin:users", ZCreateUser, async (actor, input) => {
  const result = await createUser(actor, input);
  revalidatePath("/admin/users");
  return stepMessage(result);
});

export const changePostAction = authedAction("admin:users", ZUserPost, async (actor, input) => {
  const result = await changePost(actor, input);
  revalidatePath("/admin/users");
  return stepMessage(result);
});

export const resetPasswordAction = authedAction("admin:users", ZResetPassword, async (actor, input) => {
  const result = await resetPassword(actor, input.userId);
  revalidatePath("/admin/users");
  return stepMessage(result);
});

export const enableUserAction = authedAction("admin:users", ZUserId, async (actor, input) => {
  await setActive(actor, input.userId, true);
  revalidatePath("/admin/users");
  return { ok: true, message: (await getT())("users.enabledDone") };
});

export const disableUserAction = authedAction("admin:users", ZUserId, async (actor, input) => {
  await setActive(actor, input.userId, false);
  revalidatePath("/admin/users");
  return { ok: true, message: (await getT())("users.disabledDone") };
});

export const withdrawAccountRequestAction = authedAction("admin:users", ZUserId, async (actor, input) => {
  await withdrawAccountRequest(actor, input.userId);
  revalidatePath("/admin/users");
});

export const confirmAccountRequestAction = authedAction("account:confirm", ZRequestId, async (actor, input) => {
  const result = await confirmAccountRequest(actor, input.requestId);
  // No revalidation: the row (and with it the one-time password shown in its result) must stay on
  // screen until the confirmer has handed the password over; the list refreshes on the next visit.
  const t = await getT();
  return { ok: true, message: result.oneTimePassword ? t("accounts.confirmedWithPassword", { login: result.login, password: result.oneTimePassword }) : t("accounts.confirmed") };
});

export const refuseAccountRequestAction = authedAction("account:confirm", ZRequestId, async (actor, input) => {
  await refuseAccountRequest(actor, input.requestId);
  revalidatePath("/accounts");
});

/**
 * Self-service password change. Any signed-in user may use it, including one whose session may do
 * nothing else until the password is changed; it needs no business permission.
 */
export async function changeOwnPasswordAction(_prev: unknown, formData: FormData) {
  return runAction(async () => {
    const session = await resolveSession();
    if (!session) throw new NotAllowedError("region:view");
    const input = ZChangeOwnPassword.parse(Object.fromEntries(formData));
    await changeOwnPassword(session, input, clientAddress(Object.fromEntries(await headers())));
  });
}
