import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { buildIfNeeded } from "@/lib/cli/build";
import { freePort, startEmbedded } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import { APP_ROLE, createRoles, OWNER_ROLE, prepareDatabase, withCredentials } from "@/lib/db/roles";
import { seedDemo } from "@/prisma/seed/demo";

// `npm test`: every test against a real PostgreSQL — unit and integration (vitest), then end-to-end
// (Playwright in Chromium against the built portal). Embedded PostgreSQL in a temporary folder unless
// TEST_DATABASE_URL names a server; every run uses fresh databases, never the demo data.
// Ends with one line "N passed, N failed".

const ROOT = path.resolve(import.meta.dirname, "..");
const only = (() => {
  const i = process.argv.indexOf("--only");
  return i >= 0 ? new Set(process.argv[i + 1].split(",")) : new Set(["static", "unit", "integration", "e2e"]);
})();
const extraArgs = (() => {
  const i = process.argv.indexOf("--");
  return i >= 0 ? process.argv.slice(i + 1) : [];
})();

interface Tally {
  passed: number;
  failed: number;
  skipped: number;
}

function run(cmd: string, args: string[], env: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: "inherit", env: { ...process.env, ...env } });
    child.on("exit", (code) => resolve(code ?? 1));
  });
}

interface TestDatabase {
  /** The superuser's (or the given user's) connection. */
  adminUrl: string;
  /** The owner role's connection: migrations. */
  ownerUrl: string;
  /** The application role's connection: what the tests and the portal use, as in production. */
  appUrl: string;
}

/**
 * On a server where we are superuser (the embedded one, or a TEST_DATABASE_URL such as CI's
 * PostgreSQL 15), the owner and application roles of lib/db/roles.ts, with passwords of this run.
 * Elsewhere the tests run as the given user alone (null).
 */
async function setUpRoles(serverUrl: string): Promise<{ owner: string; app: string } | null> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const su = await client.query<{ rolsuper: boolean }>("SELECT rolsuper FROM pg_roles WHERE rolname = current_user");
    if (!su.rows[0]?.rolsuper) return null;
    const passwords = { owner: crypto.randomBytes(18).toString("base64url"), app: crypto.randomBytes(18).toString("base64url") };
    await createRoles(client, passwords);
    return passwords;
  } finally {
    await client.end();
  }
}

async function createDatabase(serverUrl: string, name: string, roles: { owner: string; app: string } | null): Promise<TestDatabase> {
  const admin = new URL(serverUrl);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`CREATE DATABASE "${name}"`);
  await client.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const adminUrl = url.toString();
  if (!roles) return { adminUrl, ownerUrl: adminUrl, appUrl: adminUrl };
  const onDb = new pg.Client({ connectionString: adminUrl });
  await onDb.connect();
  try {
    await prepareDatabase(onDb);
  } finally {
    await onDb.end();
  }
  return { adminUrl, ownerUrl: withCredentials(adminUrl, OWNER_ROLE, roles.owner), appUrl: withCredentials(adminUrl, APP_ROLE, roles.app) };
}

/** The tests that run again on TEST_EXTRA_DATABASE_URL. */
const EXTRA_SERVER_TESTS = [
  "tests/integration/comparison",
  "tests/integration/import",
  "tests/integration/partitions.test.ts",
  "tests/integration/server-version.test.ts",
  "tests/integration/db-roles.test.ts",
  "tests/integration/backup.test.ts",
];

async function serverVersion(serverUrl: string): Promise<string> {
  const admin = new URL(serverUrl);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    return (await client.query<{ v: string }>("SELECT 'PostgreSQL ' || current_setting('server_version') AS v")).rows[0].v;
  } finally {
    await client.end();
  }
}

/**
 * Vitest on a fresh migrated template database of `serverUrl`; adds its counts to the tally. With
 * `roles` (the server's owner and application roles), the template is migrated as the owner and the
 * tests connect as the application role, as production does (tests/helpers/db.ts).
 */
async function runVitest(serverUrl: string, roles: { owner: string; app: string } | null, template: string, args: string[], tally: Tally, outDir: string): Promise<void> {
  const db = await createDatabase(serverUrl, template, roles);
  await migrate(db.ownerUrl);
  const report = path.join(outDir, `vitest-${template}.json`);
  await run(process.execPath, [path.join(ROOT, "node_modules/vitest/vitest.mjs"), "run", "--config", "tests/vitest.config.ts", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...args], {
    // tests/helpers/db.ts copies the template as the superuser, then connects as the roles.
    TEST_TEMPLATE_URL: db.adminUrl,
    ...(roles ? { TEST_OWNER_URL: db.ownerUrl, TEST_APP_URL: db.appUrl } : {}),
    DATABASE_URL: db.appUrl,
    MIGRATION_DATABASE_URL: db.ownerUrl,
  });
  if (fs.existsSync(report)) {
    const r = JSON.parse(fs.readFileSync(report, "utf8"));
    tally.passed += r.numPassedTests;
    tally.failed += Math.max(r.numFailedTests, r.numFailedTestSuites ?? 0);
    tally.skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  } else tally.failed += 1;
}

/** CHROMIUM_PATH, Debian's Chromium, or a browser Playwright installed itself (never downloaded here). */
export async function findChromium(): Promise<string | null> {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"];
  for (const c of candidates) if (c && fs.existsSync(c)) return c;
  try {
    const { chromium } = await import("@playwright/test");
    const own = chromium.executablePath();
    if (own && fs.existsSync(own)) return own;
  } catch {
    /* no Playwright browser registry: fall through */
  }
  return null;
}

async function main() {
  const tally: Tally = { passed: 0, failed: 0, skipped: 0 };
  let server: { url: string; stop: () => Promise<void> };
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) server = { url: serverUrl, stop: async () => {} };
  else {
    const embedded = await startEmbedded({ dir: fs.mkdtempSync(path.join(os.tmpdir(), "enrolment-test-pg-")), database: "postgres", persistent: false });
    server = { url: embedded.superuserUrl, stop: embedded.stop };
  }
  const roles = await setUpRoles(server.url);
  const suffix = crypto.randomBytes(4).toString("hex");
  const extraServerUrl = process.env.TEST_EXTRA_DATABASE_URL;
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "enrolment-test-out-"));
  try {
    if (only.has("static")) {
      // Type check and lint the whole project (the build itself skips type errors: next.config.ts).
      for (const [label, args] of [
        ["typecheck (tsc --noEmit)", [path.join(ROOT, "node_modules/typescript/bin/tsc"), "--noEmit", "-p", "tsconfig.json"]],
        ["lint (eslint)", [path.join(ROOT, "node_modules/eslint/bin/eslint.js"), "."]],
      ] as const) {
        const code = await run(process.execPath, [...args], {});
        console.log(`${code === 0 ? "✓" : "✗"} ${label}`);
        if (code === 0) tally.passed += 1;
        else tally.failed += 1;
      }
    }
    if (only.has("unit") || only.has("integration")) {
      // Files named after `--` narrow the run; otherwise the chosen folders run whole.
      const named = extraArgs.some((a) => !a.startsWith("-"));
      const filters = named ? [] : [...(only.has("unit") ? ["tests/unit"] : []), ...(only.has("integration") ? ["tests/integration"] : [])];
      await runVitest(server.url, roles, `tmpl_${suffix}`, [...filters, ...extraArgs], tally, outDir);
    }
    // A second server (CI: Debian's PostgreSQL 15, the oldest supported) runs the tests of the SQL
    // that depends most on the server: the comparison, the import and the partitions.
    if (extraServerUrl && only.has("integration")) {
      const version = await serverVersion(extraServerUrl);
      console.log(`\n── integration tests on the second server (${version}) ──`);
      await runVitest(extraServerUrl, await setUpRoles(extraServerUrl), `tmpl2_${suffix}`, [...EXTRA_SERVER_TESTS, ...extraArgs.filter((a) => a.startsWith("-"))], tally, outDir);
    }
    if (only.has("e2e")) {
      const chromium = await findChromium();
      if (!chromium) {
        console.error("No Chromium found for the end-to-end tests. Install Debian's package (apt-get install -y chromium), or set CHROMIUM_PATH to a Chromium binary.");
        tally.failed += 1;
      } else {
        const e2e = await createDatabase(server.url, `e2e_${suffix}`, roles);
        await migrate(e2e.ownerUrl);
        const e2eUrl = e2e.appUrl;
        await seedDemo(e2eUrl);
        buildIfNeeded();
        const port = await freePort();
        // As `npm start` serves it: the client-address hook preloaded (lib/cli/client-address.cjs).
        const app = spawn(process.execPath, ["--require", path.join(ROOT, "lib/cli/client-address.cjs"), path.join(ROOT, "node_modules/next/dist/bin/next"), "start", "-p", String(port)], {
          cwd: ROOT,
          stdio: ["ignore", "ignore", "inherit"],
          env: { ...process.env, DATABASE_URL: e2eUrl, NEXTAUTH_SECRET: crypto.randomBytes(32).toString("hex"), NEXTAUTH_URL: `http://localhost:${port}`, NEXT_TELEMETRY_DISABLED: "1" },
        });
        try {
          await waitForHttp(`http://localhost:${port}/sign-in`, 60_000);
          const report = path.join(outDir, "playwright.json");
          await run(process.execPath, [path.join(ROOT, "node_modules/@playwright/test/cli.js"), "test", "--config", "tests/e2e/playwright.config.ts", ...extraArgs], {
            BASE_URL: `http://localhost:${port}`,
            CHROMIUM_PATH: chromium,
            DATABASE_URL: e2eUrl,
            PLAYWRIGHT_JSON_OUTPUT_NAME: report,
          });
          if (fs.existsSync(report)) {
            const r = JSON.parse(fs.readFileSync(report, "utf8"));
            tally.passed += r.stats.expected;
            tally.failed += r.stats.unexpected + (r.errors?.length ?? 0);
            tally.skipped += r.stats.skipped;
            tally.passed += r.stats.flaky ?? 0;
          } else tally.failed += 1;
        } finally {
          app.kill("SIGTERM");
        }
      }
    }
  } finally {
    await server.stop();
    fs.rmSync(outDir, { recursive: true, force: true });
  }
  console.log(`\n${tally.passed} passed, ${tally.failed} failed${tally.skipped ? `, ${tally.skipped} skipped` : ""}`);
  process.exit(tally.failed > 0 || tally.passed === 0 ? 1 : 0);
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`portal did not start at ${url}`);
}

main().catch((e) => {
  console.error(e);
  console.log("\n0 passed, 1 failed");
  process.exit(1);
});
