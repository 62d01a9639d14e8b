"use server";

import { revalidatePath } from "next/cache";
import { authedAction } from "@/lib/auth/action";
import { changePost, createUser, resetPassword, toggleActive } from "./mutations";
import { ZCreateUser, ZResetPassword, ZToggleUser, ZUserPost } from "./schema";

export const createUserAction = authedAction("admin:users", ZCreateUser, async (actor, input) => {
  await createUser(actor, input);
  revalidatePath("/admin/users");
});

export const changePostAction = authedAction("admin:users", ZUserPost, async (actor, input) => {
  await changePost(actor, input);
  revalidatePath("/admin/users");
});

export const resetPasswordAction = authedAction("admin:users", ZResetPassword, async (actor, input) => {
  await resetPassword(actor, input.userId, input.password);
});

export const toggleUserAction = authedAction("admin:users", ZToggleUser, async (actor, input) => {
  await toggleActive(actor, input.userId);
  revalidatePath("/admin/users");
});
