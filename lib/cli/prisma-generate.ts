import { spawnSync } from "node:child_process";
import path from "node:path";

// `prisma generate` offline. The Prisma CLI insists on locating its schema engine even though
// generate never runs it; pointing PRISMA_SCHEMA_ENGINE_BINARY at any existing file satisfies it.
const ROOT = path.resolve(import.meta.dirname, "../..");
const result = spawnSync(process.execPath, [path.join(ROOT, "node_modules/prisma/build/index.js"), "generate", "--schema", "prisma/schema.prisma"], {
  cwd: ROOT,
  stdio: "inherit",
  env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" },
});
process.exit(result.status ?? 1);
