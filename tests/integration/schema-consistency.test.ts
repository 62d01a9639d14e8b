import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parsePrismaSchema, schemaDifferences } from "@/lib/db/schema-check";
import { env } from "@/lib/env";
import { freshDatabase } from "../helpers/db";

const schemaText = fs.readFileSync(path.resolve(import.meta.dirname, "../../prisma/schema.prisma"), "utf8");
let client: pg.Client;

beforeAll(async () => {
  // As the owner role: the tests below alter a table to see the difference reported.
  await freshDatabase();
  client = new pg.Client({ connectionString: env().MIGRATION_DATABASE_URL ?? env().DATABASE_URL });
  await client.connect();
});
afterAll(async () => client.end());

describe("the migrated database and schema.prisma", () => {
  it("agree on tables, columns, types, nullability, enums and declared indexes", async () => {
    expect(await schemaDifferences(client, parsePrismaSchema(schemaText))).toEqual([]);
  });

  it("a column type changed in schema.prisma is reported", async () => {
    const changed = schemaText.replace("realName     String     @map(\"real_name\")", "realName     Int        @map(\"real_name\")");
    expect(changed).not.toBe(schemaText);
    expect(await schemaDifferences(client, parsePrismaSchema(changed))).toContain("column app_user.real_name: type text in the database, integer in schema.prisma");
  });

  it("a field missing from the database, an enum value and an index are reported", async () => {
    const changed = schemaText
      .replace("  active       Boolean    @default(true)\n", "  active       Boolean    @default(true)\n  nickname     String?\n")
      .replace("  AUDITOR\n}", "  AUDITOR\n  GUEST\n}")
      .replace("  @@index([regionCode])\n  @@map(\"app_user\")", "  @@index([regionCode])\n  @@index([realName])\n  @@map(\"app_user\")");
    const diffs = await schemaDifferences(client, parsePrismaSchema(changed));
    expect(diffs).toContain("column app_user.nickname: missing in the database");
    expect(diffs.some((d) => d.startsWith("enum Role:"))).toBe(true);
    expect(diffs).toContain("index app_user_real_name_idx: declared in schema.prisma, missing in the database");
  });

  it("a nullable column declared required is reported", async () => {
    await client.query(`ALTER TABLE region ALTER COLUMN name DROP NOT NULL`);
    try {
      expect(await schemaDifferences(client, parsePrismaSchema(schemaText))).toContain("column region.name: nullable true in the database, false in schema.prisma");
    } finally {
      await client.query(`ALTER TABLE region ALTER COLUMN name SET NOT NULL`);
    }
  });
});
