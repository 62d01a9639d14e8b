import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { resolveRunId } from "@/lib/comparison/export";
import { env } from "@/lib/env";

// Employers for labour inspection (劳动保障监察, statistics.md §5): one row per employer named on
// the active local 110/310 records of the persons a run found missing employee schemes, with how
// many of them miss each scheme, plus the units that approved surveys name as not having enrolled
// their staff. The rule is ./sql/employers.sql; this module runs it and writes the export.

export const EMPLOYERS_HEADER = "employer,persons,missing_110,missing_310,missing_210,missing_410,missing_510,persons_from_survey";

export interface EmployerRow {
  employer: string;
  persons: number;
  missing_110: number;
  missing_310: number;
  missing_210: number;
  missing_410: number;
  missing_510: number;
  persons_from_survey: number;
}

const SQL_DIRS = [path.join(import.meta.dirname ?? "", "sql"), path.join(process.cwd(), "lib/outcomes/sql")];
const sqlCache = new Map<string, string>();

/** employers-base.sql (the rule's CTEs) followed by `tail` (employers.sql or employer-persons.sql). */
function sql(tail: "employers.sql" | "employer-persons.sql"): string {
  let text = sqlCache.get(tail);
  if (text === undefined) {
    const dir = SQL_DIRS.find((d) => fs.existsSync(path.join(d, "employers-base.sql")));
    if (!dir) throw new Error("lib/outcomes/sql/employers-base.sql not found");
    text = `${fs.readFileSync(path.join(dir, "employers-base.sql"), "utf8")}${fs.readFileSync(path.join(dir, tail), "utf8")}`;
    sqlCache.set(tail, text);
  }
  return text;
}

/**
 * The employers of run `runId`, in the export's order. `regionPrefix` (a district's code) restricts
 * them to the persons whose statistics region lies in it; null: the whole city (non_local included).
 * Callers outside the CLI pass the prefix lib/policy gives them (lib/outcomes/employers-view.ts).
 */
export async function employerRows(db: pg.ClientBase | pg.Pool, runId: number, regionPrefix: string | null = null): Promise<EmployerRow[]> {
  return (await db.query<EmployerRow>(sql("employers.sql"), [runId, regionPrefix])).rows;
}

export interface EmployerPersonRow {
  employer: string;
  id_number: string;
  name: string;
  region_code: string | null;
  missing_schemes: string[];
  source: "comparison" | "survey";
  total: number;
}

/** The persons behind the employers (one employer or all), paged; same scope as employerRows. */
export async function employerPersonRows(
  db: pg.ClientBase | pg.Pool,
  runId: number,
  regionPrefix: string | null,
  opts: { employer?: string | null; limit?: number | null; offset?: number } = {},
): Promise<EmployerPersonRow[]> {
  return (await db.query<EmployerPersonRow>(sql("employer-persons.sql"), [runId, regionPrefix, opts.employer ?? null, opts.limit ?? null, opts.offset ?? 0])).rows;
}

/** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. */
export function csvField(v: string | number): string {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The export's text: UTF-8 with BOM, CRLF, the header and one line per employer. */
export function employersCsv(rows: EmployerRow[]): string {
  const lines = rows.map((r) => [r.employer, r.persons, r.missing_110, r.missing_310, r.missing_210, r.missing_410, r.missing_510, r.persons_from_survey].map(csvField).join(","));
  return `\uFEFF${[EMPLOYERS_HEADER, ...lines].map((l) => `${l}\r\n`).join("")}`;
}

/** `npm run cli -- employers-export --run <id|latest> --out FILE`. */
export async function exportEmployers(run: string | number, outPath: string, databaseUrl = env().DATABASE_URL): Promise<{ runId: number; rows: number }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const runId = await resolveRunId(client, run);
    const rows = await employerRows(client, runId);
    fs.writeFileSync(outPath, employersCsv(rows));
    return { runId, rows: rows.length };
  } finally {
    await client.end();
  }
}
