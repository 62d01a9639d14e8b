import { z } from "zod";
import { PASSWORD_MAX_LENGTH } from "@/lib/auth/password-policy";
import { ROLES } from "@/lib/policy/permissions";

export const ZUserPost = z.object({
  userId: z.coerce.number().int().positive(),
  role: z.enum(ROLES, { error: "msg:users.err.role" }),
  regionCode: z
    .string()
    .trim()
    .max(12)
    .transform((v) => (v === "" ? null : v)),
});
export type TUserPost = z.infer<typeof ZUserPost>;

// No password is entered for another person's account: the system generates a one-time password
// and shows it once to whoever makes the step effective (lib/users/requests.ts).
// Every message names what to fix (issue 13, "forms that keep what was typed").
export const ZCreateUser = ZUserPost.omit({ userId: true }).extend({
  login: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{3,31}$/, "msg:users.err.login"),
  realName: z.string().trim().min(1, "msg:users.err.realName").max(64, "msg:users.err.realNameLong"),
});
export type TCreateUser = z.infer<typeof ZCreateUser>;

export const ZUserId = z.object({ userId: z.coerce.number().int().positive() });
export const ZResetPassword = ZUserId;
export const ZToggleUser = ZUserId;
export const ZRequestId = z.object({ requestId: z.coerce.number().int().positive() });

/** Self-service password change (also the change forced after a reset or at first sign-in). */
export const ZChangeOwnPassword = z
  .object({
    current: z.string().min(1, "msg:password.currentRequired").max(PASSWORD_MAX_LENGTH * 4),
    next: z.string().max(PASSWORD_MAX_LENGTH * 4),
    confirm: z.string().max(PASSWORD_MAX_LENGTH * 4),
  })
  .refine((v) => v.next === v.confirm, { path: ["confirm"], message: "msg:password.mismatch" });
export type TChangeOwnPassword = z.infer<typeof ZChangeOwnPassword>;
