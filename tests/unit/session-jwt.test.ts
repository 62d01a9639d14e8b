import { decode, encode } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { decodeSessionToken, encodeSessionToken } from "@/lib/auth/jwt";

// The session token is next-auth's format, written and read with a kept derived key: tokens of
// either implementation are read by the other, and a token under another secret or altered is not.

const secret = "a-test-secret-of-some-length-0123456789";

describe("session token (lib/auth/jwt.ts)", () => {
  it("is read by next-auth, and reads next-auth's", async () => {
    const ours = await encodeSessionToken({ token: { uid: 7, sv: 3, name: "clerk" }, secret, maxAge: 600 });
    expect(await decode({ token: ours, secret })).toMatchObject({ uid: 7, sv: 3, name: "clerk" });
    const theirs = await encode({ token: { uid: 8, sv: 1 }, secret, maxAge: 600 });
    const payload = await decodeSessionToken({ token: theirs, secret });
    expect(payload).toMatchObject({ uid: 8, sv: 1 });
    expect(Number(payload?.exp) - Number(payload?.iat)).toBe(600);
  });

  it("refuses another secret, an altered token and an expired one", async () => {
    const token = await encodeSessionToken({ token: { uid: 7, sv: 3 }, secret, maxAge: 600 });
    await expect(decodeSessionToken({ token, secret: `${secret}x` })).rejects.toThrow();
    const parts = token.split(".");
    parts[3] = (parts[3][0] === "A" ? "B" : "A") + parts[3].slice(1);
    await expect(decodeSessionToken({ token: parts.join("."), secret })).rejects.toThrow();
    const expired = await encodeSessionToken({ token: { uid: 7, sv: 3 }, secret, maxAge: -60 });
    await expect(decodeSessionToken({ token: expired, secret })).rejects.toThrow();
    expect(await decodeSessionToken({ token: "", secret })).toBeNull();
  });
});
