import { writeAudit } from "@/lib/audit/log";
import { pool, prisma } from "@/lib/db/client";

// Sign-in throttling and lockout (issue 11, finding 3). Failures are counted in the database
// (sign_in_throttle), so the limits hold across processes and restarts:
// - per account (key "login:<login>", known or not, so a lock does not reveal which logins exist):
//   ACCOUNT_LIMIT failures within WINDOW lock the login for LOCK; a successful sign-in clears it;
// - per client address (key "ip:<address>"): ADDRESS_LIMIT failures within WINDOW lock the address
//   for LOCK, whatever logins it tries (password spraying); a success does not clear it.
// While locked, the password is not even checked. Every lock is audited (auth.lockout), as is every
// refused attempt during one (auth.sign-in-locked).

export const ACCOUNT_LIMIT = 5;
export const ADDRESS_LIMIT = 20;
export const WINDOW_MINUTES = 15;
export const LOCK_MINUTES = 15;

export const accountKey = (login: string) => `login:${login.trim().toLowerCase()}`;
export const addressKey = (address: string) => `ip:${address}`;

/**
 * The client address of a sign-in request: the header `x-portal-client`, which the serving process
 * itself sets from its socket (lib/cli/client-address.cjs, preloaded by `npm start`'s workers and the
 * test server), overwriting any a client sends — a client cannot choose it. Without that preload (a
 * bare `next dev`) the rightmost X-Forwarded-For entry, which Next.js fills from the socket when the
 * client sent none. The per-account lock holds either way.
 */
export function clientAddress(headers: Record<string, unknown> | undefined): string {
  const own = headers?.["x-portal-client"];
  if (typeof own === "string" && own) return own.slice(0, 64);
  const raw = headers?.["x-forwarded-for"] ?? headers?.["x-real-ip"];
  const value = Array.isArray(raw) ? raw.join(",") : typeof raw === "string" ? raw : "";
  const parts = value.split(",").map((p) => p.trim()).filter(Boolean);
  return (parts.at(-1) ?? "unknown").slice(0, 64);
}

/** The lock in force on any of the keys (latest end), or null. */
export async function lockedUntil(keys: string[]): Promise<Date | null> {
  const { rows } = await pool().query<{ until: Date | null }>(`SELECT max(locked_until) AS until FROM sign_in_throttle WHERE key = ANY($1::text[]) AND locked_until > now()`, [keys]);
  return rows[0]?.until ?? null;
}

/** Counts one failure on a key atomically; returns whether this failure locked it. */
async function countFailure(key: string, limit: number): Promise<boolean> {
  const rows = await prisma().$queryRaw<{ failures: number; locked: boolean }[]>`
    INSERT INTO sign_in_throttle AS t (key, failures, window_start, locked_until)
    VALUES (${key}, 1, now(), CASE WHEN 1 >= ${limit}::int THEN now() + make_interval(mins => ${LOCK_MINUTES}::int) END)
    ON CONFLICT (key) DO UPDATE SET
      failures = CASE WHEN t.window_start < now() - make_interval(mins => ${WINDOW_MINUTES}::int) THEN 1 ELSE t.failures + 1 END,
      window_start = CASE WHEN t.window_start < now() - make_interval(mins => ${WINDOW_MINUTES}::int) THEN now() ELSE t.window_start END,
      locked_until = CASE
        WHEN (CASE WHEN t.window_start < now() - make_interval(mins => ${WINDOW_MINUTES}::int) THEN 1 ELSE t.failures + 1 END) >= ${limit}::int
        THEN now() + make_interval(mins => ${LOCK_MINUTES}::int)
        ELSE t.locked_until END
    RETURNING failures, (failures = ${limit}::int) AS locked`;
  return rows[0]?.locked ?? false;
}

/** Records a failed sign-in for the login and the address, auditing a lock it causes. */
export async function recordFailure(login: string, address: string): Promise<void> {
  const [accountLocked, addressLocked] = [await countFailure(accountKey(login), ACCOUNT_LIMIT), await countFailure(addressKey(address), ADDRESS_LIMIT)];
  if (accountLocked) await writeAudit(null, { action: "auth.lockout", detail: { login, address, scope: "account", failures: ACCOUNT_LIMIT, minutes: LOCK_MINUTES } });
  if (addressLocked) await writeAudit(null, { action: "auth.lockout", detail: { login, address, scope: "address", failures: ADDRESS_LIMIT, minutes: LOCK_MINUTES } });
}

/** A successful sign-in clears the account's count (not the address's). */
export async function clearAccount(login: string): Promise<void> {
  await prisma().signInThrottle.deleteMany({ where: { key: accountKey(login) } });
}
