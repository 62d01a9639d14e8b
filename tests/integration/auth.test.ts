import bcrypt from "bcryptjs";
import { beforeAll, describe, expect, it } from "vitest";
import { verifyCredentials } from "@/lib/auth/options";
import { prisma } from "@/lib/db/client";
import { freshDatabase } from "../helpers/db";

beforeAll(async () => {
  await freshDatabase();
  const passwordHash = await bcrypt.hash("correct-horse", 4);
  await prisma().region.create({ data: { code: "3204", name: "常州市", level: "CITY" } });
  await prisma().user.create({ data: { login: "clerk", realName: "测试", passwordHash, role: "CITY_STAFF", regionCode: "3204", confirmedAt: new Date() } });
  await prisma().user.create({ data: { login: "gone", realName: "停用", passwordHash, role: "CITY_STAFF", regionCode: "3204", active: false, confirmedAt: new Date() } });
});

describe("sign-in", () => {
  it("accepts the right password", async () => {
    expect(await verifyCredentials("clerk", "correct-horse")).toMatchObject({ login: "clerk" });
  });
  it("refuses a wrong password", async () => {
    expect(await verifyCredentials("clerk", "wrong")).toBeNull();
  });
  it("refuses an unknown login", async () => {
    expect(await verifyCredentials("nobody", "correct-horse")).toBeNull();
  });
  it("refuses a disabled account even with the right password", async () => {
    expect(await verifyCredentials("gone", "correct-horse")).toBeNull();
  });
});

describe("audit log", () => {
  it("is append-only: updates and deletes are refused by the database", async () => {
    await prisma().auditLog.create({ data: { action: "test.write" } });
    await expect(prisma().auditLog.updateMany({ data: { action: "tampered" } })).rejects.toThrow();
    await expect(prisma().auditLog.deleteMany({})).rejects.toThrow();
    expect(await prisma().auditLog.count({ where: { action: "test.write" } })).toBe(1);
  });
});

describe("password hash upgrade", () => {
  it("replaces a bcrypt hash by a scrypt one at a successful sign-in, and the password still works", async () => {
    const { signInAttempt } = await import("@/lib/auth/options");
    await prisma().user.create({ data: { login: "old-hash", realName: "旧哈希", passwordHash: await bcrypt.hash("correct-horse", 4), role: "CITY_STAFF", regionCode: "3204", confirmedAt: new Date() } });
    expect(await signInAttempt("old-hash", "wrong", "10.0.0.9")).toBeNull();
    expect((await prisma().user.findUniqueOrThrow({ where: { login: "old-hash" } })).passwordHash).toMatch(/^\$2[aby]\$/);
    expect(await signInAttempt("old-hash", "correct-horse", "10.0.0.9")).toMatchObject({ login: "old-hash" });
    const stored = (await prisma().user.findUniqueOrThrow({ where: { login: "old-hash" } })).passwordHash;
    expect(stored).toMatch(/^scrypt\$/);
    expect(await verifyCredentials("old-hash", "correct-horse")).toMatchObject({ login: "old-hash" });
    expect(await verifyCredentials("old-hash", "wrong")).toBeNull();
  });
});
