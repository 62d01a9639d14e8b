import crypto from "node:crypto";
import pg from "pg";
import { disconnect } from "@/lib/db/client";
import { prepareDatabase } from "@/lib/db/roles";
import { setEnv } from "@/lib/env";

// Each integration test file gets its own database, copied from the migrated template that
// tests/run.ts prepares (CREATE DATABASE … TEMPLATE is a file copy: fast, and never the demo data).

function templateUrl(): URL {
  const url = process.env.TEST_TEMPLATE_URL;
  if (!url) throw new Error("TEST_TEMPLATE_URL is not set: run the tests with `npm test`");
  return new URL(url);
}

/** The template's URL as `variable`'s user (the owner or the application role), on `database`. */
function asRole(variable: "TEST_OWNER_URL" | "TEST_APP_URL", database: string, fallback: URL): string {
  const url = new URL(process.env[variable] ?? fallback.toString());
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * Creates a fresh migrated database and points DATABASE_URL (and the app's clients) at it as the
 * application's role, MIGRATION_DATABASE_URL as the owner role, as in production.
 */
export async function freshDatabase(): Promise<string> {
  const template = templateUrl();
  const name = `t_${crypto.randomBytes(6).toString("hex")}`;
  const adminUrl = new URL(template.toString());
  adminUrl.pathname = "/postgres";
  const client = new pg.Client({ connectionString: adminUrl.toString() });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}" TEMPLATE "${template.pathname.slice(1)}"`);
  } finally {
    await client.end();
  }
  const admin = new URL(template.toString());
  admin.pathname = `/${name}`;
  if (process.env.TEST_APP_URL) {
    // The database's own rights (the template's are not copied): owner, CREATE for the bulk role.
    const onDb = new pg.Client({ connectionString: admin.toString() });
    await onDb.connect();
    try {
      await prepareDatabase(onDb);
    } finally {
      await onDb.end();
    }
  }
  const url = asRole("TEST_APP_URL", name, template);
  await disconnect();
  setEnv("DATABASE_URL", url);
  setEnv("MIGRATION_DATABASE_URL", asRole("TEST_OWNER_URL", name, template));
  return url;
}
