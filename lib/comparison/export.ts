import fs from "node:fs";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { env } from "@/lib/env";

// The results export (比对结果, import-formats.md "Results export"): one row per person in the run,
// UTF-8 CSV with BOM, header id_number,name,category,flags,missing_schemes,region_code; flags and
// missing schemes sorted and joined by ";"; rows ordered by ID number. Streamed by COPY TO STDOUT:
// a million rows never sit in memory.

export const RESULTS_HEADER = "id_number,name,category,flags,missing_schemes,region_code";

/** Resolves "latest" (the last finished run) or a run id; throws when there is no such finished run. */
export async function resolveRunId(client: pg.ClientBase, run: string | number): Promise<number> {
  if (run !== "latest" && !/^\d+$/.test(String(run))) throw new Error(`--run must be a run id or "latest", got ${run}`);
  const { rows } =
    run === "latest"
      ? await client.query<{ id: number | null }>(`SELECT max(id) AS id FROM comparison_run WHERE status = 'DONE'`)
      : await client.query<{ id: number | null }>(`SELECT id FROM comparison_run WHERE id = $1 AND status = 'DONE'`, [Number(run)]);
  const id = rows[0]?.id;
  if (!id) throw new Error(`no finished comparison run ${run}`);
  return id;
}

/**
 * Writes the results export of a run to `outPath`. Empty values are written as empty fields (NULL
 * in COPY's CSV), flags and schemes arrays are already stored sorted. Returns the run id and rows.
 */
export async function exportResults(run: string | number, outPath: string, databaseUrl = env().DATABASE_URL): Promise<{ runId: number; rows: number }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const runId = await resolveRunId(client, run);
    const out = fs.createWriteStream(outPath);
    out.write(`\uFEFF${RESULTS_HEADER}\n`);
    const copy = client.query(
      copyTo(`COPY (
        SELECT id_number, nullif(name, ''), category, nullif(array_to_string(flags, ';'), ''),
               nullif(array_to_string(missing_schemes, ';'), ''), region_code
          FROM comparison_result WHERE run_id = ${runId}
         ORDER BY id_number COLLATE "C") TO STDOUT WITH (FORMAT csv)`),
    );
    await pipeline(copy, out);
    return { runId, rows: copy.rowCount ?? 0 };
  } finally {
    await client.end();
  }
}
