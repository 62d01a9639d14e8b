import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { grantApplicationRoles, refuseForeignRoutines } from "./roles";
import { assertSupportedServer } from "./server-version";

// Applies prisma/migrations/<timestamp>_<name>/migration.sql in order and records each in
// `_prisma_migrations` exactly as `prisma migrate deploy` does (same table, same checksum: the
// SHA-256 of the file), so a machine that has Prisma's engines can take over with the CLI.
// The Prisma CLI cannot run migrations here (its schema engine is not on the npm registry).

export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, "../../prisma/migrations");

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export function listMigrations(dir = MIGRATIONS_DIR): MigrationFile[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: crypto.createHash("sha256").update(sql).digest("hex") };
    });
}

/** Applies pending migrations; returns the names applied. Refuses when an applied file was edited. */
export async function migrate(databaseUrl: string, log: (line: string) => void = () => {}): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  // An older server is refused before anything is asked of it (lib/db/server-version.ts).
  await assertSupportedServer(client).catch(async (e: unknown) => {
    await client.end();
    throw e;
  });
  const applied: string[] = [];
  try {
    // One migrator at a time (two `npm start` on one database must not race).
    await client.query("SELECT pg_advisory_lock(727274)");
    await client.query(CREATE_TABLE);
    await refuseForeignRoutines(client);
    const done = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`,
    );
    const byName = new Map(done.rows.map((r) => [r.migration_name, r]));
    for (const m of listMigrations()) {
      const row = byName.get(m.name);
      if (row?.finished_at) {
        if (row.checksum !== m.checksum) throw new Error(`Migration ${m.name} was changed after it was applied`);
        continue;
      }
      if (row) throw new Error(`Migration ${m.name} failed earlier and needs attention`);
      const started = new Date();
      await client.query("BEGIN");
      try {
        await client.query(m.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
           VALUES ($1, $2, now(), $3, $4, 1)`,
          [crypto.randomUUID(), m.checksum, m.name, started],
        );
        await client.query("COMMIT");
      } catch (e) {
        await client.query("ROLLBACK");
        throw new Error(`Migration ${m.name} failed: ${(e as Error).message}`);
      }
      applied.push(m.name);
      log(`applied ${m.name}`);
    }
    // The application's role gets its rights on what the migrations made (lib/db/roles.ts).
    await grantApplicationRoles(client);
  } finally {
    await client.query("SELECT pg_advisory_unlock(727274)").catch(() => {});
    await client.end();
  }
  return applied;
}
