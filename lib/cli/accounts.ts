import { hashPassword } from "@/lib/auth/password-hash";
import pg from "pg";
import { DomainError } from "@/lib/auth/errors";
import { writeAudit } from "@/lib/audit/log";
import { prisma } from "@/lib/db/client";
import { translator } from "@/lib/i18n/messages";
import { newOneTimePassword } from "@/lib/users/mutations";
import { confirmAccountRequestBootstrap } from "@/lib/users/requests";
import { ZCreateUser } from "@/lib/users/schema";

// CLI account commands (issue 11, finding 4): the first administrator of a real database, and the
// confirmation of the first business accounts, which have no one above them yet.

/**
 * Whether `npm start` seeds the demo city: into the embedded default database (no DATABASE_URL), or
 * into DATABASE_URL's only when asked with --seed-demo. A real database never gets the demo accounts
 * by accident.
 */
export function demoSeedWanted(databaseUrl: string | undefined, argv: readonly string[]): boolean {
  return !databaseUrl || argv.includes("--seed-demo");
}

export async function countUsers(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return Number((await client.query<{ n: string }>("SELECT count(*) AS n FROM app_user")).rows[0].n);
  } finally {
    await client.end();
  }
}

/**
 * Creates a system administrator with a one-time password (printed once), to be changed at the first
 * sign-in. Refuses a login that exists.
 */
export async function createAdmin(login: string, realName: string): Promise<{ id: number; oneTimePassword: string }> {
  const input = ZCreateUser.parse({ login, realName, role: "SYSTEM_ADMIN", regionCode: "" });
  const oneTimePassword = newOneTimePassword();
  const passwordHash = await hashPassword(oneTimePassword);
  return prisma().$transaction(async (tx) => {
    if (await tx.user.findUnique({ where: { login: input.login } })) throw new Error(`login "${input.login}" exists already`);
    const user = await tx.user.create({
      data: {
        login: input.login,
        realName: input.realName,
        passwordHash,
        role: "SYSTEM_ADMIN",
        mustChangePassword: true,
        confirmedAt: new Date(),
        posts: { create: { role: "SYSTEM_ADMIN", regionCode: null } },
      },
    });
    await writeAudit(null, { action: "user.create", entity: "user", entityId: String(user.id), detail: { login: input.login, role: "SYSTEM_ADMIN", via: "cli" } }, tx);
    return { id: user.id, oneTimePassword };
  });
}

export async function createAdminCommand(flags: Record<string, string | true>): Promise<void> {
  if (typeof flags.login !== "string") throw new Error("usage: npm run cli -- create-admin --login <login> [--name <real name>]");
  const name = typeof flags.name === "string" ? flags.name : "系统管理员";
  const { oneTimePassword } = await createAdmin(flags.login, name);
  console.log(`administrator "${flags.login}" created`);
  console.log(`one-time password: ${oneTimePassword}`);
  console.log("It is shown only now and must be changed at the first sign-in.");
}

export async function confirmAccountCommand(flags: Record<string, string | true>): Promise<void> {
  const id = Number(flags.request);
  if (!Number.isInteger(id) || id <= 0) {
    const pending = await prisma().accountRequest.findMany({ where: { state: "PENDING" }, include: { user: { select: { login: true } } }, orderBy: { id: "asc" } });
    console.log("usage: npm run cli -- confirm-account --request <id>\npending requests:");
    for (const r of pending) console.log(`  ${String(r.id).padStart(5)}  ${r.kind.padEnd(15)} ${r.user.login.padEnd(16)} ${r.role} ${r.regionCode} (confirmer: ${r.confirmerRole})`);
    return;
  }
  const result = await confirmAccountRequestBootstrap(id).catch((e: unknown) => {
    throw e instanceof DomainError ? new Error(translator("zh")(e.key, e.params)) : e;
  });
  console.log(`request ${id} (${result.kind}) of "${result.login}" confirmed`);
  if (result.oneTimePassword) console.log(`one-time password: ${result.oneTimePassword} (shown only now; must be changed at the first sign-in)`);
}
