import { importFile } from "./import-file";
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
