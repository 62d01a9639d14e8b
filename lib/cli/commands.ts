import { compareCommand, exportResultsCommand, generateCommand } from "@/lib/comparison/cli";
import { runImportCommand, runImportDirCommand } from "@/lib/import/cli";
import { DEMO_PASSWORD, seedDemo } from "@/prisma/seed/demo";
import { confirmAccountCommand, createAdminCommand } from "./accounts";

// The CLI's command table. Each entry is a thin wrapper over a domain module.

export interface Command {
  help: string;
  needsDatabase?: boolean;
  run: (flags: Record<string, string | true>, databaseUrl: string) => Promise<void>;
}

export const COMMANDS: Record<string, Command> = {
  backup: {
    help: "write a consistent snapshot of the whole database (one transaction, checksummed manifest): --out <file>",
    run: async (flags, url) => (await import("@/lib/backup/cli")).backupCommand(flags, url),
  },
  restore: {
    help: "restore a backup into a freshly migrated, empty database (archive verified first, one transaction): --file <file>",
    run: async (flags, url) => (await import("@/lib/backup/cli")).restoreCommand(flags, url),
  },
  compare: {
    help: "run a comparison: --as-of YYYY-MM-DD [--basis hukou|residence]; prints the run id and counts per category",
    run: async (flags) => compareCommand(flags),
  },
  "bench-compare": {
    help: "benchmark import + comparison on a generated city: --persons N (fresh embedded database unless DATABASE_URL is set)",
    needsDatabase: false,
    run: async (flags) => (await import("@/lib/comparison/bench")).benchCompare(flags),
  },
  "bench-exact": {
    help: "exactness at scale: a generated city in every file format (XLSX, UTF-8/GB18030 CSV) imported, compared and held to the oracle byte for byte: --persons N [--seed S]",
    needsDatabase: false,
    run: async (flags) => (await import("@/lib/comparison/bench-exact")).benchExact(flags),
  },
  "bench-load": {
    help: "the portal under load on loopback: sign-ins, survey lists and form submissions by N users, then lost/doubled checked in the database: [--users 32] [--seconds 30] [--persons 30000] [--per-session 50] [--max M]",
    needsDatabase: false,
    run: async (flags) => (await import("./bench-load")).benchLoad(flags),
  },
  "bench-pages": {
    help: "server response time of the dashboards and lists at 1 M persons (p95 target 100 ms): [--persons 1000000] [--requests 500] [--concurrency 4] [--only page,…] [--keep DIR | --reuse DIR]",
    needsDatabase: false,
    run: async (flags) => (await import("./bench-pages")).benchPages(flags),
  },
  generate: {
    help: "write a synthetic city in the import formats (+ expected-results.csv): --persons N --out DIR [--seed S] [--as-of YYYY-MM-DD]",
    needsDatabase: false,
    run: async (flags) => generateCommand(flags),
  },
  "export-results": {
    help: "write a run's results export (UTF-8 CSV with BOM): --run <id|latest> --out <file.csv>",
    run: async (flags) => exportResultsCommand(flags),
  },
  "employers-export": {
    help: "employers for labour inspection (statistics.md §5), UTF-8 CSV with BOM and CRLF: --run <id|latest> --out <file.csv>",
    run: async (flags) => {
      if (typeof flags.out !== "string") throw new Error("usage: npm run cli -- employers-export --run <id|latest> --out FILE");
      const { exportEmployers } = await import("@/lib/outcomes/employers");
      const r = await exportEmployers(typeof flags.run === "string" ? flags.run : "latest", flags.out);
      console.log(`run ${r.runId}: ${r.rows} employers written to ${flags.out}`);
    },
  },
  "stats-export": {
    help: "write a run's statistics (statistics.md §4, UTF-8 CSV with BOM, CRLF): --run <id|latest> --out <file.csv>",
    run: async (flags) => {
      const out = flags.out;
      if (typeof out !== "string") throw new Error("usage: stats-export --run <id|latest> --out <file.csv>");
      const { exportStats } = await import("@/lib/stats/export");
      const r = await exportStats(typeof flags.run === "string" ? flags.run : "latest", out);
      console.log(`run ${r.runId}: ${r.rows} rows written to ${out}`);
    },
  },
  snapshot: {
    help: "take the month-end snapshot of the statistics: [--month YYYY-MM] (default: the current month; replaces it)",
    run: async (flags) => {
      const { takeSnapshot } = await import("@/lib/stats/snapshot");
      const r = await takeSnapshot(typeof flags.month === "string" ? flags.month : null);
      console.log(`snapshot ${r.month}: ${r.rows} rows (run ${r.runId ?? "none"})`);
    },
  },
  import: {
    help: "import a data file: --kind <regions|population|enrolment|department|elsewhere> --file <path> [--replace]",
    run: async (flags) => runImportCommand(flags),
  },
  "import-dir": {
    help: "import a folder written by generate, in its manifest's order: --dir DIR [--concurrency N]",
    run: async (flags) => runImportDirCommand(flags),
  },
  migrate: {
    help: "apply pending migrations (nothing else)",
    run: async () => {
      console.log("migrations applied");
    },
  },
  "create-admin": {
    help: "create a system administrator: --login X [--name N]; prints a one-time password, to be changed at first sign-in",
    run: async (flags) => createAdminCommand(flags),
  },
  "confirm-account": {
    help: "bootstrap only: confirm an account request no portal account can confirm yet: --request ID (no flag: list pending)",
    run: async (flags) => confirmAccountCommand(flags),
  },
  seed: {
    help: "seed the demo city (accounts with password demo1234) into an empty database: never on a production database",
    run: async (_flags, url) => {
      const accounts = await seedDemo(url);
      console.log(`demo accounts (password ${DEMO_PASSWORD}): ${accounts.map((a) => a.login).join(", ")}`);
    },
  },
};
