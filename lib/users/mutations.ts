import { hashPassword, verifyPassword } from "@/lib/auth/password-hash";
import crypto from "node:crypto";
import { DomainError } from "@/lib/auth/errors";
import { generateOneTimePassword, passwordProblem } from "@/lib/auth/password-policy";
import { accountKey, addressKey, lockedUntil, recordFailure } from "@/lib/auth/throttle";
import { writeAudit } from "@/lib/audit/log";
import { prisma, type Tx } from "@/lib/db/client";
import { ACCOUNT_CONFIRMER, type Actor, requirePermission, ROLE_LEVEL, type TRole } from "@/lib/policy";
import type { TChangeOwnPassword, TCreateUser, TUserPost } from "./schema";

// Account administration (issue 11, finding 1: no single administrator reaches personal data).
// - A system administrator account carries no business right: it is created, reset, enabled and
//   disabled by an administrator at once. It never holds a post, and no account changes between
//   administrator and business post.
// - A business account, a change of its post and a reset of its password are only *requested* by
//   the administrator (account_request); they take effect when a business user at the level above
//   confirms (lib/users/requests.ts). Until then the new account cannot sign in, the post does not
//   change, the old password stays the one that works.
// - No one types a password for another person: the system generates a one-time password and shows
//   it once to whoever makes the step effective (the confirmer for business accounts, the
//   administrator for administrator accounts); it must be changed at the first sign-in.

/** The cost of the bcrypt hashes written before scrypt (lib/auth/password-hash.ts); those are still verified. */
export const BCRYPT_ROUNDS = 10;

export function newOneTimePassword(): string {
  return generateOneTimePassword((max) => crypto.randomInt(max));
}

/** A hash nobody knows the password of (an account awaiting confirmation). */
async function unusableHash(): Promise<string> {
  return hashPassword(crypto.randomBytes(32).toString("base64"));
}

export async function checkPostRegion(tx: Tx, role: TRole, regionCode: string | null): Promise<void> {
  const level = ROLE_LEVEL[role];
  if (level === null) {
    if (regionCode) throw new DomainError("users.noRegionForAdmin", undefined, "regionCode");
    return;
  }
  const region = regionCode ? await tx.region.findUnique({ where: { code: regionCode } }) : null;
  // The message names the level the role needs, by its label (users.err.regionLevel.<LEVEL>).
  if (!region || region.level !== level) throw new DomainError(`users.err.regionLevel.${level}`, undefined, "regionCode");
}

export type AccountStepResult = { userId: number; pending: true } | { userId: number; pending: false; oneTimePassword: string };

async function openRequest(tx: Tx, actor: Actor, kind: "CREATE" | "CHANGE_POST" | "RESET_PASSWORD", userId: number, role: TRole, regionCode: string): Promise<number> {
  const confirmerRole = ACCOUNT_CONFIRMER[role];
  if (!confirmerRole) throw new DomainError("users.adminNoPost", undefined, "role");
  if (await tx.accountRequest.findFirst({ where: { userId, state: "PENDING" } })) throw new DomainError("users.pendingRequest");
  const request = await tx.accountRequest.create({ data: { kind, userId, role, regionCode, confirmerRole, requestedById: actor.id } });
  return request.id;
}

export async function createUser(actor: Actor, input: TCreateUser): Promise<AccountStepResult> {
  requirePermission(actor, "admin:users");
  const admin = input.role === "SYSTEM_ADMIN";
  const oneTimePassword = admin ? newOneTimePassword() : null;
  const passwordHash = oneTimePassword ? await hashPassword(oneTimePassword) : await unusableHash();
  return prisma().$transaction(async (tx) => {
    await checkPostRegion(tx, input.role, input.regionCode);
    if (await tx.user.findUnique({ where: { login: input.login } })) throw new DomainError("users.loginTaken", undefined, "login");
    const user = await tx.user.create({
      data: {
        login: input.login,
        realName: input.realName,
        passwordHash,
        role: input.role,
        regionCode: input.regionCode,
        mustChangePassword: true,
        // An administrator account is usable at once; a business account only once confirmed.
        confirmedAt: admin ? new Date() : null,
        posts: admin ? { create: { role: input.role, regionCode: null, changedById: actor.id } } : undefined,
      },
    });
    if (oneTimePassword) {
      await writeAudit(actor, { action: "user.create", entity: "user", entityId: String(user.id), detail: { login: input.login, role: input.role } }, tx);
      return { userId: user.id, pending: false as const, oneTimePassword };
    }
    const requestId = await openRequest(tx, actor, "CREATE", user.id, input.role, input.regionCode!);
    await writeAudit(actor, { action: "user.request-create", entity: "user", entityId: String(user.id), regionCode: input.regionCode, detail: { requestId, login: input.login, role: input.role, regionCode: input.regionCode } }, tx);
    return { userId: user.id, pending: true as const };
  });
}

/** Requests a change of a business account's post; it takes effect when confirmed. */
export async function changePost(actor: Actor, input: TUserPost): Promise<AccountStepResult> {
  requirePermission(actor, "admin:users");
  return prisma().$transaction(async (tx) => {
    const before = await tx.user.findUniqueOrThrow({ where: { id: input.userId } });
    if (before.role === "SYSTEM_ADMIN" || input.role === "SYSTEM_ADMIN") throw new DomainError("users.adminNoPost", undefined, "role");
    if (!before.confirmedAt) throw new DomainError("users.pendingRequest");
    await checkPostRegion(tx, input.role, input.regionCode);
    if (before.role === input.role && before.regionCode === input.regionCode) throw new DomainError("users.samePost", undefined, "role");
    const requestId = await openRequest(tx, actor, "CHANGE_POST", input.userId, input.role, input.regionCode!);
    await writeAudit(actor, { action: "user.request-post", entity: "user", entityId: String(input.userId), regionCode: input.regionCode, detail: { requestId, from: { role: before.role, regionCode: before.regionCode }, to: { role: input.role, regionCode: input.regionCode } } }, tx);
    return { userId: input.userId, pending: true as const };
  });
}

/** Resets a password: at once for an administrator account, on confirmation for a business account. */
export async function resetPassword(actor: Actor, userId: number): Promise<AccountStepResult> {
  requirePermission(actor, "admin:users");
  const oneTimePassword = newOneTimePassword();
  const passwordHash = await hashPassword(oneTimePassword);
  return prisma().$transaction(async (tx) => {
    const user = await tx.user.findUniqueOrThrow({ where: { id: userId } });
    if (user.role === "SYSTEM_ADMIN") {
      await tx.user.update({ where: { id: userId }, data: { passwordHash, mustChangePassword: true, sessionVersion: { increment: 1 } } });
      await writeAudit(actor, { action: "user.reset-password", entity: "user", entityId: String(userId) }, tx);
      return { userId, pending: false as const, oneTimePassword };
    }
    if (!user.confirmedAt) throw new DomainError("users.pendingRequest");
    const requestId = await openRequest(tx, actor, "RESET_PASSWORD", userId, user.role as TRole, user.regionCode!);
    await writeAudit(actor, { action: "user.request-reset", entity: "user", entityId: String(userId), regionCode: user.regionCode, detail: { requestId } }, tx);
    return { userId, pending: true as const };
  });
}

/** The administrator withdraws their pending request for an account (a withdrawn new account stays unusable). */
export async function withdrawAccountRequest(actor: Actor, userId: number): Promise<void> {
  requirePermission(actor, "admin:users");
  await prisma().$transaction(async (tx) => {
    const request = await tx.accountRequest.findFirst({ where: { userId, state: "PENDING" } });
    if (!request) throw new DomainError("users.requestDecided");
    const withdrawn = await tx.accountRequest.updateMany({ where: { id: request.id, state: "PENDING" }, data: { state: "WITHDRAWN", decidedById: actor.id, decidedAt: new Date() } });
    if (withdrawn.count !== 1) throw new DomainError("users.requestDecided");
    if (request.kind === "CREATE") await tx.user.update({ where: { id: userId }, data: { active: false } });
    await writeAudit(actor, { action: "user.withdraw-request", entity: "user", entityId: String(userId), regionCode: request.regionCode, detail: { requestId: request.id, kind: request.kind } }, tx);
  });
}

/** Enables or disables an account; disabling ends its sessions. */
/**
 * 启用 / 停用 as two distinct steps (issue 13): asking to enable an enabled account (or disable a
 * disabled one) is refused with what the account's state is, so that a stale page cannot flip it.
 */
export async function setActive(actor: Actor, userId: number, active: boolean): Promise<void> {
  requirePermission(actor, "admin:users");
  if (userId === actor.id && !active) throw new DomainError("users.notSelf");
  await prisma().$transaction(async (tx) => {
    const user = await tx.user.findUniqueOrThrow({ where: { id: userId } });
    if (user.active === active) throw new DomainError(active ? "users.err.alreadyEnabled" : "users.err.alreadyDisabled");
    await tx.user.update({ where: { id: userId }, data: { active, sessionVersion: { increment: 1 } } });
    await writeAudit(actor, { action: active ? "user.enable" : "user.disable", entity: "user", entityId: String(userId) }, tx);
  });
}

export async function toggleActive(actor: Actor, userId: number): Promise<void> {
  requirePermission(actor, "admin:users");
  if (userId === actor.id) throw new DomainError("users.notSelf");
  await prisma().$transaction(async (tx) => {
    const user = await tx.user.findUniqueOrThrow({ where: { id: userId } });
    await tx.user.update({ where: { id: userId }, data: { active: !user.active, sessionVersion: { increment: 1 } } });
    await writeAudit(actor, { action: user.active ? "user.disable" : "user.enable", entity: "user", entityId: String(userId) }, tx);
  });
}

/**
 * A user changes their own password (seed 003 第二十条; also the change forced after a reset or at
 * first sign-in): the current password, then the policy. Every session of the account ends (the
 * caller signs in again with the new password).
 */
export async function changeOwnPassword(actor: Pick<Actor, "id" | "login">, input: TChangeOwnPassword, address = "session"): Promise<void> {
  const user = await prisma().user.findUniqueOrThrow({ where: { id: actor.id } });
  // A wrong current password counts like a failed sign-in, so a taken-over session cannot try
  // passwords here either; while the account is locked the password is not checked.
  if (await lockedUntil([accountKey(user.login), addressKey(address)])) throw new DomainError("auth.locked");
  if (!(await verifyPassword(input.current, user.passwordHash))) {
    await recordFailure(user.login, address);
    throw new DomainError("password.currentWrong", undefined, "current");
  }
  const problem = passwordProblem(input.next, user.login);
  if (problem) throw new DomainError(problem, undefined, "next");
  if (input.next === input.current) throw new DomainError("password.same", undefined, "next");
  const passwordHash = await hashPassword(input.next);
  await prisma().$transaction(async (tx) => {
    await tx.user.update({ where: { id: actor.id }, data: { passwordHash, mustChangePassword: false, passwordChangedAt: new Date(), sessionVersion: { increment: 1 } } });
    await writeAudit(actor, { action: "user.change-own-password", entity: "user", entityId: String(actor.id), detail: { forced: user.mustChangePassword } }, tx);
  });
}
