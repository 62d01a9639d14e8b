import fs from "node:fs";
import path from "node:path";
import { importFile, importFiles } from "./import-file";
import { IMPORT_KINDS, isImportKind } from "./formats";
import { ImportError } from "./import-error";

// `npm run cli -- import --kind <kind> --file <path> [--replace]`: prints the batch and its counts;
// a refused file prints "file:line:column reason message" and exits non-zero.

export async function runImportCommand(flags: Record<string, string | true>): Promise<void> {
  const kind = flags.kind;
  const file = flags.file;
  if (typeof kind !== "string" || !isImportKind(kind) || typeof file !== "string") {
    throw new Error(`usage: npm run cli -- import --kind <${IMPORT_KINDS.join("|")}> --file <path> [--replace]`);
  }
  const started = performance.now();
  try {
    const r = await importFile({ kind, filePath: file, replace: flags.replace === true });
    const seconds = (performance.now() - started) / 1000;
    console.log(`batch ${r.batchId} (${kind}, ${r.encoding}): ${r.rowsRead} rows read, ${r.rowsLoaded} loaded, ${r.rowsInvalid} invalid in ${seconds.toFixed(1)} s`);
  } catch (e) {
    if (!(e instanceof ImportError)) throw e;
    const r = e.refusal;
    // The CLI's runner prints the message to stderr and exits 1 after closing the database.
    throw new Error(`${r.file}:${r.line ?? ""}:${r.column ?? ""} ${r.reason} ${e.message}`);
  }
}

/**
 * `npm run cli -- import-dir --dir DIR [--concurrency N]`: imports a folder written by `generate` (its
 * manifest.json lists the files in import order), one file at a time by default; prints each batch.
 */
export async function runImportDirCommand(flags: Record<string, string | true>): Promise<void> {
  const dir = flags.dir;
  const concurrency = flags.concurrency === undefined ? 1 : Number(flags.concurrency);
  if (typeof dir !== "string" || !Number.isInteger(concurrency) || concurrency < 1) throw new Error("usage: npm run cli -- import-dir --dir DIR [--concurrency N]");
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8")) as { files: { kind: string; file: string }[] };
  const files = manifest.files.map((f) => {
    if (!isImportKind(f.kind)) throw new Error(`manifest.json: unknown kind ${f.kind}`);
    return { kind: f.kind, filePath: path.join(dir, f.file) };
  });
  const started = performance.now();
  const results = await importFiles(files, concurrency);
  for (const [i, r] of results.entries()) {
    const name = manifest.files[i].file;
    if (r instanceof ImportError) console.log(`${name}: refused — ${r.message}`);
    else if (r) console.log(`${name}: batch ${r.batchId} (${files[i].kind}), ${r.rowsLoaded} rows loaded, ${r.rowsInvalid} invalid`);
    else console.log(`${name}: not imported`);
  }
  console.log(`${results.filter((r) => r && !(r instanceof ImportError)).length} of ${files.length} files in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  if (results.some((r) => !r || r instanceof ImportError)) throw new Error("import-dir: not every file was imported");
}
