import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { env } from "@/lib/env";
import { PrismaClient } from "@/lib/generated/prisma/client";

// One Prisma client and one pg pool per process (kept on globalThis so that dev reloads reuse them).
// Prisma serves the application's row-at-a-time work; the pool serves bulk SQL and COPY.

const globals = globalThis as unknown as { __prisma?: PrismaClient; __pool?: pg.Pool };

function databaseUrl(): string {
  const url = env().DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set (npm start sets it for the embedded database)");
  return url;
}

export function pool(): pg.Pool {
  if (!globals.__pool) {
    globals.__pool = new pg.Pool({ connectionString: databaseUrl(), max: 10 });
    // An idle connection that the server drops (restart, admin kill) must not crash the process:
    // the pool discards it and the next query opens a new one.
    globals.__pool.on("error", (e) => console.error(`[db] idle connection lost: ${e.message}`));
  }
  return globals.__pool;
}

export function prisma(): PrismaClient {
  globals.__prisma ??= new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl() }) });
  return globals.__prisma;
}

export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

export async function disconnect(): Promise<void> {
  await globals.__prisma?.$disconnect();
  await globals.__pool?.end();
  globals.__prisma = undefined;
  globals.__pool = undefined;
}
