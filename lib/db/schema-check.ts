import type pg from "pg";

// Compares prisma/schema.prisma with a migrated database: tables, columns, types, nullability,
// enums and the indexes the schema declares. The migrations are hand-written SQL (lib/db/migrate.ts),
// so this check is what keeps them and the Prisma model in step.

interface ExpectedColumn {
  type: string;
  nullable: boolean | null; // null: not checked (scalar lists)
}
export interface ExpectedSchema {
  tables: Map<string, Map<string, ExpectedColumn>>;
  enums: Map<string, string[]>;
  indexes: Set<string>;
}

const SCALARS = new Set(["String", "Int", "BigInt", "Boolean", "DateTime", "Json", "Float", "Decimal", "Bytes"]);

function columnType(type: string, attrs: string, enums: Set<string>): string {
  const db = /@db\.(\w+)(?:\(([^)]*)\))?/.exec(attrs);
  if (enums.has(type)) return `enum:${type}`;
  if (db) {
    const [, kind, arg] = db;
    const map: Record<string, string> = { VarChar: `varchar(${arg})`, Char: `char(${arg})`, SmallInt: "smallint", Date: "date", Timestamptz: `timestamptz(${arg ?? 6})`, Text: "text" };
    return map[kind] ?? kind.toLowerCase();
  }
  const map: Record<string, string> = { String: "text", Int: "integer", BigInt: "bigint", Boolean: "boolean", DateTime: "timestamp(3)", Json: "jsonb", Float: "double precision", Decimal: "numeric(65,30)", Bytes: "bytea" };
  return map[type] ?? type;
}

export function parsePrismaSchema(text: string): ExpectedSchema {
  const clean = text.replace(/\/\/.*$/gm, "");
  const enums = new Map<string, string[]>();
  for (const m of clean.matchAll(/enum\s+(\w+)\s*\{([^}]*)\}/g)) enums.set(m[1], m[2].split(/\s+/).filter(Boolean));
  const enumNames = new Set(enums.keys());
  const models = [...clean.matchAll(/model\s+(\w+)\s*\{([^}]*)\}/g)];
  const modelNames = new Set(models.map((m) => m[1]));
  const tables = new Map<string, Map<string, ExpectedColumn>>();
  const indexes = new Set<string>();
  for (const [, model, body] of models) {
    const table = /@@map\("([^"]+)"\)/.exec(body)?.[1] ?? model;
    const columns = new Map<string, ExpectedColumn>();
    const fieldToColumn = new Map<string, string>();
    for (const line of body.split("\n").map((l) => l.trim())) {
      if (!line || line.startsWith("@@")) continue;
      const m = /^(\w+)\s+(\w+)(\[\])?(\?)?\s*(.*)$/.exec(line);
      if (!m) continue;
      const [, field, type, list, optional, attrs] = m;
      if (modelNames.has(type) || (!SCALARS.has(type) && !enumNames.has(type))) continue;
      const column = /@map\("([^"]+)"\)/.exec(attrs)?.[1] ?? field;
      fieldToColumn.set(field, column);
      const base = columnType(type, attrs, enumNames);
      columns.set(column, { type: list ? `${base}[]` : base, nullable: list ? null : Boolean(optional) });
      if (/@id\b/.test(attrs)) indexes.add(`${table}_pkey`);
      if (/@unique\b/.test(attrs)) indexes.add(`${table}_${column}_key`);
    }
    const cols = (list: string) => list.split(",").map((f) => fieldToColumn.get(f.trim().replace(/\(.*\)$/, "")) ?? f.trim());
    if (/@@id\(/.test(body)) indexes.add(`${table}_pkey`);
    for (const m of body.matchAll(/@@index\(\[([^\]]+)\]/g)) indexes.add(`${table}_${cols(m[1]).join("_")}_idx`);
    for (const m of body.matchAll(/@@unique\(\[([^\]]+)\]/g)) indexes.add(`${table}_${cols(m[1]).join("_")}_key`);
    tables.set(table, columns);
  }
  return { tables, enums, indexes };
}

function dbType(row: { data_type: string; udt_name: string; character_maximum_length: number | null; datetime_precision: number | null }): string {
  switch (row.data_type) {
    case "USER-DEFINED":
      return `enum:${row.udt_name}`;
    case "ARRAY":
      return `${({ _text: "text", _int4: "integer", _int8: "bigint", _int2: "smallint", _bool: "boolean" } as Record<string, string>)[row.udt_name] ?? row.udt_name.slice(1)}[]`;
    case "character varying":
      return `varchar(${row.character_maximum_length})`;
    case "character":
      return `char(${row.character_maximum_length})`;
    case "timestamp without time zone":
      return `timestamp(${row.datetime_precision})`;
    case "timestamp with time zone":
      return `timestamptz(${row.datetime_precision})`;
    default:
      return row.data_type;
  }
}

/** Every difference between the schema file and the database, as readable lines (empty = agree). */
export async function schemaDifferences(client: pg.Client | pg.PoolClient, expected: ExpectedSchema): Promise<string[]> {
  const diffs: string[] = [];
  const { rows: cols } = await client.query(
    `SELECT table_name, column_name, data_type, udt_name, is_nullable, character_maximum_length, datetime_precision
     FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'
       -- a partition (one import batch's records) is part of its parent's table
       AND table_name NOT IN (SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relispartition)`,
  );
  const actual = new Map<string, Map<string, { type: string; nullable: boolean }>>();
  for (const c of cols) {
    const t = actual.get(c.table_name) ?? new Map();
    t.set(c.column_name, { type: dbType(c), nullable: c.is_nullable === "YES" });
    actual.set(c.table_name, t);
  }
  for (const [table, columns] of expected.tables) {
    const got = actual.get(table);
    if (!got) {
      diffs.push(`table ${table}: in schema.prisma, missing in the database`);
      continue;
    }
    for (const [name, col] of columns) {
      const g = got.get(name);
      if (!g) diffs.push(`column ${table}.${name}: missing in the database`);
      else {
        if (g.type !== col.type) diffs.push(`column ${table}.${name}: type ${g.type} in the database, ${col.type} in schema.prisma`);
        if (col.nullable !== null && g.nullable !== col.nullable) diffs.push(`column ${table}.${name}: nullable ${g.nullable} in the database, ${col.nullable} in schema.prisma`);
      }
    }
    for (const name of got.keys()) if (!columns.has(name)) diffs.push(`column ${table}.${name}: in the database, missing in schema.prisma`);
  }
  for (const table of actual.keys()) if (!expected.tables.has(table)) diffs.push(`table ${table}: in the database, missing in schema.prisma`);
  const { rows: enumRows } = await client.query(
    `SELECT t.typname AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
     FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
     WHERE n.nspname = 'public' GROUP BY t.typname`,
  );
  const actualEnums = new Map<string, string[]>(enumRows.map((r) => [r.name, r.labels]));
  for (const [name, values] of expected.enums) {
    const got = actualEnums.get(name);
    if (!got) diffs.push(`enum ${name}: missing in the database`);
    else if (got.join(",") !== values.join(",")) diffs.push(`enum ${name}: [${got}] in the database, [${values}] in schema.prisma`);
  }
  for (const name of actualEnums.keys()) if (!expected.enums.has(name)) diffs.push(`enum ${name}: in the database, missing in schema.prisma`);
  const { rows: idx } = await client.query(`SELECT indexname FROM pg_indexes WHERE schemaname = 'public'`);
  const actualIdx = new Set(idx.map((r) => r.indexname as string));
  for (const name of expected.indexes) if (!actualIdx.has(name)) diffs.push(`index ${name}: declared in schema.prisma, missing in the database`);
  return diffs;
}
