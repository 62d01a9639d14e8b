import { spawn } from "node:child_process";
import path from "node:path";
import { buildIfNeeded, ROOT } from "./build";
import { appDatabase, authSecret } from "@/lib/db/database";
import { migrate } from "@/lib/db/migrate";
import { env } from "@/lib/env";
import { DEMO_PASSWORD, seedDemo } from "@/prisma/seed/demo";

// `npm start`: database (embedded unless DATABASE_URL), migrations, demo seed when empty, a build
// when the sources changed since the last one, then the Next.js server.

async function main() {
  const dev = process.argv.includes("--dev");
  const db = await appDatabase();
  await migrate(db.migrationUrl, (l) => console.log(`[migrate] ${l}`));
  const accounts = await seedDemo(db.url);
  if (!dev) buildIfNeeded();
  const port = env().PORT;
  const child = spawn(process.execPath, [path.join(ROOT, "node_modules/next/dist/bin/next"), dev ? "dev" : "start", "-p", String(port)], {
    cwd: ROOT,
    stdio: "inherit",
    env: { ...process.env, DATABASE_URL: db.url, NEXTAUTH_SECRET: authSecret(), NEXTAUTH_URL: env().NEXTAUTH_URL ?? `http://localhost:${port}`, NEXT_TELEMETRY_DISABLED: "1" },
  });
  console.log(`\n全民参保登记 portal: http://localhost:${port}  (database: ${db.url.replace(/:[^:@/]+@/, ":***@")})`);
  console.log(`Demo accounts (password "${DEMO_PASSWORD}"):`);
  for (const a of accounts) console.log(`  ${a.login.padEnd(10)} ${a.role.padEnd(19)} ${(a.regionCode ?? "-").padEnd(12)} ${a.realName}`);
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

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
