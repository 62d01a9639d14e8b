import { describe, expect, it } from "vitest";
import { checkCharacter, genderOf, isValidPlainIdBytes, makeIdNumber, maskIdNumber, maskPhone, normaliseIdNumber, validateIdNumber } from "@/lib/ids/id-number";

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

describe("the importer's byte check of the usual ID agrees with validateIdNumber", () => {
  const asOf = "2026-11-25";
  const ymd = Buffer.from("20261125", "latin1");
  const bytesCheck = (s: string) => {
    const b = Buffer.from(`,${s},`, "utf8"); // inside a line, as the importer sees it
    return isValidPlainIdBytes(b, 1, b.length - 1, ymd);
  };

  it("says yes exactly when the ID is 18 plain characters and valid", () => {
    const base = makeIdNumber("320402", "19800101", 12);
    const cases = [
      base,
      base.slice(0, 17) + "0",
      makeIdNumber("320402", "20261125", 1), // born on the as-of date
      makeIdNumber("320402", "20261126", 1), // after it
      makeIdNumber("320402", "20000229", 1),
      makeIdNumber("320402", "19000229", 1), // not a leap year
      makeIdNumber("320402", "19801301", 1),
      makeIdNumber("320402", "19800100", 1),
      ` ${base.slice(1)}`,
      `${base} `,
      base.slice(0, 15),
      "３２０４０２１９８００１０１００１２",
      "32040219800101001a",
    ];
    // every check character, in upper and lower case
    for (let n = 0; n < 40; n++) {
      const id = makeIdNumber("320411", "19990531", n);
      cases.push(id, id.replace("X", "x"));
    }
    for (const id of cases) {
      const v = validateIdNumber(id, asOf);
      expect([id, bytesCheck(id)]).toEqual([id, v.ok && id.length === 18 && /^[0-9]{17}[0-9Xx]$/.test(id)]);
      if (bytesCheck(id)) expect(v).toEqual({ ok: true, id: id.toUpperCase() });
    }
  });

  it("agrees on random 18-digit strings", () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
    for (let n = 0; n < 5000; n++) {
      const id = Array.from({ length: 18 }, (_, i) => (i === 17 && next() % 11 === 0 ? "X" : String(next() % 10))).join("");
      expect([id, bytesCheck(id)]).toEqual([id, validateIdNumber(id, asOf).ok]);
    }
  });
});
