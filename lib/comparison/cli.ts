import { CATEGORIES, runComparison, type TSurveyBasis } from "./run";
import { exportResults } from "./export";

// `npm run cli -- compare …` and `export-results …`: thin wrappers over run.ts and export.ts.

export async function compareCommand(flags: Record<string, string | true>): Promise<void> {
  const asOf = typeof flags["as-of"] === "string" ? flags["as-of"] : "";
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf)) throw new Error("usage: compare --as-of YYYY-MM-DD [--basis hukou|residence]");
  const basis = (typeof flags.basis === "string" ? flags.basis : "hukou") as TSurveyBasis;
  const s = await runComparison({
    asOf,
    basis,
    onProgress: (p) => process.stderr.write(`step ${p.step}/${p.total}: ${p.label}\n`),
  });
  console.log(`run ${s.runId}: ${s.persons} persons in ${(s.durationMs / 1000).toFixed(1)} s (as of ${asOf}, basis ${basis}, batches ${s.inputBatchIds.join(",")})`);
  for (const c of CATEGORIES) console.log(`  ${c.padEnd(12)} ${s.byCategory[c] ?? 0}`);
  console.log(`  invalid rows ${s.invalidRows}${Object.keys(s.invalidByReason).length ? ` (${Object.entries(s.invalidByReason).map(([k, v]) => `${k} ${v}`).join(", ")})` : ""}`);
  console.log(`  survey tasks created ${s.tasks.created}, kept ${s.tasks.kept}, settled ${s.tasks.settled}`);
  console.log(`  diff: new ${s.diff.NEW}, gone ${s.diff.GONE}, changed ${s.diff.CHANGED}`);
}

export async function exportResultsCommand(flags: Record<string, string | true>): Promise<void> {
  const run = typeof flags.run === "string" ? flags.run : "latest";
  const out = flags.out;
  if (typeof out !== "string") throw new Error("usage: export-results --run <id|latest> --out <file.csv>");
  const r = await exportResults(run, out);
  console.log(`run ${r.runId}: ${r.rows} rows written to ${out}`);
}

export async function generateCommand(flags: Record<string, string | true>): Promise<void> {
  const persons = Number(flags.persons);
  const outDir = flags.out;
  if (!Number.isInteger(persons) || persons <= 0 || typeof outDir !== "string") {
    throw new Error("usage: generate --persons N --out DIR [--seed S] [--as-of YYYY-MM-DD] [--no-expected]");
  }
  const { generateCity } = await import("./generate");
  const started = performance.now();
  const r = await generateCity({
    persons,
    outDir,
    seed: flags.seed === undefined ? 1 : Number(flags.seed),
    asOf: typeof flags["as-of"] === "string" ? flags["as-of"] : undefined,
    // The oracle keeps every row in memory: by default only for test-sized cities.
    expected: flags["no-expected"] === true ? false : flags.expected === true || persons <= 200_000,
  });
  for (const f of r.files) console.log(`  ${f.file.padEnd(18)} ${f.kind.padEnd(11)} ${f.encoding.padEnd(8)} ${f.rows} rows`);
  if (r.expectedFile) console.log(`  expected-results.csv (oracle: lib/comparison/reference.ts)`);
  console.log(`${r.rows} data rows in ${((performance.now() - started) / 1000).toFixed(1)} s → ${outDir} (import in the order of manifest.json)`);
}
