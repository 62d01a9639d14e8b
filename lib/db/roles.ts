import pg from "pg";

// The database roles (README "The application cannot rewrite the audit log"):
// - the owner (OWNER_ROLE on the embedded server, the user of MIGRATION_DATABASE_URL elsewhere) runs
//   the migrations and owns every table, the audit log included;
// - BULK_ROLE, a role nobody logs in as, owns the partitioned tables (the import's record tables,
//   comparison_result), their partitions and the registry (person), whose indexes the comparison's
//   bulk path sets aside: the import and the comparison act as it (SET LOCAL ROLE) to create and
//   attach partitions. It has the DML the application needs on every table, and on audit_log only
//   INSERT and SELECT;
// - the application's login role (APP_ROLE, the user of DATABASE_URL) is a member of BULK_ROLE and
//   has nothing else: it is no superuser, owns no table, and neither it nor BULK_ROLE can update,
//   delete, truncate, alter or disable the trigger of audit_log, nor set session_replication_role.
// Works on PostgreSQL 15 and later.

export const OWNER_ROLE = "enrolment_owner";
export const BULK_ROLE = "enrolment_bulk";
export const APP_ROLE = "enrolment_app";

const ident = pg.escapeIdentifier;
const literal = pg.escapeLiteral;

/** As a superuser: creates the three roles (or sets the login roles' passwords when they exist). */
export async function createRoles(superuser: pg.ClientBase, passwords: { owner: string; app: string }): Promise<void> {
  const exists = async (role: string) => ((await superuser.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [role])).rowCount ?? 0) > 0;
  const limits = "NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS";
  for (const [role, password] of [
    [OWNER_ROLE, passwords.owner],
    [APP_ROLE, passwords.app],
  ] as const) {
    const verb = (await exists(role)) ? "ALTER" : "CREATE";
    await superuser.query(`${verb} ROLE ${ident(role)} LOGIN INHERIT ${limits} PASSWORD ${literal(password)}`);
  }
  if (!(await exists(BULK_ROLE))) await superuser.query(`CREATE ROLE ${ident(BULK_ROLE)} NOLOGIN ${limits}`);
  // The owner hands the partitioned tables to the bulk role (which needs membership); the
  // application acts as it. Neither is ever a member of the owner.
  for (const member of [OWNER_ROLE, APP_ROLE]) {
    const granted = await superuser.query(
      "SELECT 1 FROM pg_auth_members WHERE roleid = to_regrole($1) AND member = to_regrole($2)",
      [BULK_ROLE, member],
    );
    if (!granted.rowCount) await superuser.query(`GRANT ${ident(BULK_ROLE)} TO ${ident(member)}`);
  }
}

/**
 * As a superuser, connected to the application's database: the owner owns the database and the
 * objects of its public schema a superuser owned (a database made before the roles existed had them
 * all owned by the superuser; what other roles made is left to them), the bulk role may create the
 * comparison's working schema and temporary functions.
 */
export async function prepareDatabase(superuser: pg.ClientBase): Promise<void> {
  const db = (await superuser.query<{ db: string }>("SELECT current_database() AS db")).rows[0].db;
  await superuser.query(`ALTER DATABASE ${ident(db)} OWNER TO ${ident(OWNER_ROLE)}`);
  await superuser.query(`GRANT CONNECT, CREATE, TEMPORARY ON DATABASE ${ident(db)} TO ${ident(BULK_ROLE)}`);
  await superuser.query(`REVOKE CREATE ON DATABASE ${ident(db)} FROM PUBLIC`);
  await superuser.query(`
    DO $$
    DECLARE r record;
    BEGIN
      FOR r IN SELECT c.oid::regclass AS name, c.relkind FROM pg_class c
                WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm')
                  AND (SELECT rolsuper FROM pg_roles WHERE oid = c.relowner) LOOP
        EXECUTE format('ALTER %s %s OWNER TO ${OWNER_ROLE}', CASE r.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END, r.name);
      END LOOP;
      FOR r IN SELECT c.oid::regclass AS name FROM pg_class c
                WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'S'
                  AND (SELECT rolsuper FROM pg_roles WHERE oid = c.relowner)
                  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')) LOOP
        EXECUTE format('ALTER SEQUENCE %s OWNER TO ${OWNER_ROLE}', r.name);
      END LOOP;
      FOR r IN SELECT t.oid::regtype AS name FROM pg_type t
                WHERE t.typnamespace = 'public'::regnamespace AND t.typtype IN ('e', 'd')
                  AND (SELECT rolsuper FROM pg_roles WHERE oid = t.typowner) LOOP
        EXECUTE format('ALTER TYPE %s OWNER TO ${OWNER_ROLE}', r.name);
      END LOOP;
      FOR r IN SELECT p.oid::regprocedure AS name FROM pg_proc p
                WHERE p.pronamespace = 'public'::regnamespace AND (SELECT rolsuper FROM pg_roles WHERE oid = p.proowner) LOOP
        EXECUTE format('ALTER ROUTINE %s OWNER TO ${OWNER_ROLE}', r.name);
      END LOOP;
    END $$`);
}

/**
 * As the owner, after the migrations: the bulk role owns the partitioned tables, their partitions and
 * the registry, and gets its DML (on audit_log INSERT and SELECT only). Nothing happens when the
 * roles were not set up (a single-role installation) or when the caller is not the owner.
 */
export async function grantApplicationRoles(owner: pg.ClientBase): Promise<boolean> {
  const { rows } = await owner.query<{ ok: boolean }>(
    `SELECT to_regrole($1) IS NOT NULL
        AND to_regclass('public.audit_log') IS NOT NULL
        AND pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = 'public._prisma_migrations'::regclass), 'USAGE')
        AND pg_has_role(current_user, $1, 'MEMBER') AS ok`,
    [BULK_ROLE],
  );
  if (!rows[0]?.ok) return false;
  const bulk = ident(BULK_ROLE);
  await owner.query("BEGIN");
  try {
    await owner.query(`GRANT USAGE, CREATE ON SCHEMA public TO ${bulk}`);
    await owner.query(`
      DO $$
      DECLARE r record;
      BEGIN
        FOR r IN SELECT c.oid::regclass AS name FROM pg_class c
                  WHERE c.relnamespace = 'public'::regnamespace AND c.relowner <> ${literal(BULK_ROLE)}::regrole
                    AND (c.relkind = 'p' OR (c.relkind = 'r' AND (c.relispartition OR c.relname = 'person'))) LOOP
          EXECUTE format('ALTER TABLE %s OWNER TO ${BULK_ROLE}', r.name);
        END LOOP;
      END $$`);
    await owner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${bulk}`);
    await owner.query(`REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_log FROM ${bulk}`);
    await owner.query(`REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON _prisma_migrations FROM ${bulk}`);
    await owner.query(`GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${bulk}`);
    await owner.query("COMMIT");
  } catch (e) {
    await owner.query("ROLLBACK");
    throw e;
  }
  return true;
}

/**
 * Before the owner runs migrations: refuses when the public schema holds functions, procedures or
 * operators that another role made (the bulk role may create objects there, for its partitions). A
 * migration calling a function by name could otherwise resolve to such a look-alike and run it with
 * the owner's rights (CVE-2018-1058's pattern): the owner could be made to disable the audit trigger.
 */
export async function refuseForeignRoutines(owner: pg.ClientBase): Promise<void> {
  const { rows } = await owner.query<{ name: string; who: string }>(
    `WITH o AS (SELECT relowner FROM pg_class WHERE oid = to_regclass('public._prisma_migrations'))
     SELECT p.oid::regprocedure::text AS name, pg_get_userbyid(p.proowner) AS who FROM pg_proc p, o
      WHERE p.pronamespace = 'public'::regnamespace AND p.proowner <> o.relowner
     UNION ALL
     SELECT x.oid::regoperator::text, pg_get_userbyid(x.oprowner) FROM pg_operator x, o
      WHERE x.oprnamespace = 'public'::regnamespace AND x.oprowner <> o.relowner
     ORDER BY 1`,
  );
  if (rows.length) {
    throw new Error(
      `迁移已拒绝：public 模式中有不属于迁移角色的函数或运算符（${rows.map((r) => `${r.name} 属于 ${r.who}`).join("；")}），迁移可能以所有者权限执行它们。请先核查并删除。
` +
        `Migration refused: the public schema holds functions or operators the migration role does not own (${rows.map((r) => `${r.name} of ${r.who}`).join("; ")}); a migration could run them with the owner's rights. Check and drop them first.`,
    );
  }
}

/**
 * Inside a transaction: act as the owner of `table` (the bulk role) until it ends, so that the
 * partitions and working tables it creates belong to that role and never to the login role.
 */
export async function actAsOwnerOf(client: pg.ClientBase, table: string): Promise<void> {
  const { rows } = await client.query<{ owner: string; me: string; member: boolean }>(
    "SELECT pg_get_userbyid(relowner) AS owner, current_user AS me, pg_has_role(current_user, relowner, 'MEMBER') AS member FROM pg_class WHERE oid = $1::regclass",
    [table],
  );
  if (rows[0] && rows[0].owner !== rows[0].me && rows[0].member) await client.query(`SET LOCAL ROLE ${ident(rows[0].owner)}`);
}

/** `url` with another user and password (the same server and database). */
export function withCredentials(url: string, user: string, password: string): string {
  const u = new URL(url);
  u.username = encodeURIComponent(user);
  u.password = encodeURIComponent(password);
  return u.toString();
}
