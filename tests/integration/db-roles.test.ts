import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateCity } from "@/lib/comparison/generate";
import { runComparison } from "@/lib/comparison/run";
import { migrate } from "@/lib/db/migrate";
import { BULK_ROLE, OWNER_ROLE } from "@/lib/db/roles";
import { env } from "@/lib/env";
import { importFile } from "@/lib/import/import-file";
import { freshDatabase } from "../helpers/db";

// The application's login role (DATABASE_URL, as tests/run.ts and production connect) cannot rewrite
// the audit log by any route: not by DML, not by altering the table or its trigger, not by
// session_replication_role, not through the roles it may act as. And it still imports and compares.

const AS_OF = "2026-11-25";
let app: pg.Client;
let dir: string;

/** The error code of `sql` run as the application inside a savepoint, or "ok". */
async function attempt(sql: string): Promise<string> {
  await app.query("BEGIN");
  try {
    await app.query(sql);
    return "ok";
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  } finally {
    await app.query("ROLLBACK");
  }
}

beforeAll(async () => {
  await freshDatabase();
  app = new pg.Client({ connectionString: env().DATABASE_URL });
  await app.connect();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "roles-"));
});
afterAll(async () => {
  await app?.end();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function ownedByMe(): Promise<string[]> {
  const { rows } = await app.query<{ name: string }>(
    `SELECT relname AS name FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)
     UNION ALL SELECT nspname FROM pg_namespace WHERE nspowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)`,
  );
  return rows.map((r) => r.name);
}

describe("the application's database role", () => {
  it("is not a superuser, owns nothing, is no member of the owner role, and cannot gain superuser rights", async () => {
    const { rows } = await app.query<{ me: string; rolsuper: boolean; rolcreaterole: boolean; owner_member: boolean; audit_owner: string }>(
      `SELECT current_user AS me, r.rolsuper, r.rolcreaterole, pg_has_role(current_user, $1, 'MEMBER') AS owner_member,
              (SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = 'audit_log'::regclass) AS audit_owner
         FROM pg_roles r WHERE r.rolname = current_user`,
      [OWNER_ROLE],
    );
    expect(rows[0].me).not.toBe("postgres");
    expect(rows[0].rolsuper).toBe(false);
    expect(rows[0].rolcreaterole).toBe(false);
    expect(rows[0].owner_member).toBe(false);
    expect(rows[0].audit_owner).toBe(OWNER_ROLE);
    expect(await ownedByMe()).toEqual([]);
    // No role it may act as is a superuser or may bypass row security.
    const { rows: reachable } = await app.query<{ rolname: string }>(
      `SELECT rolname FROM pg_roles WHERE pg_has_role(current_user, oid, 'MEMBER') AND (rolsuper OR rolbypassrls OR rolcreaterole OR rolname = $1)`,
      [OWNER_ROLE],
    );
    expect(reachable).toEqual([]);
    const { rows: rights } = await app.query<{ right: string; me: boolean; bulk: boolean }>(
      `SELECT p AS right, has_table_privilege(current_user, 'audit_log', p) AS me, has_table_privilege($1, 'audit_log', p) AS bulk
         FROM unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'TRIGGER', 'REFERENCES']) AS p`,
      [BULK_ROLE],
    );
    expect(rights.filter((r) => r.me || r.bulk).map((r) => r.right)).toEqual(["SELECT", "INSERT"]);
  });

  it("may add to and read the audit log", async () => {
    await app.query(`INSERT INTO audit_log (user_login, action, entity, entity_id) VALUES ('roles-test', 'test.insert', 'test', '1')`);
    expect((await app.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'test.insert'`)).rows[0].n).toBe(1);
  });

  for (const [as, prefix] of [
    ["itself", ""],
    [BULK_ROLE, `SET LOCAL ROLE ${BULK_ROLE}; `],
  ] as const) {
    it(`cannot change, delete, truncate, alter or drop the audit log, nor disable its trigger, acting as ${as}`, async () => {
      const denied = "42501"; // insufficient_privilege
      expect(await attempt(`${prefix}DELETE FROM audit_log`)).toBe(denied);
      expect(await attempt(`${prefix}UPDATE audit_log SET action = 'x'`)).toBe(denied);
      expect(await attempt(`${prefix}TRUNCATE audit_log`)).toBe(denied);
      expect(await attempt(`${prefix}ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`)).toBe(denied);
      expect(await attempt(`${prefix}ALTER TABLE audit_log DISABLE TRIGGER ALL`)).toBe(denied);
      expect(await attempt(`${prefix}DROP TRIGGER audit_log_append_only ON audit_log`)).toBe(denied);
      expect(await attempt(`${prefix}DROP TABLE audit_log`)).toBe(denied);
      expect(await attempt(`${prefix}ALTER TABLE audit_log OWNER TO ${BULK_ROLE}`)).toBe(denied);
      expect(await attempt(`${prefix}CREATE OR REPLACE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN OLD; END $$`)).toBe(denied);
      // GRANT without the right only warns ("no privileges were granted"): nothing changes.
      expect(await attempt(`${prefix}GRANT DELETE, UPDATE, TRUNCATE ON audit_log TO ${BULK_ROLE}; DELETE FROM audit_log`)).toBe(denied);
      expect(await attempt(`${prefix}SET session_replication_role = replica`)).toBe(denied);
      expect(await attempt(`${prefix}SET LOCAL session_replication_role = replica`)).toBe(denied);
      expect(await attempt(`${prefix}SET ROLE ${OWNER_ROLE}`)).toBe(denied);
      expect(await attempt(`${prefix}SET ROLE postgres`)).toMatch(/^(42501|42704)$/);
      // The rows are still there.
      expect((await app.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'test.insert'`)).rows[0].n).toBe(1);
    });
  }

  it("cannot plant a function for the owner's migrations to run: migrating is refused until it is gone", async () => {
    // The bulk role may create in the public schema (its partitions); a look-alike function there
    // could be called by a migration with the owner's rights.
    await app.query(`CREATE FUNCTION public.lower(varchar) RETURNS text LANGUAGE sql AS $$ SELECT 'x' $$`);
    const ownerUrl = env().MIGRATION_DATABASE_URL!;
    await expect(migrate(ownerUrl)).rejects.toThrow(/迁移已拒绝.*lower\(character varying\)/);
    await app.query(`DROP FUNCTION public.lower(varchar)`);
    expect(await migrate(ownerUrl)).toEqual([]);
  });

  it("imports files and runs a comparison, and still owns nothing afterwards", async () => {
    const gen = await generateCity({ persons: 300, outDir: dir, seed: 11, asOf: AS_OF, expected: false });
    for (const f of gen.files) await importFile({ kind: f.kind, filePath: path.join(dir, f.file) });
    const s = await runComparison({ asOf: AS_OF });
    expect(s.runId).toBeGreaterThan(0);
    const { rows } = await app.query<{ n: number }>(`SELECT count(*)::int AS n FROM comparison_result WHERE run_id = $1`, [s.runId]);
    expect(rows[0].n).toBeGreaterThan(0);
    const parts = await app.query<{ owner: string }>(
      `SELECT DISTINCT pg_get_userbyid(c.relowner) AS owner FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent IN ('comparison_result'::regclass, 'population_record'::regclass)`,
    );
    expect(parts.rows.map((r) => r.owner)).toEqual([BULK_ROLE]);
    expect(await ownedByMe()).toEqual([]);
    expect((await app.query(`SELECT count(*)::int AS n FROM audit_log WHERE action IN ('import.run', 'comparison.run')`)).rows[0].n).toBe(gen.files.length + 1);
  });
});
