import { appDatabase } from "@/lib/db/database";
import { migrate } from "@/lib/db/migrate";
import { setEnv } from "@/lib/env";
import { COMMANDS } from "./commands";

// `npm run cli -- <command> [--flag value …]`: thin wrappers over the domain modules. Uses
// DATABASE_URL like the app, or the embedded database under .data/ (shared with a running portal).

export function parseFlags(argv: string[]): Record<string, string | true> {
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith("--")) continue;
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith("--")) {
      flags[a.slice(2)] = next;
      i++;
    } else flags[a.slice(2)] = true;
  }
  return flags;
}

async function main() {
  const [name, ...rest] = process.argv.slice(2);
  const command = name ? COMMANDS[name] : undefined;
  if (!command) {
    console.error(`usage: npm run cli -- <command>\ncommands:\n${Object.entries(COMMANDS).map(([k, c]) => `  ${k.padEnd(16)} ${c.help}`).join("\n")}`);
    process.exit(2);
  }
  const db = command.needsDatabase === false ? null : await appDatabase();
  try {
    if (db) {
      setEnv("DATABASE_URL", db.url);
      await migrate(db.migrationUrl);
    }
    await command.run(parseFlags(rest), db?.url ?? "");
  } finally {
    const { disconnect } = await import("@/lib/db/client");
    await disconnect();
    await db?.stop();
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
