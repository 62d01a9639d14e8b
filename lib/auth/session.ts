import { getToken } from "next-auth/jwt";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { writeAudit } from "@/lib/audit/log";
import { pool, prisma } from "@/lib/db/client";
import type { Actor, TRole } from "@/lib/policy";
import { decodeSessionToken } from "./jwt";

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
  // Every request of every page and action comes here: one plain SQL round trip through the pg
  // pool (no ORM query to compile), the user with their region.
  const { rows } = await pool().query<{
    id: number;
    login: string;
    role: TRole;
    regionCode: string | null;
    realName: string;
    active: boolean;
    confirmedAt: Date | null;
    sessionVersion: number;
    lastActiveAt: Date | null;
    mustChangePassword: boolean;
    regionName: string | null;
    regionLevel: string | null;
  }>(
    `SELECT u.id, u.login, u.role::text AS role, u.region_code AS "regionCode", u.real_name AS "realName", u.active,
            u.confirmed_at AS "confirmedAt", u.session_version AS "sessionVersion", u.last_active_at AS "lastActiveAt",
            u.must_change_password AS "mustChangePassword", r.name AS "regionName", r.level::text AS "regionLevel"
       FROM app_user u LEFT JOIN region r ON r.code = u.region_code
      WHERE u.id = $1::int`,
    [token.uid],
  );
  const user = rows[0];
  if (!user || !user.active || !user.confirmedAt || user.sessionVersion !== token.sv) return null;
  const idleSince = user.lastActiveAt?.getTime() ?? now.getTime();
  if (now.getTime() - idleSince > IDLE_MINUTES * 60_000) {
    const ended = await prisma().user.updateMany({ where: { id: user.id, sessionVersion: token.sv }, data: { sessionVersion: { increment: 1 } } });
    if (ended.count) await writeAudit(user, { action: "auth.idle-timeout", entity: "user", entityId: String(user.id), detail: { minutes: IDLE_MINUTES } });
    return null;
  }
  if (now.getTime() - idleSince > ACTIVE_WRITE_SECONDS * 1000 || !user.lastActiveAt) {
    await pool().query(`UPDATE app_user SET last_active_at = $3, updated_at = now() WHERE id = $1 AND session_version = $2`, [user.id, token.sv, now]);
  }
  return {
    id: user.id,
    login: user.login,
    role: user.role,
    regionCode: user.regionCode,
    realName: user.realName,
    regionName: user.regionName,
    regionLevel: user.regionLevel,
    mustChangePassword: user.mustChangePassword,
  };
}

/**
 * The valid session of this request, including one that must change its password first. Resolved
 * once per request (React's per-request cache): the layout and the page both ask for it.
 */
export const resolveSession = cache(async (): Promise<ResolvedSession | null> => {
  // The token straight from its cookie (next-auth's getToken: cookie name, chunks), decoded once.
  // getServerSession would also run next-auth's session handler, which encodes a fresh token that
  // a page cannot even set; the session's limits are the token's absolute maxAge and the idle
  // timeout and session version checked below.
  const jar = await cookies();
  const token = await getToken({
    req: { cookies: Object.fromEntries(jar.getAll().map((c) => [c.name, c.value])), headers: {} } as never,
    decode: decodeSessionToken,
  }).catch(() => null);
  return resolveSessionToken(token as SessionToken | null);
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
