import { describe, expect, it } from "vitest";
import { isCommonPassword, COMMON_PASSWORDS } from "@/lib/auth/common-passwords";
import { characterClasses, generateOneTimePassword, passwordProblem } from "@/lib/auth/password-policy";
import crypto from "node:crypto";

describe("password policy", () => {
  it.each([
    ["Ab3$xyzUV", "password.tooShort"], // 9 characters
    ["abcdefghijk", "password.classes"], // one class
    ["abcdefghij12", "password.classes"], // two classes
    ["qinglongXX9!", "password.containsLogin"],
    ["xxGNOLGNIQ9!", "password.containsLogin"], // the login reversed, any case
    ["Password@123", "password.common"],
    ["WOAINI1314x", null], // common stem but not on the list
    ["woaini5201314", "password.classes"],
    ["Welcome@2026", "password.common"],
    ["Tiger-lake-42", null],
    ["青龙街道2026年x", null], // Chinese characters count as symbols: 3 classes, 11 characters
    ["x".repeat(129) + "A1", "password.tooLong"],
  ])("%s → %s", (password, expected) => {
    expect(passwordProblem(password, "qinglong")).toBe(expected);
  });

  it("the demo password does not satisfy the policy (it predates it and is never re-checked)", () => {
    expect(passwordProblem("demo1234", "city")).toBe("password.tooShort");
  });

  it("counts character classes", () => {
    expect(characterClasses("abc")).toBe(1);
    expect(characterClasses("aB1")).toBe(3);
    expect(characterClasses("aB1!")).toBe(4);
  });

  it("the common list is compared case-insensitively and holds only entries the length rule lets through", () => {
    expect(isCommonPassword("PASSWORD@123")).toBe(true);
    expect(isCommonPassword("Tiger-lake-42")).toBe(false);
    expect(COMMON_PASSWORDS.filter((p) => p.length < 10)).toEqual([]);
  });

  it("generated one-time passwords always satisfy the policy and differ", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const p = generateOneTimePassword((max) => crypto.randomInt(max));
      expect(p).toHaveLength(12);
      expect(passwordProblem(p, "surveyor1")).toBeNull();
      seen.add(p);
    }
    expect(seen.size).toBe(500);
  });
});
