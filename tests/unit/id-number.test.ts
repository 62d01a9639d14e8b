import { describe, expect, it } from "vitest";
import { checkCharacter, genderOf, makeIdNumber, maskIdNumber, maskPhone, normaliseIdNumber, validateIdNumber } from "@/lib/ids/id-number";

const AS_OF = "2026-11-25";

describe("GB 11643 check character", () => {
  it("matches the standard's worked example 11010519491231002X", () => {
    expect(checkCharacter("11010519491231002")).toBe("X");
  });
  it("a generated ID validates", () => {
    const id = makeIdNumber("320402", "19800101", 123);
    expect(validateIdNumber(id, AS_OF)).toEqual({ ok: true, id });
  });
});

describe("normalisation (comparison-rules §1)", () => {
  it("trims, converts full-width digits and upper-cases x", () => {
    expect(normaliseIdNumber(" １１０１０５１９４９１２３１００２ｘ ")).toBe("11010519491231002X");
  });
  it("converts 15 digits to 18: inserts 19 before the year and appends the check character", () => {
    expect(normaliseIdNumber("110105491231002")).toBe("11010519491231002X");
    expect(validateIdNumber("110105491231002", AS_OF)).toEqual({ ok: true, id: "11010519491231002X" });
  });
});

describe("invalid reasons, first failure wins", () => {
  it("empty and wrong lengths are bad_length", () => {
    expect(validateIdNumber("", AS_OF)).toMatchObject({ ok: false, reason: "bad_length" });
    expect(validateIdNumber("1101051949123100", AS_OF)).toMatchObject({ ok: false, reason: "bad_length" });
  });
  it("letters are bad_characters, for 15 and 18 characters", () => {
    expect(validateIdNumber("11010519491231A02X", AS_OF)).toMatchObject({ ok: false, reason: "bad_characters" });
    expect(validateIdNumber("11010549123100X", AS_OF)).toMatchObject({ ok: false, reason: "bad_characters" });
  });
  it("a wrong check character is bad_checksum", () => {
    expect(validateIdNumber("110105194912310021", AS_OF)).toMatchObject({ ok: false, reason: "bad_checksum" });
  });
  it("an impossible birth date is bad_birth_date", () => {
    const id = makeIdNumber("320402", "19810229", 1);
    expect(validateIdNumber(id, AS_OF)).toMatchObject({ ok: false, reason: "bad_birth_date" });
  });
  it("29 February of a leap year is a real date", () => {
    expect(validateIdNumber(makeIdNumber("320402", "20000229", 1), AS_OF).ok).toBe(true);
  });
  it("a birth date after the as-of date is bad_birth_date", () => {
    expect(validateIdNumber(makeIdNumber("320402", "20261126", 1), AS_OF)).toMatchObject({ ok: false, reason: "bad_birth_date" });
    expect(validateIdNumber(makeIdNumber("320402", "20261125", 1), AS_OF).ok).toBe(true);
  });
  it("a 15-digit ID with an impossible date is bad_birth_date (no checksum to fail)", () => {
    expect(validateIdNumber("110105491331002", AS_OF)).toMatchObject({ ok: false, reason: "bad_birth_date" });
  });
});

describe("derived facts and masking", () => {
  it("the 17th digit gives the gender: odd male", () => {
    expect(genderOf("11010519491231002X")).toBe("2");
    expect(genderOf(makeIdNumber("320402", "19800101", 1))).toBe("1");
  });
  it("masks the middle of IDs and phones", () => {
    expect(maskIdNumber("11010519491231002X")).toBe("110105********002X");
    expect(maskPhone("13812345678")).toBe("138****5678");
  });
});
