import crypto from "node:crypto";
import { once } from "node:events";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { actAsOwnerOf } from "@/lib/db/roles";
import { appliedMigrations, dataTables } from "./backup";
import { countRows, FORMAT, type Frame, type Header, type Manifest, parseJson, readFrames } from "./format";
import { BackupError } from "./messages";

// `npm run cli -- restore --file FILE`: first reads the whole archive and checks it against its
// manifest (every table's rows and checksum, the archive's checksum, its end) without touching the
// database; then checks that the target has the same migrations and holds no rows; then restores in
// one transaction: the partitions of the archive's layout, every table by COPY FROM STDIN in the
// archive's (foreign-key) order, the sequences' values. A failure anywhere rolls it all back.

const ident = pg.escapeIdentifier;

export interface VerifiedArchive {
  header: Header;
  manifest: Manifest;
}

/** Walks the archive's frames, checking each table against the manifest; `onTable` may consume the rows. */
async function walk(file: string, onTable?: (name: string, chunks: AsyncGenerator<Buffer>) => Promise<void>): Promise<VerifiedArchive> {
  const frames = readFrames(file);
  const next = async (): Promise<Frame> => {
    const r = await frames.next();
    if (r.done) throw new BackupError("backup.err.truncated", {});
    return r.value;
  };
  const first = await next();
  if (first.type !== "H") throw new BackupError("backup.err.corrupt", {});
  const header = parseJson<Header>(first);
  if (header.format !== FORMAT) throw new BackupError("backup.err.format", { format: String(header.format) });
  const seen: { name: string; rows: number; sha256: string }[] = [];
  let frame = await next();
  while (frame.type === "T") {
    const { name } = parseJson<{ name: string }>(frame);
    const hash = crypto.createHash("sha256");
    let rows = 0;
    let ended = false;
    async function* chunks(): AsyncGenerator<Buffer> {
      for (;;) {
        const f = await next();
        if (f.type === "E") {
          ended = true;
          return;
        }
        if (f.type !== "D") throw new BackupError("backup.err.corrupt", {});
        hash.update(f.payload);
        rows += countRows(f.payload);
        yield f.payload;
      }
    }
    const gen = chunks();
    if (onTable) await onTable(name, gen);
    // Whatever the consumer left is read (and checked) here.
    for await (const _ of gen) void _;
    if (!ended) throw new BackupError("backup.err.truncated", {});
    seen.push({ name, rows, sha256: hash.digest("hex") });
    frame = await next();
  }
  if (frame.type !== "M") throw new BackupError("backup.err.corrupt", {});
  const manifest = parseJson<Manifest>(frame);
  if (manifest.archiveSha256 !== frame.before) throw new BackupError("backup.err.corrupt", {});
  const rest = await frames.next();
  if (!rest.done) throw new BackupError("backup.err.corrupt", {});
  const listed = header.tables.map((t) => t.name);
  if (listed.length !== seen.length || manifest.tables.length !== seen.length) {
    const missing = listed.find((n) => !seen.some((s) => s.name === n)) ?? manifest.tables.find((t) => !seen.some((s) => s.name === t.name))?.name ?? "?";
    throw new BackupError("backup.err.tableList", { table: missing });
  }
  for (let i = 0; i < seen.length; i++) {
    const m = manifest.tables[i];
    const s = seen[i];
    if (m.name !== s.name || listed[i] !== s.name) throw new BackupError("backup.err.tableList", { table: s.name });
    if (m.rows !== s.rows || m.sha256 !== s.sha256) throw new BackupError("backup.err.tableChecksum", { table: s.name, expected: m.rows, actual: s.rows });
  }
  return { header, manifest };
}

/** Checks the archive completely (reads it all) without a database. */
export function verifyArchive(file: string): Promise<VerifiedArchive> {
  return walk(file);
}

export interface RestoreSummary {
  tables: number;
  rows: number;
}

export async function restoreDatabase(databaseUrl: string, file: string): Promise<RestoreSummary> {
  // 1. The archive, whole, before anything else.
  const { header, manifest } = await verifyArchive(file);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // 2. The target: the same migrations, no rows.
    const target = await appliedMigrations(client);
    const key = (ms: { name: string; checksum: string }[]) => ms.map((m) => `${m.name}:${m.checksum}`).join(",");
    if (key(target) !== key(header.migrations)) {
      const last = (ms: { name: string }[]) => `${ms.length} 个，最新 ${ms.at(-1)?.name ?? "无"}`;
      throw new BackupError("backup.err.migrations", { backup: last(header.migrations), target: last(target) });
    }
    const existing = await dataTables(client);
    for (const t of existing) {
      const { rows } = await client.query(`SELECT 1 FROM ${ident(t.name)} LIMIT 1`);
      if (rows.length || t.partitionOf) throw new BackupError("backup.err.notEmpty", { table: t.name });
    }
    const known = new Set(existing.map((t) => t.name));
    for (const t of header.tables) if (!t.partitionOf && !known.has(t.name)) throw new BackupError("backup.err.unknownTable", { table: t.name });

    // 3. One transaction: partitions, rows, sequences.
    await client.query("BEGIN");
    try {
      // Derived tables come back from the archive as they were: the triggers that would derive
      // them again from the restored rows stand aside (migration restore_quiet_triggers).
      await client.query("SET LOCAL enrolment.restoring = 'on'");
      const parent = header.tables.find((t) => t.partitionOf)?.partitionOf?.parent;
      // Partitions belong to their parent's owner (the bulk role), as when the importer made them.
      if (parent) await actAsOwnerOf(client, parent);
      for (const t of header.tables) {
        if (t.partitionOf) await client.query(`CREATE TABLE ${ident(t.name)} PARTITION OF ${ident(t.partitionOf.parent)} ${t.partitionOf.bound}`);
      }
      const specs = new Map(header.tables.map((t) => [t.name, t]));
      let total = 0;
      await walk(file, async (name, chunks) => {
        const spec = specs.get(name);
        if (!spec) throw new BackupError("backup.err.tableList", { table: name });
        const copy = client.query(copyFrom(`COPY ${ident(name)} (${spec.columns.map(ident).join(", ")}) FROM STDIN`));
        const finished = new Promise<void>((resolve, reject) => {
          copy.on("finish", resolve);
          copy.on("error", reject);
        });
        for await (const chunk of chunks) {
          if (!copy.write(chunk)) await Promise.race([once(copy, "drain"), finished]);
        }
        copy.end();
        await finished;
        total += manifest.tables.find((m) => m.name === name)?.rows ?? 0;
      });
      for (const s of manifest.sequences) {
        await client.query(`SELECT setval($1::regclass, $2::bigint, $3)`, [ident(s.name), s.lastValue, s.isCalled]);
      }
      await client.query("COMMIT");
      return { tables: header.tables.length, rows: total };
    } catch (e) {
      await client.query("ROLLBACK").catch(() => {});
      throw e;
    }
  } finally {
    await client.end().catch(() => {});
  }
}
