import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmbedded } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import { env, setEnv } from "@/lib/env";
import { importFiles } from "@/lib/import/import-file";
import { ImportError } from "@/lib/import/import-error";
import { exportResults } from "./export";
import { convertCity, FILE_FORMATS } from "./formats";
import { generateCity } from "./generate";
import { runComparison } from "./run";

// `npm run bench:exact -- --persons 100000 [--seed S]`: exactness at scale (issue: every Excel cell
// arrives intact). Generates a city with the oracle's expected results (reference.ts), rewrites its
// data files in every format a clerk's files come in (lib/comparison/formats.ts: XLSX with shared
// strings and with inline strings, UTF-8 CSV with and without BOM, GB18030 CSV), imports them through
// the real importer, compares, exports, and requires the export to equal expected-results.csv byte
// for byte. The files span many zip entries' inflate chunks (16 KiB) and read buffers (1 MiB).
// Ends with one line: persons=… files=… bytes=… equal=yes|no; exits non-zero unless equal.

export async function benchExact(flags: Record<string, string | true>): Promise<void> {
  const persons = Number(flags.persons ?? 100_000);
  const seed = flags.seed === undefined ? 1 : Number(flags.seed);
  if (!Number.isInteger(persons) || persons <= 0 || !Number.isInteger(seed)) throw new Error("usage: bench-exact --persons N [--seed S] [--keep]");
  const asOf = "2026-11-25";
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "bench-exact-"));
  const dataDir = path.join(work, "data");
  const ownDb = !env().DATABASE_URL;
  const server = ownDb ? await startEmbedded({ dir: path.join(work, "pg"), database: "bench", persistent: false }) : null;
  const url = server?.url ?? env().DATABASE_URL!;
  setEnv("DATABASE_URL", url);
  const seconds = (t0: number) => (performance.now() - t0) / 1000;
  let equal = false;
  try {
    await migrate(url);
    let t = performance.now();
    const gen = await generateCity({ persons, outDir: dataDir, seed, asOf, expected: true });
    console.log(`generate  ${seconds(t).toFixed(1)} s (seed ${seed}, oracle's expected results included)`);
    t = performance.now();
    const files = await convertCity(dataDir, gen.files);
    console.log(`formats   ${seconds(t).toFixed(1)} s`);
    for (const f of files) console.log(`          ${f.file.padEnd(18)} ${f.format.padEnd(12)} ${String(f.rows).padStart(9)} rows ${(f.bytes / 1e6).toFixed(1).padStart(7)} MB`);
    t = performance.now();
    const imported = await importFiles(files.map((f) => ({ kind: f.kind, filePath: path.join(dataDir, f.file) })));
    const refused = imported.find((r) => !r || r instanceof ImportError);
    if (refused !== undefined) throw new Error(`import refused: ${refused instanceof Error ? refused.message : "a file was not imported"}`);
    console.log(`import    ${seconds(t).toFixed(1)} s`);
    t = performance.now();
    const summary = await runComparison({ asOf });
    console.log(`compare   ${seconds(t).toFixed(1)} s (${summary.persons} persons in scope)`);
    const out = path.join(work, "results.csv");
    await exportResults(summary.runId, out);
    const expected = fs.readFileSync(gen.expectedFile!);
    const actual = fs.readFileSync(out);
    equal = expected.equals(actual);
    if (!equal) {
      const e = expected.toString("utf8").split("\n");
      const a = actual.toString("utf8").split("\n");
      const i = e.findIndex((line, k) => line !== a[k]);
      console.log(`first difference at line ${i + 1}:\n  expected ${e[i]}\n  actual   ${a[i]}\n  (${e.length - 2} expected rows, ${a.length - 2} exported)`);
    }
    const bytes = files.reduce((s, f) => s + f.bytes, 0);
    console.log(`persons=${persons} seed=${seed} files=${files.length} formats=${new Set(files.map((f) => f.format)).size}/${FILE_FORMATS.length} bytes=${bytes} results=${summary.persons} equal=${equal ? "yes" : "no"}`);
  } finally {
    const { disconnect } = await import("@/lib/db/client");
    await disconnect();
    await server?.stop();
    if (flags.keep !== true) fs.rmSync(work, { recursive: true, force: true });
  }
  if (!equal) process.exitCode = 1;
}
