import bcrypt from "bcryptjs";
import { DomainError } from "@/lib/auth/action";
import { writeAudit } from "@/lib/audit/log";
import { prisma, type Tx } from "@/lib/db/client";
import { type Actor, requirePermission, ROLE_LEVEL, type TRole } from "@/lib/policy";
import type { TCreateUser, TUserPost } from "./schema";

async function checkPostRegion(tx: Tx, role: TRole, regionCode: string | null): Promise<void> {
  const level = ROLE_LEVEL[role];
  if (level === null) {
    if (regionCode) throw new DomainError("users.noRegionForAdmin", undefined, "regionCode");
    return;
  }
  const region = regionCode ? await tx.region.findUnique({ where: { code: regionCode } }) : null;
  if (!region || region.level !== level) throw new DomainError("users.regionLevel", { level }, "regionCode");
}

export async function createUser(actor: Actor, input: TCreateUser): Promise<number> {
  requirePermission(actor, "admin:users");
  const passwordHash = await bcrypt.hash(input.password, 10);
  return prisma().$transaction(async (tx) => {
    await checkPostRegion(tx, input.role, input.regionCode);
    if (await tx.user.findUnique({ where: { login: input.login } })) throw new DomainError("users.loginTaken", undefined, "login");
    const user = await tx.user.create({
      data: { login: input.login, realName: input.realName, passwordHash, role: input.role, regionCode: input.regionCode, posts: { create: { role: input.role, regionCode: input.regionCode, changedById: actor.id } } },
    });
    await writeAudit(actor, { action: "user.create", entity: "user", entityId: String(user.id), detail: { login: input.login, role: input.role, regionCode: input.regionCode } }, tx);
    return user.id;
  });
}

/** Changes a user's post; their rights change at once (sessions read role and region per request). */
export async function changePost(actor: Actor, input: TUserPost): Promise<void> {
  requirePermission(actor, "admin:users");
  await prisma().$transaction(async (tx) => {
    await checkPostRegion(tx, input.role, input.regionCode);
    const before = await tx.user.findUniqueOrThrow({ where: { id: input.userId } });
    await tx.userPost.updateMany({ where: { userId: input.userId, endedAt: null }, data: { endedAt: new Date() } });
    await tx.userPost.create({ data: { userId: input.userId, role: input.role, regionCode: input.regionCode, changedById: actor.id } });
    await tx.user.update({ where: { id: input.userId }, data: { role: input.role, regionCode: input.regionCode } });
    await writeAudit(actor, { action: "user.change-post", entity: "user", entityId: String(input.userId), detail: { from: { role: before.role, regionCode: before.regionCode }, to: { role: input.role, regionCode: input.regionCode } } }, tx);
  });
}

export async function resetPassword(actor: Actor, userId: number, password: string): Promise<void> {
  requirePermission(actor, "admin:users");
  const passwordHash = await bcrypt.hash(password, 10);
  await prisma().$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { passwordHash } });
    await writeAudit(actor, { action: "user.reset-password", entity: "user", entityId: String(userId) }, tx);
  });
}

export async function toggleActive(actor: Actor, userId: number): Promise<void> {
  requirePermission(actor, "admin:users");
  await prisma().$transaction(async (tx) => {
    const user = await tx.user.findUniqueOrThrow({ where: { id: userId } });
    await tx.user.update({ where: { id: userId }, data: { active: !user.active } });
    await writeAudit(actor, { action: user.active ? "user.disable" : "user.enable", entity: "user", entityId: String(userId) }, tx);
  });
}
