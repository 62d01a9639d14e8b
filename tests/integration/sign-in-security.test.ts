import bcrypt from "bcryptjs";
import { decode, encode } from "next-auth/jwt";
import { beforeAll, describe, expect, it } from "vitest";
import { authOptions, signInAttempt, SIGN_IN_LOCKED } from "@/lib/auth/options";
import { actingUser, IDLE_MINUTES, resolveSessionToken, type SessionToken } from "@/lib/auth/session";
import { ACCOUNT_LIMIT, ADDRESS_LIMIT } from "@/lib/auth/throttle";
import { createAdmin, demoSeedWanted } from "@/lib/cli/accounts";
import { prisma } from "@/lib/db/client";
import { changeOwnPassword, toggleActive } from "@/lib/users/mutations";
import { freshDatabase } from "../helpers/db";

// Issue 11, findings 3 and 4: lockout per account and per address (in the database), revoked
// sessions (sign-out, password change, disable, idle), the forced password change, create-admin.

const PASSWORD = "Known-pass-2026";
const SECRET = "a-test-secret-of-at-least-32-characters";
const users = new Map<string, number>();

/** Signs in and returns the session cookie the browser would hold (a real next-auth JWT). */
async function cookieFor(login: string, password = PASSWORD, address = "192.0.2.1"): Promise<string> {
  const user = await signInAttempt(login, password, address);
  if (!user) throw new Error(`sign-in of ${login} failed`);
  const token = await authOptions.callbacks!.jwt!({ token: {}, user: { id: String(user.id), name: user.login, sv: user.sessionVersion } as never, account: null, trigger: "signIn" } as never);
  return encode({ token, secret: SECRET });
}

/** What a request carrying the cookie is served as. */
async function replay(cookie: string, now?: Date) {
  return resolveSessionToken((await decode({ token: cookie, secret: SECRET })) as SessionToken | null, now);
}

async function signOut(cookie: string): Promise<void> {
  await authOptions.events!.signOut!({ token: (await decode({ token: cookie, secret: SECRET }))! } as never);
}

beforeAll(async () => {
  await freshDatabase();
  await prisma().region.create({ data: { code: "3204", name: "常州市", level: "CITY" } });
  const passwordHash = await bcrypt.hash(PASSWORD, 4);
  for (const login of ["alice", "bob", "carol", "dave", "erin", "frank", "grace"]) {
    const u = await prisma().user.create({ data: { login, realName: login, passwordHash, role: "CITY_STAFF", regionCode: "3204", confirmedAt: new Date() } });
    users.set(login, u.id);
  }
});

describe("lockout", () => {
  it(`locks an account after ${ACCOUNT_LIMIT} failures, even for the right password, and audits it`, async () => {
    for (let i = 0; i < ACCOUNT_LIMIT; i++) expect(await signInAttempt("alice", `wrong-${i}`, `198.51.100.${i}`)).toBeNull();
    await expect(signInAttempt("alice", PASSWORD, "198.51.100.200")).rejects.toThrow(SIGN_IN_LOCKED);
    // Another account from the same addresses is not affected.
    expect(await signInAttempt("bob", PASSWORD, "198.51.100.1")).not.toBeNull();
    const lock = await prisma().auditLog.findFirstOrThrow({ where: { action: "auth.lockout" } });
    expect(lock.detail).toMatchObject({ login: "alice", scope: "account" });
    expect(await prisma().auditLog.count({ where: { action: "auth.sign-in-locked" } })).toBe(1);
    expect(await prisma().auditLog.count({ where: { action: "auth.sign-in-failed" } })).toBe(ACCOUNT_LIMIT);
  });

  it("lets the account in again once the lock has passed, and a success clears its count", async () => {
    await prisma().signInThrottle.updateMany({ where: { key: "login:alice" }, data: { lockedUntil: new Date(Date.now() - 1000), windowStart: new Date(Date.now() - 3600_000) } });
    expect(await signInAttempt("alice", PASSWORD, "198.51.100.9")).not.toBeNull();
    expect(await prisma().signInThrottle.count({ where: { key: "login:alice" } })).toBe(0);
  });

  it("counts unknown logins like known ones (a lock reveals nothing)", async () => {
    for (let i = 0; i < ACCOUNT_LIMIT; i++) await signInAttempt("nobody", "x", `203.0.113.${i}`);
    await expect(signInAttempt("nobody", "x", "203.0.113.99")).rejects.toThrow(SIGN_IN_LOCKED);
  });

  it(`locks an address after ${ADDRESS_LIMIT} failures across logins (password spraying)`, async () => {
    for (let i = 0; i < ADDRESS_LIMIT; i++) await signInAttempt(`spray${i}`, "Password@123", "192.0.2.66");
    await expect(signInAttempt("carol", PASSWORD, "192.0.2.66")).rejects.toThrow(SIGN_IN_LOCKED);
    expect(await signInAttempt("carol", PASSWORD, "192.0.2.67")).not.toBeNull();
    expect(await prisma().auditLog.count({ where: { action: "auth.lockout", detail: { path: ["scope"], equals: "address" } } })).toBe(1);
  });
});

describe("sessions are revoked", () => {
  it("an old cookie no longer works after sign-out (and a new sign-in does not revive it)", async () => {
    const cookie = await cookieFor("dave");
    expect(await replay(cookie)).toMatchObject({ login: "dave" });
    await signOut(cookie);
    expect(await replay(cookie)).toBeNull();
    const fresh = await cookieFor("dave");
    expect(await replay(fresh)).toMatchObject({ login: "dave" });
    expect(await replay(cookie)).toBeNull();
    expect(await prisma().auditLog.count({ where: { action: "auth.sign-out", entityId: String(users.get("dave")) } })).toBe(1);
  });

  it("an old cookie no longer works after a password change, nor the old password", async () => {
    const cookie = await cookieFor("erin");
    await changeOwnPassword({ id: users.get("erin")!, login: "erin" }, { current: PASSWORD, next: "Harbour-lights-77", confirm: "Harbour-lights-77" });
    expect(await replay(cookie)).toBeNull();
    expect(await signInAttempt("erin", PASSWORD, "192.0.2.2")).toBeNull();
    expect(await replay(await cookieFor("erin", "Harbour-lights-77"))).toMatchObject({ login: "erin", mustChangePassword: false });
  });

  it("an old cookie no longer works after the account is disabled, even once it is enabled again", async () => {
    const cookie = await cookieFor("frank");
    const admin = await createAdmin("root-frank", "管理员");
    const actor = { id: admin.id, login: "root-frank", role: "SYSTEM_ADMIN" as const, regionCode: null };
    await toggleActive(actor, users.get("frank")!);
    expect(await replay(cookie)).toBeNull();
    await toggleActive(actor, users.get("frank")!);
    expect(await replay(cookie)).toBeNull();
  });

  it(`a session ends after ${IDLE_MINUTES} minutes without a request`, async () => {
    const cookie = await cookieFor("grace");
    const soon = new Date(Date.now() + (IDLE_MINUTES - 1) * 60_000);
    expect(await replay(cookie, soon)).toMatchObject({ login: "grace" }); // a request: the clock restarts
    expect(await replay(cookie, new Date(soon.getTime() + (IDLE_MINUTES - 1) * 60_000))).toMatchObject({ login: "grace" });
    const idle = new Date(soon.getTime() + (2 * IDLE_MINUTES + 1) * 60_000);
    expect(await replay(cookie, idle)).toBeNull();
    expect(await replay(cookie)).toBeNull(); // ended for good, not just while idle
    expect(await prisma().auditLog.count({ where: { action: "auth.idle-timeout", entityId: String(users.get("grace")) } })).toBe(1);
  });
});

describe("create-admin and the forced password change", () => {
  it("creates an administrator whose one-time password must be changed before anything else", async () => {
    const { oneTimePassword } = await createAdmin("root", "系统管理员");
    await expect(createAdmin("root", "again")).rejects.toThrow(/exists/);
    const cookie = await cookieFor("root", oneTimePassword);
    const session = await replay(cookie);
    expect(session).toMatchObject({ login: "root", role: "SYSTEM_ADMIN", mustChangePassword: true });
    // Such a session may do nothing else: it is no acting user for pages and actions.
    expect(actingUser(session)).toBeNull();

    const me = { id: session!.id, login: "root" };
    const change = (next: string, current = oneTimePassword) => changeOwnPassword(me, { current, next, confirm: next });
    await expect(change("Short1!")).rejects.toMatchObject({ key: "password.tooShort" });
    await expect(change("alllowercaseletters")).rejects.toMatchObject({ key: "password.classes" });
    await expect(change("Root-account-9")).rejects.toMatchObject({ key: "password.containsLogin" });
    await expect(change("Password@123")).rejects.toMatchObject({ key: "password.common" });
    await expect(change("Granite-sky-31", "not-the-password")).rejects.toMatchObject({ key: "password.currentWrong" });
    expect(await prisma().signInThrottle.findUnique({ where: { key: "login:root" } })).toMatchObject({ failures: 1 });
    expect((await replay(cookie))?.mustChangePassword).toBe(true);

    await change("Granite-sky-31");
    expect(await replay(cookie)).toBeNull();
    expect(await signInAttempt("root", oneTimePassword, "192.0.2.3")).toBeNull();
    const after = await replay(await cookieFor("root", "Granite-sky-31"));
    expect(actingUser(after)).toMatchObject({ login: "root" });
    expect(await prisma().auditLog.count({ where: { action: "user.change-own-password", detail: { path: ["forced"], equals: true } } })).toBe(1);
  });

  it("wrong current passwords on the change page lock the account like failed sign-ins", async () => {
    const me = { id: users.get("bob")!, login: "bob" };
    for (let i = 0; i < ACCOUNT_LIMIT; i++) {
      await expect(changeOwnPassword(me, { current: `guess-${i}`, next: "Meadow-stone-64", confirm: "Meadow-stone-64" }, "192.0.2.80")).rejects.toMatchObject({ key: "password.currentWrong" });
    }
    await expect(changeOwnPassword(me, { current: PASSWORD, next: "Meadow-stone-64", confirm: "Meadow-stone-64" }, "192.0.2.81")).rejects.toMatchObject({ key: "auth.locked" });
    await expect(signInAttempt("bob", PASSWORD, "192.0.2.82")).rejects.toThrow(SIGN_IN_LOCKED);
  });

  it("npm start seeds the demo only into the embedded database or when asked", () => {
    expect(demoSeedWanted(undefined, [])).toBe(true);
    expect(demoSeedWanted("postgres://db.example/prod", [])).toBe(false);
    expect(demoSeedWanted("postgres://db.example/prod", ["--seed-demo"])).toBe(true);
  });
});
