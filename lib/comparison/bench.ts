import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { startEmbedded } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import { env, setEnv } from "@/lib/env";
import { exportResults } from "./export";
import { generateCity } from "./generate";
import { RUN_SETTINGS, runComparison } from "./run";

// `npm run bench:compare -- --persons N`: generates a city, then measures in one process
//   floor   — bare COPY of the same files into unindexed text tables (what the disk and parser cost),
//   import  — the real importer (lib/import importFiles) for every file, in manifest order,
//   compare — one comparison run, export — the results export,
//   least   — the least any comparison of these inputs does (see LEAST), for scale;
// and prints rows/s, persons/s, the ratio (import + compare) / floor and the peak Node RSS.
// A fresh embedded PostgreSQL in a temporary folder, unless DATABASE_URL names a database.

/**
 * The least a comparison of the imported data does, with no rule applied: the valid records grouped
 * per person (population rows one per ID, enrolment records as the set of their schemes), the two
 * joined, and one keyed row per person written twice — the results and the registry (domain.md),
 * each a table with its primary key. Run in the comparison's settings, in a transaction rolled back.
 */
const LEAST = [
  `CREATE UNLOGGED TABLE least_person AS
   SELECT coalesce(p.k, e.k) AS k, p.name, e.schemes
     FROM (SELECT left(id_number, 17)::bigint AS k, min(name) AS name FROM population_record WHERE id_invalid IS NULL GROUP BY 1) p
     FULL JOIN (SELECT left(id_number, 17)::bigint AS k,
                       bit_or(CASE scheme WHEN '110' THEN 1 WHEN '120' THEN 2 WHEN '170' THEN 4 WHEN '310' THEN 8
                                          WHEN '390' THEN 16 WHEN '210' THEN 32 WHEN '410' THEN 64 ELSE 128 END) AS schemes
                  FROM enrolment_record WHERE id_invalid IS NULL GROUP BY 1) e ON e.k = p.k`,
  "CREATE TABLE least_result AS SELECT * FROM least_person",
  "ALTER TABLE least_result ADD PRIMARY KEY (k)",
  "CREATE TABLE least_registry AS SELECT * FROM least_person",
  "ALTER TABLE least_registry ADD PRIMARY KEY (k)",
];

export async function benchCompare(flags: Record<string, string | true>): Promise<void> {
  const persons = Number(flags.persons ?? 1_000_000);
  if (!Number.isInteger(persons) || persons <= 0) throw new Error("usage: bench-compare --persons N [--seed S] [--keep]");
  const seed = flags.seed === undefined ? 1 : Number(flags.seed);
  const asOf = "2026-11-25";
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "bench-compare-"));
  const dataDir = path.join(work, "data");
  const ownDb = !env().DATABASE_URL;
  const server = ownDb ? await startEmbedded({ dir: path.join(work, "pg"), database: "bench", persistent: false }) : null;
  const url = server?.url ?? env().DATABASE_URL!;
  setEnv("DATABASE_URL", url);
  let peakSample = 0;
  const sampler = setInterval(() => (peakSample = Math.max(peakSample, process.memoryUsage().rss)), 200);
  const seconds = (t0: number) => (performance.now() - t0) / 1000;
  try {
    await migrate(server?.migrationUrl ?? env().MIGRATION_DATABASE_URL ?? url);
    console.log(`generating ${persons} persons (seed ${seed}) in ${dataDir} …`);
    let t = performance.now();
    const gen = await generateCity({ persons, outDir: dataDir, seed, asOf, expected: false });
    const rows = gen.files.reduce((a, f) => a + f.rows, 0);
    console.log(`generate  ${seconds(t).toFixed(1)} s, ${rows} rows in ${gen.files.length} files`);

    // The floor: COPY each file as it is into an unindexed table of text columns.
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    t = performance.now();
    for (const [i, f] of gen.files.entries()) {
      const file = path.join(dataDir, f.file);
      const header = fs.readFileSync(file).subarray(0, 4096).toString("latin1").split("\n")[0];
      const columns = header.split(",").length;
      await client.query(`CREATE UNLOGGED TABLE floor_${i} (${Array.from({ length: columns }, (_, k) => `c${k} text`).join(", ")})`);
      const copy = client.query(copyFrom(`COPY floor_${i} FROM STDIN WITH (FORMAT csv, HEADER true, ENCODING '${f.encoding === "gb18030" ? "GB18030" : "UTF8"}')`));
      await pipeline(fs.createReadStream(file), copy);
    }
    const floorS = seconds(t);
    for (let i = 0; i < gen.files.length; i++) await client.query(`DROP TABLE floor_${i}`);
    await client.end();
    console.log(`floor     ${floorS.toFixed(1)} s  (${Math.round(rows / floorS)} rows/s)`);

    // The import as `npm run cli -- import-dir` does it: in manifest order.
    const { importFiles } = await import("@/lib/import/import-file");
    t = performance.now();
    const imported = await importFiles(gen.files.map((f) => ({ kind: f.kind, filePath: path.join(dataDir, f.file) })));
    const notLoaded = imported.findIndex((r) => !r || r instanceof Error);
    if (notLoaded >= 0) throw new Error(`import of ${gen.files[notLoaded].file} failed: ${String(imported[notLoaded])}`);
    const importS = seconds(t);
    console.log(`import    ${importS.toFixed(1)} s  (${Math.round(rows / importS)} rows/s)`);

    t = performance.now();
    const summary = await runComparison({ asOf, onProgress: (p) => process.stdout.write(`  compare step ${p.step}/${p.total} ${p.label} (${seconds(t).toFixed(1)} s)\n`) });
    const compareS = seconds(t);
    console.log(`compare   ${compareS.toFixed(1)} s  (${Math.round(summary.persons / compareS)} persons/s, ${summary.persons} persons in scope)`);
    console.log(`          ${Object.entries(summary.byCategory).map(([k, v]) => `${k} ${v}`).join(", ")}`);

    t = performance.now();
    const exported = await exportResults(summary.runId, path.join(work, "results.csv"));
    const exportS = seconds(t);
    console.log(`export    ${exportS.toFixed(1)} s  (${Math.round(exported.rows / exportS)} rows/s)`);

    const least = new pg.Client({ connectionString: url });
    await least.connect();
    await least.query("BEGIN");
    for (const setting of RUN_SETTINGS) await least.query(setting);
    t = performance.now();
    for (const statement of LEAST) await least.query(statement);
    const leastS = seconds(t);
    await least.query("ROLLBACK");
    await least.end();
    console.log(`least     ${leastS.toFixed(1)} s  (no rule: records grouped per person, joined with the population, written as results and registry)`);
    console.log(`          (import + least) / floor = ${((importS + leastS) / floorS).toFixed(2)}`);

    const peakRssMb = Math.max(peakSample, process.resourceUsage().maxRSS * 1024) / 1024 / 1024;
    const ratio = (importS + compareS) / floorS;
    console.log(`import + compare ${(importS + compareS).toFixed(1)} s for ${persons} persons (${Math.round(persons / (importS + compareS))} persons/s)`);
    console.log(`persons=${persons} floor_s=${floorS.toFixed(1)} import_s=${importS.toFixed(1)} compare_s=${compareS.toFixed(1)} ratio=${ratio.toFixed(2)} peak_rss_mb=${Math.round(peakRssMb)}`);
  } finally {
    clearInterval(sampler);
    const { disconnect } = await import("@/lib/db/client");
    await disconnect();
    await server?.stop();
    if (flags.keep !== true) fs.rmSync(work, { recursive: true, force: true });
  }
}
