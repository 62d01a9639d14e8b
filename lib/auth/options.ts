import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { auditInsertSql, auditRecord, writeAudit } from "@/lib/audit/log";
import { pool, prisma } from "@/lib/db/client";
import { decodeSessionToken, encodeSessionToken } from "./jwt";
import { hashPassword, needsRehash, verifyPassword } from "./password-hash";
import { clientAddress, lockedUntil, accountKey, addressKey, recordFailure } from "./throttle";

const ZCredentials = z.object({ login: z.string().trim().min(1).max(64), password: z.string().min(1).max(200) });

let dummyHash: Promise<string> | undefined;

/**
 * Checks a login and password; null when either is wrong, or the account is disabled or not
 * confirmed. `rehash` is a new hash of the password when the stored one is of an older kind
 * (bcrypt, lib/auth/password-hash.ts), for the caller to store.
 */
export async function verifyCredentials(login: string, password: string): Promise<{ id: number; login: string; sessionVersion: number; rehash?: string } | null> {
  const { rows } = await pool().query<{ id: number; login: string; passwordHash: string; active: boolean; confirmedAt: Date | null; sessionVersion: number }>(
    `SELECT id, login, password_hash AS "passwordHash", active, confirmed_at AS "confirmedAt", session_version AS "sessionVersion" FROM app_user WHERE login = $1`,
    [login],
  );
  const user = rows[0];
  // Compare against a fixed hash when the login is unknown, so response time does not reveal
  // which logins exist.
  const hash = user?.passwordHash ?? (await (dummyHash ??= hashPassword("not-a-password")));
  const ok = await verifyPassword(password, hash);
  if (!user || !ok || !user.active || !user.confirmedAt) return null;
  return { id: user.id, login: user.login, sessionVersion: user.sessionVersion, rehash: needsRehash(hash) ? await hashPassword(password) : undefined };
}

/** Thrown from authorize(): next-auth hands its message to the sign-in form as `error`. */
export const SIGN_IN_LOCKED = "locked";

/**
 * One sign-in attempt: refused without a password check while the login or the address is locked;
 * a failure is counted (and may lock); a success clears the login's count and starts the idle clock.
 * Every outcome is audited. Returns the user, null for wrong credentials, or throws SIGN_IN_LOCKED.
 */
export async function signInAttempt(login: string, password: string, address: string): Promise<{ id: number; login: string; sessionVersion: number } | null> {
  const lock = await lockedUntil([accountKey(login), addressKey(address)]);
  if (lock) {
    await writeAudit(null, { action: "auth.sign-in-locked", detail: { login, address, until: lock.toISOString() } });
    throw new Error(SIGN_IN_LOCKED);
  }
  const user = await verifyCredentials(login, password);
  if (!user) {
    await writeAudit(null, { action: "auth.sign-in-failed", detail: { login, address } });
    await recordFailure(login, address);
    return null;
  }
  // One statement, one commit: the login's failure count cleared (not the address's), the idle
  // clock started, an older kind of hash replaced, and the audit row.
  const audit = auditRecord(user, { action: "auth.sign-in", detail: { login, address } });
  await pool().query(
    `WITH cleared AS (DELETE FROM sign_in_throttle WHERE key = $1),
          touched AS (UPDATE app_user SET last_active_at = now(), updated_at = now(), password_hash = COALESCE($3, password_hash) WHERE id = $2)
     ${auditInsertSql(4)}`,
    [accountKey(login), user.id, user.rehash ?? null, JSON.stringify(audit)],
  );
  return { id: user.id, login: user.login, sessionVersion: user.sessionVersion };
}

/** Ends every session of the user whose token this is (when the token is still current). */
export async function revokeSessions(token: { uid?: unknown; sv?: unknown } | null | undefined): Promise<void> {
  if (typeof token?.uid !== "number" || typeof token.sv !== "number") return;
  const ended = await prisma().user.updateMany({ where: { id: token.uid, sessionVersion: token.sv }, data: { sessionVersion: { increment: 1 } } });
  if (ended.count) {
    const user = await prisma().user.findUnique({ where: { id: token.uid }, select: { id: true, login: true } });
    await writeAudit(user, { action: "auth.sign-out", entity: "user", entityId: String(token.uid) });
  }
}

export const authOptions: NextAuthOptions = {
  // maxAge is the absolute limit; the idle timeout is lib/auth/session.ts IDLE_MINUTES.
  session: { strategy: "jwt", maxAge: 8 * 60 * 60 },
  // next-auth's token format, with the derived key kept (lib/auth/jwt.ts).
  jwt: { encode: encodeSessionToken, decode: decodeSessionToken },
  pages: { signIn: "/sign-in" },
  providers: [
    CredentialsProvider({
      name: "credentials",
      credentials: { login: { type: "text" }, password: { type: "password" } },
      async authorize(raw, req) {
        const parsed = ZCredentials.safeParse(raw);
        if (!parsed.success) return null;
        const user = await signInAttempt(parsed.data.login, parsed.data.password, clientAddress(req?.headers));
        return user ? { id: String(user.id), name: user.login, sv: user.sessionVersion } : null;
      },
    }),
  ],
  callbacks: {
    // The token carries only the user id and the session version: role and region are read from the
    // database on every request (lib/auth/session.ts), so a change of post takes effect at once, and
    // a bumped session version (sign-out, password or post change, disable) ends every older token.
    async jwt({ token, user }) {
      if (user) {
        token.uid = Number(user.id);
        token.sv = (user as { sv?: number }).sv;
      }
      return token;
    },
    async session({ session, token }) {
      return { ...session, uid: token.uid, sv: token.sv };
    },
  },
  events: {
    // Signing out ends the session everywhere: the old cookie, replayed, no longer works.
    async signOut({ token }) {
      await revokeSessions(token as { uid?: unknown; sv?: unknown });
    },
  },
};
