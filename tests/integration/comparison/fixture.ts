import crypto from "node:crypto";
import pg from "pg";
import { env } from "@/lib/env";
import { makeIdNumber } from "@/lib/ids/id-number";
import { attachPartitionTable, createPartitionTable, RECORD_PARTITIONS } from "@/lib/db/partitions";

// Hand-made comparison inputs: batches and records inserted as the importer stores them (ID
// normalised by the SQL normalise_id, reason by id_invalid_reason on the import date, text trimmed
// and half-width, codes normalised), so each rule test states its fixture in a few lines.

export const CITY = "3204";
export const COMMUNITY_A = "320402001001";
export const COMMUNITY_B = "320402001002";
export const COMMUNITY_C = "320404001001";

export async function db(): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: env().DATABASE_URL });
  await c.connect();
  return c;
}

/** A connection as the owner role (MIGRATION_DATABASE_URL), for what only the owner may do (triggers). */
export async function ownerDb(): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: env().MIGRATION_DATABASE_URL ?? env().DATABASE_URL });
  await c.connect();
  return c;
}

/** A tiny region tree: the city, two districts, two streets, three communities. */
export async function seedRegions(c: pg.Client): Promise<void> {
  await c.query(`INSERT INTO region (code, name, level, parent_code) VALUES
    ('3204', '常州市', 'CITY', NULL),
    ('320402', '天宁区', 'DISTRICT', '3204'), ('320404', '钟楼区', 'DISTRICT', '3204'),
    ('320402001', '雕庄街道', 'STREET', '320402'), ('320404001', '五星街道', 'STREET', '320404'),
    ('${COMMUNITY_A}', '甲社区', 'COMMUNITY', '320402001'), ('${COMMUNITY_B}', '乙社区', 'COMMUNITY', '320402001'),
    ('${COMMUNITY_C}', '丙社区', 'COMMUNITY', '320404001')
    ON CONFLICT DO NOTHING`);
}

let seq = 0;
/** A fresh valid ID: area 320402, the given birth date (YYYYMMDD), gender 1 = male / 2 = female. */
export function newId(birth = "19800101", gender: "1" | "2" = "1"): string {
  for (;;) {
    const id = makeIdNumber("320402", birth, seq++);
    if ((Number(id[16]) % 2 === 1 ? "1" : "2") === gender) return id;
  }
}

export interface PopRow {
  id: string;
  name?: string | null;
  gender?: string | null;
  birth?: string | null;
  hukou?: string | null;
  residence?: string | null;
  status?: string;
  phone?: string | null;
}
export interface EnrRow {
  id: string;
  scheme: string;
  status?: number;
  region?: string | null;
  employer?: string | null;
  benefit?: boolean;
  name?: string | null;
}
export interface ElseRow {
  id: string;
  scheme: string;
  region: string;
  status?: number;
  name?: string | null;
}
export interface DeptRow {
  id: string;
  kind: string;
  name?: string | null;
}

async function batch(c: pg.Client, kind: string): Promise<number> {
  const { rows } = await c.query<{ id: number }>(
    `INSERT INTO import_batch (kind, file_name, checksum, status) VALUES ($1, $2, $3, 'ACTIVE') RETURNING id`,
    [kind, `${kind}.csv`, crypto.randomBytes(32).toString("hex")],
  );
  // the batch's records table, as the importer makes it (rows are then inserted through the kind's table)
  await createPartitionTable(c, RECORD_PARTITIONS(`${kind}_record`), rows[0].id);
  await attachPartitionTable(c, RECORD_PARTITIONS(`${kind}_record`), rows[0].id);
  return rows[0].id;
}

const NORM = (i: number) => `normalise_id($${i}), id_invalid_reason($${i}, current_date)`;

export async function population(c: pg.Client, rows: PopRow[], defaultName = "张三"): Promise<number> {
  const b = await batch(c, "population");
  for (const [i, r] of rows.entries()) {
    await c.query(
      `INSERT INTO population_record (batch_id, line_no, id_raw, id_number, id_invalid, name, gender, birth_date, hukou_region_code, residence_region_code, phone, status)
       VALUES ($1, $2, $3, ${NORM(3)}, btrim(half_width($4)), $5, $6, $7, $8, $9, $10)`,
      [b, i + 2, r.id, r.name === undefined ? defaultName : r.name, r.gender ?? null, r.birth ?? null, r.hukou === undefined ? COMMUNITY_A : r.hukou, r.residence ?? null, r.phone ?? null, r.status ?? "normal"],
    );
  }
  return b;
}

export async function enrolment(c: pg.Client, rows: EnrRow[], defaultName = "张三"): Promise<number> {
  const b = await batch(c, "enrolment");
  for (const [i, r] of rows.entries()) {
    await c.query(
      `INSERT INTO enrolment_record (batch_id, line_no, id_raw, id_number, id_invalid, name, scheme, status, region_code, employer, benefit)
       VALUES ($1, $2, $3, ${NORM(3)}, btrim(half_width($4)), $5, $6, $7, $8, $9)`,
      [b, i + 2, r.id, r.name === undefined ? defaultName : r.name, r.scheme, r.status ?? 1, r.region ?? null, r.employer ?? null, r.benefit ?? false],
    );
  }
  return b;
}

export async function elsewhere(c: pg.Client, rows: ElseRow[], defaultName = "张三"): Promise<number> {
  const b = await batch(c, "elsewhere");
  for (const [i, r] of rows.entries()) {
    await c.query(
      `INSERT INTO elsewhere_record (batch_id, line_no, id_raw, id_number, id_invalid, name, scheme, region_code, status)
       VALUES ($1, $2, $3, ${NORM(3)}, btrim(half_width($4)), $5, $6, $7)`,
      [b, i + 2, r.id, r.name === undefined ? defaultName : r.name, r.scheme, r.region, r.status ?? 1],
    );
  }
  return b;
}

export async function department(c: pg.Client, rows: DeptRow[], defaultName = "张三"): Promise<number> {
  const b = await batch(c, "department");
  for (const [i, r] of rows.entries()) {
    await c.query(
      `INSERT INTO department_record (batch_id, line_no, id_raw, id_number, id_invalid, name, kind) VALUES ($1, $2, $3, ${NORM(3)}, btrim(half_width($4)), $5)`,
      [b, i + 2, r.id, r.name === undefined ? defaultName : r.name, r.kind],
    );
  }
  return b;
}

/** Retires every active batch (each test starts from an empty input). */
export async function retireAll(c: pg.Client): Promise<void> {
  await c.query(`UPDATE import_batch SET status = 'RETIRED', retired_at = now() WHERE status = 'ACTIVE'`);
}

/** Fully insured resident (170 + 390 active): CONFIRMED unless a test adds something. */
export function resident(id: string): EnrRow[] {
  return [
    { id, scheme: "170" },
    { id, scheme: "390" },
  ];
}

export interface ResultRow {
  id_number: string;
  name: string;
  category: string;
  flags: string[];
  missing_schemes: string[];
  region_code: string | null;
}

export async function results(c: pg.Client, runId: number): Promise<Map<string, ResultRow>> {
  const { rows } = await c.query<ResultRow>(
    `SELECT id_number, name, category, flags, missing_schemes, region_code FROM comparison_result WHERE run_id = $1`,
    [runId],
  );
  return new Map(rows.map((r) => [r.id_number, r]));
}
