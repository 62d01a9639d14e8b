import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { pool } from "@/lib/db/client";
import { MIGRATIONS_DIR } from "@/lib/db/migrate";
import { importFile } from "@/lib/import/import-file";
import { freshDatabase } from "@/tests/helpers/db";
import { validId, writeCsv } from "./fixtures";

// Each batch's records are a partition of their own (migration record_partitions, lib/import/batch-table.ts).

beforeAll(async () => {
  await freshDatabase();
});

async function q<T extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  return (await pool().query(sql, params)).rows as T[];
}

const partitions = async (table: string) =>
  (
    await q<{ name: string; bound: string }>(
      `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = $1::regclass ORDER BY c.relname`,
      [table],
    )
  ).map((r) => `${r.name} ${r.bound}`);

describe("a batch's records", () => {
  it("are loaded into the batch's own partition, with its primary key", async () => {
    const file = writeCsv("population.csv", `id_number,name,hukou_region_code\n${validId(1)},甲,320402002001\n${validId(2)},乙,320402002001\n`);
    const r = await importFile({ kind: "population", filePath: file });
    expect(await partitions("population_record")).toContain(`population_record_${r.batchId} FOR VALUES IN (${r.batchId})`);
    expect(await q(`SELECT line_no FROM population_record_${r.batchId} ORDER BY 1`)).toEqual([{ line_no: 2 }, { line_no: 3 }]);
    const [pk] = await q<{ def: string }>(`SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'p'`, [`population_record_${r.batchId}`]);
    expect(pk.def).toBe("PRIMARY KEY (batch_id, line_no)");
  });

  it("of a refused file leave no table behind", async () => {
    const before = await partitions("enrolment_record");
    const file = writeCsv("enrolment.csv", `id_number,name,scheme,status\n${validId(3)},丙,110,1\n${validId(4)},丁,999,1\n`);
    await expect(importFile({ kind: "enrolment", filePath: file })).rejects.toMatchObject({ refusal: { reason: "bad_value", line: 3 } });
    expect(await partitions("enrolment_record")).toEqual(before);
    expect(await q(`SELECT relname FROM pg_class WHERE relname LIKE 'enrolment_record_%' AND NOT relispartition AND relkind = 'r'`)).toEqual([]);
  });
});

describe("migration record_partitions", () => {
  it("moves rows loaded before it into one partition per batch, keeping every column", async () => {
    const sql = fs.readFileSync(path.join(MIGRATIONS_DIR, "20261125160000_record_partitions", "migration.sql"), "utf8");
    const c = await pool().connect();
    try {
      await c.query("BEGIN");
      await c.query("CREATE SCHEMA before_partitions");
      await c.query("SET LOCAL search_path = before_partitions, public");
      // the four tables as the import migrations left them (unpartitioned, keyed by batch and line)
      for (const t of ["population_record", "enrolment_record", "department_record", "elsewhere_record"]) {
        await c.query(`CREATE TABLE ${t} (LIKE public.${t} INCLUDING DEFAULTS)`);
        await c.query(`ALTER TABLE ${t} ADD CONSTRAINT ${t}_pkey PRIMARY KEY (batch_id, line_no)`);
      }
      await c.query(`INSERT INTO enrolment_record (batch_id, line_no, id_number, name, scheme, status, start_date, benefit)
                     VALUES (7, 2, '${validId(5)}', '戊', '110', 1, '2015-01-01', true), (7, 3, '${validId(6)}', '己', '310', 2, NULL, false),
                            (9, 2, '${validId(5)}', '戊', '390', 3, NULL, false)`);
      const rows = `SELECT batch_id, line_no, id_number, name, scheme, status, to_char(start_date, 'YYYY-MM-DD') AS start_date, benefit FROM enrolment_record ORDER BY 1, 2`;
      const before = (await c.query(rows)).rows;
      await c.query(sql);
      expect((await c.query(rows)).rows).toEqual(before);
      const parts = await c.query(
        `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
          WHERE i.inhparent = 'before_partitions.enrolment_record'::regclass ORDER BY 1`,
      );
      expect(parts.rows).toEqual([
        { name: "enrolment_record_7", bound: "FOR VALUES IN (7)" },
        { name: "enrolment_record_9", bound: "FOR VALUES IN (9)" },
      ]);
      expect((await c.query(`SELECT relkind FROM pg_class WHERE oid = 'before_partitions.population_record'::regclass`)).rows[0].relkind).toBe("p");
    } finally {
      await c.query("ROLLBACK");
      c.release();
    }
  });
});
