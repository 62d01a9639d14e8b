import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backupDatabase, dataTables, sequenceNames, sequenceValues } from "@/lib/backup/backup";
import { BackupError } from "@/lib/backup/messages";
import { restoreDatabase } from "@/lib/backup/restore";
import { disconnect } from "@/lib/db/client";
import { env } from "@/lib/env";
import { seedDemo } from "@/prisma/seed/demo";
import { freshDatabase } from "../helpers/db";

// Backup and restore (容灾备份): a demo city (imported and compared through the real pipeline, with
// per-batch record partitions and a per-run result partition) is backed up, and restored into a
// fresh migrated database: every table, partition and sequence is equal. A damaged, cut-off or
// tampered archive is refused before the target is touched.

let dir: string;
let sourceUrl: string;
let archive: string;

/** Per table: row count and a checksum of its rows in a fixed order; the partition layout; sequences. */
async function fingerprint(url: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const tables: Record<string, string> = {};
    for (const t of await dataTables(c)) {
      const { rows } = await c.query<{ n: number; h: string | null }>(
        `SELECT count(*)::int AS n, md5(string_agg(r::text, E'\\n' ORDER BY r::text)) AS h FROM ${pg.escapeIdentifier(t.name)} r`,
      );
      tables[t.name] = `${rows[0].n}:${rows[0].h}:${t.partitionOf ? `${t.partitionOf.parent} ${t.partitionOf.bound}` : "-"}`;
    }
    return { tables, sequences: await sequenceValues(c, await sequenceNames(c)) };
  } finally {
    await c.end();
  }
}

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof BackupError) return e.key;
    throw e;
  }
  return "restored";
}

/** A fresh migrated target database; returns its (application role) URL. */
async function target(): Promise<string> {
  await disconnect();
  return freshDatabase();
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "backup-"));
  sourceUrl = await freshDatabase();
  await seedDemo(sourceUrl, { persons: 400, asOf: "2026-11-25" });
  archive = path.join(dir, "backup.bin");
}, 300_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("backup and restore", () => {
  it("backs up every table, partition and sequence with a manifest", async () => {
    const s = await backupDatabase(sourceUrl, archive);
    const before = await fingerprint(sourceUrl);
    expect(s.tables).toBe(Object.keys(before.tables).length);
    // The demo holds partitions of both kinds and the audit log.
    expect(Object.keys(before.tables).filter((t) => /^population_record_\d+$/.test(t)).length).toBeGreaterThan(0);
    expect(Object.keys(before.tables).filter((t) => /^comparison_result_\d+$/.test(t)).length).toBe(1);
    expect(Number(before.tables.audit_log.split(":")[0])).toBeGreaterThan(0);
    // Refuses to overwrite a file.
    expect(await refusal(backupDatabase(sourceUrl, archive))).toBe("backup.err.exists");
  }, 120_000);

  it("refuses a damaged archive (one byte flipped) and leaves the target untouched", async () => {
    const url = await target();
    const empty = await fingerprint(url);
    const bytes = fs.readFileSync(archive);
    for (const at of [Math.floor(bytes.length / 3), Math.floor(bytes.length / 2), bytes.length - 12]) {
      const bad = Buffer.from(bytes);
      bad[at] ^= 0x20;
      const file = path.join(dir, `flipped-${at}.bin`);
      fs.writeFileSync(file, bad);
      expect(["backup.err.corrupt", "backup.err.truncated"]).toContain(await refusal(restoreDatabase(url, file)));
    }
    expect(await fingerprint(url)).toEqual(empty);
  }, 120_000);

  it("refuses an archive whose content was changed and compressed again (the manifest's checksums)", async () => {
    const url = await target();
    const empty = await fingerprint(url);
    const raw = zlib.gunzipSync(fs.readFileSync(archive));
    // A data row of the person table: change one character of it.
    const at = raw.indexOf(Buffer.from("常州市"), raw.length >> 1);
    expect(at).toBeGreaterThan(0);
    const changed = Buffer.from(raw);
    changed.write("苏", at);
    const file = path.join(dir, "tampered.bin");
    fs.writeFileSync(file, zlib.gzipSync(changed));
    expect(await refusal(restoreDatabase(url, file))).toMatch(/^backup\.err\.(tableChecksum|corrupt)$/);
    expect(await fingerprint(url)).toEqual(empty);
  }, 120_000);

  it("refuses a truncated archive and leaves the target untouched", async () => {
    const url = await target();
    const empty = await fingerprint(url);
    const bytes = fs.readFileSync(archive);
    for (const keep of [Math.floor(bytes.length / 2), bytes.length - 1, 10]) {
      const file = path.join(dir, `cut-${keep}.bin`);
      fs.writeFileSync(file, bytes.subarray(0, keep));
      const e = await restoreDatabase(url, file).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(BackupError);
      expect((e as BackupError).key).toBe("backup.err.truncated");
      expect((e as BackupError).message).toMatch(/备份文件不完整/);
    }
    expect(await fingerprint(url)).toEqual(empty);
  }, 120_000);

  it("refuses a target with other migrations, or with rows", async () => {
    const url = await target();
    const owner = new pg.Client({ connectionString: env().MIGRATION_DATABASE_URL ?? url });
    await owner.connect();
    try {
      await owner.query(`INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, applied_steps_count) VALUES ('x', 'x', now(), '29990101000000_future', 1)`);
      expect(await refusal(restoreDatabase(url, archive))).toBe("backup.err.migrations");
      await owner.query(`DELETE FROM _prisma_migrations WHERE id = 'x'`);
      await owner.query(`INSERT INTO region (code, name, level) VALUES ('3204', '常州市', 'CITY')`);
      expect(await refusal(restoreDatabase(url, archive))).toBe("backup.err.notEmpty");
    } finally {
      await owner.end();
    }
  }, 120_000);

  it("restores into a fresh migrated database: every table, partition and sequence equal", async () => {
    const url = await target();
    const r = await restoreDatabase(url, archive);
    expect(r.rows).toBeGreaterThan(1000);
    const [a, b] = [await fingerprint(sourceUrl), await fingerprint(url)];
    expect(b.tables).toEqual(a.tables);
    expect(b.sequences).toEqual(a.sequences);
    // The restored database works on: a new audit row takes the next id.
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      const max = (await c.query<{ m: number }>(`SELECT max(id)::int AS m FROM audit_log`)).rows[0].m;
      const { rows } = await c.query<{ id: number }>(`INSERT INTO audit_log (action, entity) VALUES ('test.after_restore', 'test') RETURNING id`);
      expect(Number(rows[0].id)).toBeGreaterThan(max);
    } finally {
      await c.end();
    }
  }, 300_000);
});
