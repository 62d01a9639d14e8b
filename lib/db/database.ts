import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { env } from "@/lib/env";
import { type EmbeddedDatabase, startEmbedded } from "./embedded";

// Where the database comes from: DATABASE_URL (the application's role) and MIGRATION_DATABASE_URL
// (the owner role, for the migrations) when set, else the embedded server with its data under
// DATA_DIR (kept between runs), which has both roles.

export async function appDatabase(): Promise<EmbeddedDatabase> {
  const url = env().DATABASE_URL;
  if (url) return { url, migrationUrl: env().MIGRATION_DATABASE_URL ?? url, stop: async () => {} };
  return startEmbedded({ dir: path.join(env().DATA_DIR, "pg"), database: "enrolment", persistent: true });
}

/** NEXTAUTH_SECRET, or one generated once and kept in DATA_DIR. */
export function authSecret(): string {
  const fromEnv = env().NEXTAUTH_SECRET;
  if (fromEnv) return fromEnv;
  const file = path.join(env().DATA_DIR, "nextauth-secret");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(env().DATA_DIR, { recursive: true });
    fs.writeFileSync(file, crypto.randomBytes(32).toString("hex"), { mode: 0o600 });
  }
  return fs.readFileSync(file, "utf8").trim();
}
