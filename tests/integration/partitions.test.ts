import fs from "node:fs";
import path from "node:path";
import type pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { pool } from "@/lib/db/client";
import { MIGRATIONS_DIR } from "@/lib/db/migrate";
import { importFile } from "@/lib/import/import-file";
import { freshDatabase } from "@/tests/helpers/db";
import { validId, writeCsv } from "./import/fixtures";

// Each import batch's records and each comparison run's result rows are a partition of their own
// (migrations record_partitions and result_partitions, lib/db/partitions.ts).

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

describe("a comparison run's result rows", () => {
  it("are the run's own partition, with the primary key and its indexes", async () => {
    const { runComparison } = await import("@/lib/comparison/run");
    const { importFile: load } = await import("@/lib/import/import-file");
    await load({ kind: "regions", filePath: writeCsv("regions.csv", "code,name,level,parent_code\n3204,常州市,city,\n320402,天宁区,district,3204\n") });
    const r = await runComparison({ asOf: "2026-11-25" });
    expect(await partitions("comparison_result")).toContain(`comparison_result_${r.runId} FOR VALUES IN (${r.runId})`);
    expect((await q<{ n: number }>(`SELECT count(*)::int AS n FROM comparison_result_${r.runId}`))[0].n).toBe(r.persons);
    const defs = (await q<{ def: string }>(`SELECT pg_get_indexdef(indexrelid) AS def FROM pg_index WHERE indrelid = $1::regclass ORDER BY 1`, [`comparison_result_${r.runId}`])).map((x) => x.def.replace(/ ON public\.\S+/, ""));
    expect(defs).toEqual([
      `CREATE INDEX comparison_result_${r.runId}_run_id_category_idx USING btree (run_id, category)`,
      // the person lists of the statistics (lib/stats/persons.ts): a region's rows in ID order, names
      `CREATE INDEX comparison_result_${r.runId}_run_id_count_region_code_id_number_idx USING btree (run_id, count_region_code, id_number)`,
      `CREATE INDEX comparison_result_${r.runId}_run_id_name_idx USING btree (run_id, name)`,
      `CREATE UNIQUE INDEX comparison_result_${r.runId}_pkey USING btree (run_id, id_number)`,
    ]);
  });
});

/**
 * Runs migration `name` in a scratch schema first on the search path, inside a transaction that is
 * rolled back: `setUp` makes the tables as the earlier migrations left them and fills them; `rows`
 * reads them back. Checks that every row and column survives, then runs `check` on the migrated schema.
 */
async function migrateScratch(name: string, schema: string, setUp: (c: pg.PoolClient) => Promise<void>, rows: string, check: (c: pg.PoolClient) => Promise<void>): Promise<void> {
  const sql = fs.readFileSync(path.join(MIGRATIONS_DIR, name, "migration.sql"), "utf8");
  const c = await pool().connect();
  try {
    await c.query("BEGIN");
    await c.query(`CREATE SCHEMA ${schema}`);
    await c.query(`SET LOCAL search_path = ${schema}, public`);
    await setUp(c);
    const before = (await c.query(rows)).rows;
    await c.query(sql);
    expect((await c.query(rows)).rows).toEqual(before);
    await check(c);
  } finally {
    await c.query("ROLLBACK");
    c.release();
  }
}

const partitionsIn = async (c: pg.PoolClient, table: string) =>
  (
    await c.query<{ name: string; bound: string }>(
      `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = $1::regclass ORDER BY 1`,
      [table],
    )
  ).rows.map((r) => `${r.name} ${r.bound}`);

describe("migration record_partitions", () => {
  it("moves rows loaded before it into one partition per batch, keeping every column", async () => {
    await migrateScratch(
      "20261125160000_record_partitions",
      "before_partitions",
      async (c) => {
        // the four tables as the import migrations left them (unpartitioned, keyed by batch and line)
        for (const t of ["population_record", "enrolment_record", "department_record", "elsewhere_record"]) {
          await c.query(`CREATE TABLE ${t} (LIKE public.${t} INCLUDING DEFAULTS)`);
          await c.query(`ALTER TABLE ${t} ADD CONSTRAINT ${t}_pkey PRIMARY KEY (batch_id, line_no)`);
        }
        await c.query(`INSERT INTO enrolment_record (batch_id, line_no, id_number, name, scheme, status, start_date, benefit)
                       VALUES (7, 2, '${validId(5)}', '戊', '110', 1, '2015-01-01', true), (7, 3, '${validId(6)}', '己', '310', 2, NULL, false),
                              (9, 2, '${validId(5)}', '戊', '390', 3, NULL, false)`);
      },
      `SELECT batch_id, line_no, id_number, name, scheme, status, to_char(start_date, 'YYYY-MM-DD') AS start_date, benefit FROM enrolment_record ORDER BY 1, 2`,
      async (c) => {
        expect(await partitionsIn(c, "before_partitions.enrolment_record")).toEqual(["enrolment_record_7 FOR VALUES IN (7)", "enrolment_record_9 FOR VALUES IN (9)"]);
        expect((await c.query(`SELECT relkind FROM pg_class WHERE oid = 'before_partitions.population_record'::regclass`)).rows[0].relkind).toBe("p");
      },
    );
  });
});

describe("migration result_partitions", () => {
  it("moves the results of earlier runs into one partition per run, keeping every column", async () => {
    await migrateScratch(
      "20261125170000_result_partitions",
      "before_result_partitions",
      async (c) => {
        await c.query(`CREATE TABLE comparison_result (LIKE public.comparison_result INCLUDING DEFAULTS)`);
        await c.query(`ALTER TABLE comparison_result ADD CONSTRAINT comparison_result_pkey PRIMARY KEY (run_id, id_number)`);
        await c.query(`CREATE INDEX comparison_result_run_id_category_idx ON comparison_result (run_id, category)`);
        await c.query(`INSERT INTO comparison_result (run_id, id_number, name, category, flags, region_code, non_local, age)
                       VALUES (3, '${validId(7)}', '庚', 'PARTIAL', '{no_pension}', '320402002001', false, 40), (5, '${validId(7)}', '庚', 'CONFIRMED', '{}', NULL, false, 40)`);
      },
      `SELECT run_id, id_number, name, category, flags, region_code, non_local, age FROM comparison_result ORDER BY 1, 2`,
      async (c) => {
        expect(await partitionsIn(c, "before_result_partitions.comparison_result")).toEqual(["comparison_result_3 FOR VALUES IN (3)", "comparison_result_5 FOR VALUES IN (5)"]);
      },
    );
  });
});
