import { z } from "zod";

// The only place that reads process.env. Values are validated once, lazily, so that `next build`
// (which runs without a database) never needs them.
const ZEnv = z.object({
  DATABASE_URL: z.string().url().optional(),
  /** The owner role's connection that runs the migrations (beside DATABASE_URL, the application's role). */
  MIGRATION_DATABASE_URL: z.string().url().optional(),
  TEST_DATABASE_URL: z.string().url().optional(),
  NEXTAUTH_SECRET: z.string().min(16).optional(),
  NEXTAUTH_URL: z.string().url().optional(),
  PORT: z.coerce.number().int().positive().default(3000),
  /** `next start` worker processes behind the port (lib/cli/serve-cluster.mjs); default: one per CPU. */
  PORTAL_WORKERS: z.coerce.number().int().min(1).max(256).optional(),
  /** 4-digit code of the city this portal serves (常州 3204). */
  CITY_CODE: z.string().regex(/^\d{4}$/).default("3204"),
  CHROMIUM_PATH: z.string().optional(),
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** Largest file the portal's upload accepts, in MB (the upload is refused while streaming past it). */
  UPLOAD_MAX_MB: z.coerce.number().int().positive().default(300),
  /** Folder for the embedded PostgreSQL data and generated secrets. */
  DATA_DIR: z.string().default(".data"),
});
export type TEnv = z.infer<typeof ZEnv>;

let cached: TEnv | undefined;

export function env(): TEnv {
  if (!cached) {
    const parsed = ZEnv.safeParse(process.env);
    if (!parsed.success) {
      throw new Error(`Invalid environment: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
    }
    cached = parsed.data;
  }
  return cached;
}

/** For launchers that set variables for themselves and their children before anything reads them. */
export function setEnv(name: Exclude<keyof TEnv, "NODE_ENV">, value: string): void {
  process.env[name] = value;
  cached = undefined;
}
