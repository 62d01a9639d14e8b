import path from "node:path";
import { backupDatabase } from "./backup";
import { BackupError } from "./messages";
import { restoreDatabase } from "./restore";

// `npm run cli -- backup --out FILE` and `npm run cli -- restore --file FILE`.

function flag(flags: Record<string, string | true>, name: string): string {
  const v = flags[name];
  if (typeof v !== "string" || !v) throw new Error(`--${name} <file> is required`);
  return path.resolve(v);
}

/** A refusal prints its Chinese message (and the English one) and fails the command. */
async function reporting<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof BackupError) throw new Error(`${e.message}\n(${e.english})`);
    throw e;
  }
}

export async function backupCommand(flags: Record<string, string | true>, databaseUrl: string): Promise<void> {
  const out = flag(flags, "out");
  const s = await reporting(() => backupDatabase(databaseUrl, out));
  console.log(`备份完成：${s.file}（${s.tables} 张表，${s.rows} 行，${s.bytes} 字节）`);
}

export async function restoreCommand(flags: Record<string, string | true>, databaseUrl: string): Promise<void> {
  const file = flag(flags, "file");
  const s = await reporting(() => restoreDatabase(databaseUrl, file));
  console.log(`恢复完成：${s.tables} 张表，${s.rows} 行。`);
}
