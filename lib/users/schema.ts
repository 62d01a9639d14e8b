import { z } from "zod";
import { ROLES } from "@/lib/policy/permissions";

export const ZPassword = z.string().min(8, "msg:users.passwordRule").max(200);

export const ZUserPost = z.object({
  userId: z.coerce.number().int().positive(),
  role: z.enum(ROLES),
  regionCode: z
    .string()
    .trim()
    .transform((v) => (v === "" ? null : v)),
});
export type TUserPost = z.infer<typeof ZUserPost>;

export const ZCreateUser = ZUserPost.omit({ userId: true }).extend({
  login: z.string().trim().min(2).max(64).regex(/^[A-Za-z0-9_.-]+$/),
  realName: z.string().trim().min(1).max(64),
  password: ZPassword,
});
export type TCreateUser = z.infer<typeof ZCreateUser>;

export const ZResetPassword = z.object({ userId: z.coerce.number().int().positive(), password: ZPassword });
export const ZToggleUser = z.object({ userId: z.coerce.number().int().positive() });
