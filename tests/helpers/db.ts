import crypto from "node:crypto";
import pg from "pg";
import { disconnect } from "@/lib/db/client";
import { setEnv } from "@/lib/env";

// Each integration test file gets its own database, copied from the migrated template that
// tests/run.ts prepares (CREATE DATABASE … TEMPLATE is a file copy: fast, and never the demo data).

function templateUrl(): URL {
  const url = process.env.TEST_TEMPLATE_URL;
  if (!url) throw new Error("TEST_TEMPLATE_URL is not set: run the tests with `npm test`");
  return new URL(url);
}

/** Creates a fresh migrated database, points DATABASE_URL (and the app's clients) at it. */
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
  const url = new URL(template.toString());
  url.pathname = `/${name}`;
  await disconnect();
  setEnv("DATABASE_URL", url.toString());
  return url.toString();
}
