import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";
import { cache } from "react";
import { writeAudit } from "@/lib/audit/log";
import { prisma } from "@/lib/db/client";
import type { Actor, TRole } from "@/lib/policy";
import { authOptions } from "./options";

export interface SessionUser extends Actor {
  realName: string;
  regionName: string | null;
  regionLevel: string | null;
}

/** A session that is valid but may do nothing until its password is changed. */
export interface ResolvedSession extends SessionUser {
  mustChangePassword: boolean;
}

/** What the session token carries: the user id and the session version it was issued under. */
export interface SessionToken {
  uid?: number;
  sv?: number;
}

/** A session ends after this long without a request (issue 11, finding 3). */
export const IDLE_MINUTES = 30;
/** The last-active time is written at most this often, so that requests do not all write. */
const ACTIVE_WRITE_SECONDS = 60;

/**
 * The user a session token stands for now, or null. Role, region and the active flag are read from
 * the database on every request, and the token is refused when its session version is not the
 * account's (sign-out, password or post change, disable bump it), when the account is not confirmed,
 * or when the account made no request for IDLE_MINUTES (which also bumps the version, so the token
 * stays dead after a fresh sign-in elsewhere).
 */
export async function resolveSessionToken(token: SessionToken | null | undefined, now = new Date()): Promise<ResolvedSession | null> {
  if (!token?.uid || typeof token.sv !== "number") return null;
  const user = await prisma().user.findUnique({ where: { id: token.uid }, include: { region: true } });
  if (!user || !user.active || !user.confirmedAt || user.sessionVersion !== token.sv) return null;
  const idleSince = user.lastActiveAt?.getTime() ?? now.getTime();
  if (now.getTime() - idleSince > IDLE_MINUTES * 60_000) {
    const ended = await prisma().user.updateMany({ where: { id: user.id, sessionVersion: token.sv }, data: { sessionVersion: { increment: 1 } } });
    if (ended.count) await writeAudit(user, { action: "auth.idle-timeout", entity: "user", entityId: String(user.id), detail: { minutes: IDLE_MINUTES } });
    return null;
  }
  if (now.getTime() - idleSince > ACTIVE_WRITE_SECONDS * 1000 || !user.lastActiveAt) {
    await prisma().user.updateMany({ where: { id: user.id, sessionVersion: token.sv }, data: { lastActiveAt: now } });
  }
  return {
    id: user.id,
    login: user.login,
    role: user.role as TRole,
    regionCode: user.regionCode,
    realName: user.realName,
    regionName: user.region?.name ?? null,
    regionLevel: user.region?.level ?? null,
    mustChangePassword: user.mustChangePassword,
  };
}

/**
 * The valid session of this request, including one that must change its password first. Resolved
 * once per request (React's per-request cache): the layout and the page both ask for it, and each
 * ask would otherwise decode the token and read the account again.
 */
export const resolveSession = cache(async (): Promise<ResolvedSession | null> => {
  return resolveSessionToken((await getServerSession(authOptions)) as SessionToken | null);
});

/**
 * The signed-in user as the database has them now, or null (signed out, disabled, removed, revoked,
 * idle, or obliged to change their password first: such a session may do nothing else).
 */
export async function currentUser(): Promise<SessionUser | null> {
  return actingUser(await resolveSession());
}

/** A session may act only once its password no longer has to be changed. */
export function actingUser(session: ResolvedSession | null): SessionUser | null {
  if (!session || session.mustChangePassword) return null;
  return session;
}

/** Where a session that must change its password is sent. */
export const CHANGE_PASSWORD_PATH = "/account/password";

/** For pages and actions: the user, or a redirect to sign-in (or to the forced password change). */
export async function requireUser(): Promise<SessionUser> {
  const user = await resolveSession();
  if (!user) redirect("/sign-in");
  if (user.mustChangePassword) redirect(CHANGE_PASSWORD_PATH);
  return user;
}
