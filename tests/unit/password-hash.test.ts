import bcrypt from "bcryptjs";
import { describe, expect, it } from "vitest";
import { hashPassword, needsRehash, SCRYPT, verifyPassword } from "@/lib/auth/password-hash";

// New password hashes are scrypt (native, off the event loop); bcrypt hashes written before are
// still accepted and marked for replacement.

describe("password hashes", () => {
  it("hashes with scrypt and a fresh salt, and verifies only the right password", async () => {
    const a = await hashPassword("Correct-Horse-42");
    const b = await hashPassword("Correct-Horse-42");
    expect(a).toMatch(new RegExp(`^scrypt\\$${SCRYPT.N}\\$${SCRYPT.r}\\$${SCRYPT.p}\\$[A-Za-z0-9+/=]+\\$[A-Za-z0-9+/=]+$`));
    expect(a).not.toBe(b);
    expect(await verifyPassword("Correct-Horse-42", a)).toBe(true);
    expect(await verifyPassword("Correct-Horse-43", a)).toBe(false);
    expect(await verifyPassword("", a)).toBe(false);
    expect(needsRehash(a)).toBe(false);
  });

  it("still verifies a bcrypt hash from before, and asks for it to be replaced", async () => {
    const old = await bcrypt.hash("demo1234", 4);
    expect(await verifyPassword("demo1234", old)).toBe(true);
    expect(await verifyPassword("demo12345", old)).toBe(false);
    expect(needsRehash(old)).toBe(true);
  });

  it("refuses unreadable or tampered hashes", async () => {
    const good = await hashPassword("x");
    const parts = good.split("$");
    expect(await verifyPassword("x", "x")).toBe(false);
    expect(await verifyPassword("x", "")).toBe(false);
    expect(await verifyPassword("x", ["scrypt", String(2 ** 30), ...parts.slice(2)].join("$"))).toBe(false);
    expect(await verifyPassword("x", [...parts.slice(0, 5), Buffer.alloc(32).toString("base64")].join("$"))).toBe(false);
    expect(needsRehash(["scrypt", "1024", ...parts.slice(2)].join("$"))).toBe(true);
  });
});
