import { runImportCommand } from "@/lib/import/cli";
import { DEMO_PASSWORD, seedDemo } from "@/prisma/seed/demo";

// The CLI's command table. Each entry is a thin wrapper over a domain module.

export interface Command {
  help: string;
  needsDatabase?: boolean;
  run: (flags: Record<string, string | true>, databaseUrl: string) => Promise<void>;
}

export const COMMANDS: Record<string, Command> = {
  import: {
    help: "import a data file: --kind <regions|population|enrolment|department|elsewhere> --file <path> [--replace]",
    run: async (flags) => runImportCommand(flags),
  },
  migrate: {
    help: "apply pending migrations (nothing else)",
    run: async () => {
      console.log("migrations applied");
    },
  },
  seed: {
    help: "seed the demo city into an empty database",
    run: async (_flags, url) => {
      const accounts = await seedDemo(url);
      console.log(`demo accounts (password ${DEMO_PASSWORD}): ${accounts.map((a) => a.login).join(", ")}`);
    },
  },
};
