import crypto from "node:crypto";
import fs from "node:fs";
import pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { ArchiveWriter, countRows, FORMAT, type Header, type Manifest, type SequenceValue, type TableSpec } from "./format";
import { BackupError } from "./messages";

// `npm run cli -- backup --out FILE`: a consistent snapshot of the database in one REPEATABLE READ,
// READ ONLY transaction — every table of the public schema (each partition of the partitioned
// tables on its own, with its bound), COPYed TO STDOUT and streamed into the archive (format.ts), the
// sequences' values and the migrations applied. No pg_dump needed (the embedded server ships none).

const ident = pg.escapeIdentifier;

/** The migrations applied (the set a restore target must have). */
export async function appliedMigrations(client: pg.ClientBase): Promise<{ name: string; checksum: string }[]> {
  const { rows } = await client.query<{ name: string; checksum: string }>(
    `SELECT migration_name AS name, checksum FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`,
  );
  return rows;
}

/** Every table holding rows (partitions, not their parents), in an order that satisfies foreign keys. */
export async function dataTables(client: pg.ClientBase): Promise<TableSpec[]> {
  const { rows } = await client.query<{ name: string; columns: string[]; parent: string | null; bound: string | null; root: string }>(
    `SELECT c.relname AS name,
            (SELECT array_agg(a.attname::text ORDER BY a.attnum) FROM pg_attribute a
              WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '') AS columns,
            p.relname AS parent, CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END AS bound,
            coalesce((SELECT r.relname FROM pg_partition_ancestors(c.oid) x JOIN pg_class r ON r.oid = x.relid
                       WHERE NOT r.relispartition), c.relname) AS root
       FROM pg_class c
       LEFT JOIN pg_inherits i ON i.inhrelid = c.oid AND c.relispartition
       LEFT JOIN pg_class p ON p.oid = i.inhparent
      WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND c.relname <> '_prisma_migrations'
      ORDER BY c.relname`,
  );
  // Foreign keys between the (root) tables: a referenced table is restored before its referrers.
  const { rows: fks } = await client.query<{ child: string; parent: string }>(
    `SELECT DISTINCT ch.relname AS child, pa.relname AS parent
       FROM pg_constraint f JOIN pg_class ch ON ch.oid = f.conrelid JOIN pg_class pa ON pa.oid = f.confrelid
      WHERE f.contype = 'f' AND ch.relnamespace = 'public'::regnamespace AND NOT ch.relispartition AND f.conrelid <> f.confrelid`,
  );
  const roots = [...new Set(rows.map((r) => r.root))].sort();
  const order: string[] = [];
  const pending = new Set(roots);
  while (pending.size) {
    const ready = [...pending].filter((t) => !fks.some((f) => f.child === t && f.parent !== t && pending.has(f.parent)));
    // A cycle of foreign keys (none in this schema) is restored in name order.
    for (const t of ready.length ? ready : [...pending]) {
      order.push(t);
      pending.delete(t);
    }
  }
  const rank = new Map(order.map((t, i) => [t, i]));
  return rows
    .sort((a, b) => rank.get(a.root)! - rank.get(b.root)! || a.name.localeCompare(b.name))
    .map((r) => ({ name: r.name, columns: r.columns, ...(r.parent && r.bound ? { partitionOf: { parent: r.parent, bound: r.bound } } : {}) }));
}

export async function sequenceNames(client: pg.ClientBase): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(`SELECT relname AS name FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'S' ORDER BY relname`);
  return rows.map((r) => r.name);
}

export async function sequenceValues(client: pg.ClientBase, names: string[]): Promise<SequenceValue[]> {
  const out: SequenceValue[] = [];
  for (const name of names) {
    const { rows } = await client.query<{ last_value: string; is_called: boolean }>(`SELECT last_value::text AS last_value, is_called FROM ${ident(name)}`);
    out.push({ name, lastValue: rows[0].last_value, isCalled: rows[0].is_called });
  }
  return out;
}

/** COPY text of `table` in its columns' order. */
export function copyOut(table: TableSpec): string {
  return `COPY ${ident(table.name)} (${table.columns.map(ident).join(", ")}) TO STDOUT`;
}

export interface BackupSummary {
  file: string;
  tables: number;
  rows: number;
  bytes: number;
}

export async function backupDatabase(databaseUrl: string, out: string): Promise<BackupSummary> {
  if (fs.existsSync(out)) throw new BackupError("backup.err.exists", { file: out });
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const writer = new ArchiveWriter(out);
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const tables = await dataTables(client);
    const sequences = await sequenceNames(client);
    const header: Header = {
      format: FORMAT,
      createdAt: new Date().toISOString(),
      serverVersion: (await client.query<{ v: string }>("SHOW server_version")).rows[0].v,
      migrations: await appliedMigrations(client),
      tables,
      sequences,
    };
    await writer.start();
    await writer.frame("H", JSON.stringify(header));
    const manifest: Manifest = { tables: [], sequences: [], archiveSha256: "" };
    let total = 0;
    for (const table of tables) {
      await writer.frame("T", JSON.stringify({ name: table.name }));
      const hash = crypto.createHash("sha256");
      let rows = 0;
      for await (const chunk of client.query(copyTo(copyOut(table))) as AsyncIterable<Buffer>) {
        hash.update(chunk);
        rows += countRows(chunk);
        await writer.frame("D", chunk);
      }
      await writer.frame("E");
      manifest.tables.push({ name: table.name, rows, sha256: hash.digest("hex") });
      total += rows;
    }
    manifest.sequences = await sequenceValues(client, sequences);
    await client.query("COMMIT");
    manifest.archiveSha256 = writer.digest();
    await writer.frame("M", JSON.stringify(manifest));
    await writer.close();
    return { file: out, tables: tables.length, rows: total, bytes: fs.statSync(out).size };
  } catch (e) {
    await client.query("ROLLBACK").catch(() => {});
    await writer.abort(out);
    throw e;
  } finally {
    await client.end().catch(() => {});
  }
}
