import { spawn } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { buildIfNeeded, ROOT } from "./build";
import { appDatabase, authSecret } from "@/lib/db/database";
import { migrate } from "@/lib/db/migrate";
import { env } from "@/lib/env";
import { type DemoAccount, DEMO_PASSWORD, seedDemo } from "@/prisma/seed/demo";
import { countUsers, demoSeedWanted } from "./accounts";

// `npm start`: database (embedded unless DATABASE_URL), migrations, demo seed when empty, a build
// when the sources changed since the last one, then the Next.js server (`next start` in one worker
// process per CPU, or `--workers N` / PORTAL_WORKERS, behind one port: lib/cli/serve-cluster.mjs).
//
// The demo city (with its demo accounts and their published password) is seeded only into the
// embedded default database, or into DATABASE_URL's when asked explicitly with `npm start --
// --seed-demo` (or `npm run cli -- seed`). A real database gets no demo account: its first
// administrator is created with `npm run cli -- create-admin --login X` (issue 11, finding 4).

async function main() {
  const dev = process.argv.includes("--dev");
  const db = await appDatabase();
  await migrate(db.migrationUrl, (l) => console.log(`[migrate] ${l}`));
  const accounts: DemoAccount[] = demoSeedWanted(env().DATABASE_URL, process.argv) ? await seedDemo(db.url) : [];
  if (!dev) buildIfNeeded();
  const port = env().PORT;
  // Production: `next start` in several worker processes behind the one port (serve-cluster.mjs),
  // by default one per CPU; `--workers N` or PORTAL_WORKERS=N chooses. `next dev` stays one process.
  const workers = flagValue("--workers") ?? String(env().PORTAL_WORKERS ?? os.availableParallelism());
  const command = dev
    ? [path.join(ROOT, "node_modules/next/dist/bin/next"), "dev", "-p", String(port)]
    : [path.join(ROOT, "lib/cli/serve-cluster.mjs"), "--workers", workers, "--", "start", "-p", String(port)];
  const child = spawn(process.execPath, command, {
    cwd: ROOT,
    stdio: "inherit",
    // `next dev` preloads the client-address hook as serve-cluster's workers do (sign-in lockout per address).
    env: { ...process.env, ...(dev ? { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${path.join(ROOT, "lib/cli/client-address.cjs")}`.trim() } : {}), DATABASE_URL: db.url, NEXTAUTH_SECRET: authSecret(), NEXTAUTH_URL: env().NEXTAUTH_URL ?? `http://localhost:${port}`, NEXT_TELEMETRY_DISABLED: "1" },
  });
  console.log(`\n全民参保登记 portal: http://localhost:${port}  (database: ${db.url.replace(/:[^:@/]+@/, ":***@")})`);
  if (accounts.length) {
    console.log(`Demo accounts (password "${DEMO_PASSWORD}"):`);
    for (const a of accounts) console.log(`  ${a.login.padEnd(10)} ${a.role.padEnd(19)} ${(a.regionCode ?? "-").padEnd(12)} ${a.realName}`);
  } else if ((await countUsers(db.url)) === 0) {
    console.log("No account yet: create the first administrator with  npm run cli -- create-admin --login <login>");
  }
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    child.kill("SIGINT");
    await db.stop();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  child.on("exit", async (code) => {
    if (!stopping) {
      await db.stop();
      process.exit(code ?? 1);
    }
  });
}

function flagValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
