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
let employersSql: string | null = null;

function sql(): string {
  if (employersSql === null) {
    const dir = SQL_DIRS.find((d) => fs.existsSync(path.join(d, "employers.sql")));
    if (!dir) throw new Error("lib/outcomes/sql/employers.sql not found");
    employersSql = fs.readFileSync(path.join(dir, "employers.sql"), "utf8");
  }
  return employersSql;
}

/** The employers of run `runId`, in the export's order. */
export async function employerRows(db: pg.ClientBase | pg.Pool, runId: number): Promise<EmployerRow[]> {
  return (await db.query<EmployerRow>(sql(), [runId])).rows;
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
