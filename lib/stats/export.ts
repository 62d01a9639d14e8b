import fs from "node:fs";
import pg from "pg";
import { env } from "@/lib/env";
import { emptyFigures, figuresUnder, statsRun } from "./figures";
import { MEASURE_CODES, NO_REGION } from "./measures";

// The statistics export (statistics.md §4): UTF-8 CSV with BOM, CRLF, header region_code,measure,value;
// one row per region of the tree (every region of the city, also those with zero persons) and measure
// (in the order of lib/stats/measures.ts), plus the city-only '-' rows; sorted by region_code in
// code-point order (so '-' first), then measure order. The same figures as the pages (figures.ts).

export const STATS_HEADER = "region_code,measure,value";

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0; // ASCII codes: UTF-16 order is code-point order
}

export async function exportStats(run: string | number, outPath: string, databaseUrl = env().DATABASE_URL): Promise<{ runId: number; rows: number }> {
  if (run !== "latest" && !/^\d+$/.test(String(run))) throw new Error(`--run must be a run id or "latest", got ${run}`);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const r = await statsRun(client, run === "latest" ? "latest" : Number(run));
    if (!r) throw new Error(`no finished comparison run ${run} with statistics`);
    const figures = await figuresUnder(client, r.id, r.cityCode);
    const { rows: regions } = await client.query<{ code: string }>(`SELECT code FROM region WHERE starts_with(code, $1)`, [r.cityCode]);
    const codes = [NO_REGION, ...regions.map((x) => x.code)].sort(byCodePoint);
    const lines = [`\uFEFF${STATS_HEADER}`];
    for (const code of codes) {
      const f = figures.get(code) ?? emptyFigures();
      for (const m of MEASURE_CODES) lines.push(`${code},${m},${f[m]}`);
    }
    fs.writeFileSync(outPath, `${lines.join("\r\n")}\r\n`);
    return { runId: r.id, rows: lines.length - 1 };
  } finally {
    await client.end();
  }
}
