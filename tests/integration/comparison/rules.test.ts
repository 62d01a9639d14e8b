import type pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runComparison, type TSurveyBasis } from "@/lib/comparison/run";
import { freshDatabase } from "../../helpers/db";
import {
  COMMUNITY_A, COMMUNITY_B, COMMUNITY_C, db, department, elsewhere, enrolment, newId, population, resident, results, retireAll, seedRegions, type ResultRow,
} from "./fixture";

// One describe per rule of comparison-rules.md, each with a tiny hand-made fixture. Every test
// starts from no active batch, loads its own rows and runs a comparison.

const AS_OF = "2026-11-25";
let c: pg.Client;

beforeAll(async () => {
  await freshDatabase();
  c = await db();
  await seedRegions(c);
});
afterAll(async () => c.end());
beforeEach(async () => retireAll(c));

async function run(asOf = AS_OF, basis: TSurveyBasis = "hukou"): Promise<Map<string, ResultRow>> {
  const s = await runComparison({ asOf, basis });
  return results(c, s.runId);
}

async function one(id: string, asOf = AS_OF, basis: TSurveyBasis = "hukou"): Promise<ResultRow> {
  const r = (await run(asOf, basis)).get(id);
  if (!r) throw new Error(`${id} not in the results`);
  return r;
}

async function invalid(runId?: number) {
  const { rows } = await c.query<{ line_no: number; kind: string; reason: string }>(
    `SELECT line_no, kind::text, reason FROM comparison_invalid_row WHERE run_id = coalesce($1, (SELECT max(id) FROM comparison_run)) ORDER BY kind::text, line_no`,
    [runId ?? null],
  );
  return rows;
}

describe("§1 ID number validity", () => {
  it("an ID of the wrong length is set aside as bad_length, and an empty one too", async () => {
    await population(c, [{ id: "3204021980010100" }, { id: "" }, { id: "   " }]);
    const r = await run();
    expect(r.size).toBe(0);
    expect((await invalid()).map((x) => x.reason)).toEqual(["bad_length", "bad_length", "bad_length"]);
  });

  it("letters in an ID are bad_characters (15 digits only digits; 18 only 17 digits + 0-9/X)", async () => {
    await population(c, [{ id: "32040280010100A" }, { id: "3204021980010100AX" }, { id: "32040219800101001Y" }]);
    await run();
    expect((await invalid()).map((x) => x.reason)).toEqual(["bad_characters", "bad_characters", "bad_characters"]);
  });

  it("a wrong check character is bad_checksum; a lowercase x is read as X", async () => {
    const good = newId("19800101");
    const wrong = good.slice(0, 17) + (good[17] === "0" ? "1" : "0");
    let withX = newId("19800101");
    while (!withX.endsWith("X")) withX = newId("19800101");
    await population(c, [{ id: wrong }, { id: withX.slice(0, 17) + "x" }]);
    const r = await run();
    expect((await invalid()).map((x) => x.reason)).toEqual(["bad_checksum"]);
    expect(r.has(withX)).toBe(true);
  });

  it("a birth date that is not a real date, or after the as-of date, is bad_birth_date", async () => {
    const feb30 = newId("19800230");
    const future = newId("20261126");
    const today = newId("20261125");
    await population(c, [{ id: feb30 }, { id: future }, { id: today }]);
    const r = await run();
    expect((await invalid()).map((x) => [x.line_no, x.reason])).toEqual([
      [2, "bad_birth_date"],
      [3, "bad_birth_date"],
    ]);
    expect(r.has(today)).toBe(true);
  });

  it("validity is judged on the run's as-of date, not the import date", async () => {
    const born = newId("20261201");
    await population(c, [{ id: born }]);
    await enrolment(c, resident(born));
    expect((await run("2026-12-01")).has(born)).toBe(true);
    expect((await run("2026-11-30")).has(born)).toBe(false);
  });

  it("checks run in order: a 17-character ID with a letter is bad_length, not bad_characters", async () => {
    await population(c, [{ id: "32040219800101A01" }]);
    await run();
    expect((await invalid()).map((x) => x.reason)).toEqual(["bad_length"]);
  });

  it("a 15-digit ID becomes 18 digits (19 inserted, check character appended) and full-width digits are read", async () => {
    const id18 = newId("19750606");
    const id15 = id18.slice(0, 6) + id18.slice(8, 17);
    await population(c, [{ id: id15 }]);
    const fullWidth = id18.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
    await enrolment(c, [{ id: ` ${fullWidth} `, scheme: "170" }, { id: id18, scheme: "390" }]);
    const r = await one(id18);
    expect(r.category).toBe("CONFIRMED");
  });

  it("invalid rows of every kind are recorded with their batch and line, and take no further part", async () => {
    const ok = newId("19800101");
    await population(c, [{ id: ok }]);
    await enrolment(c, [{ id: "bad", scheme: "170" }, ...resident(ok)]);
    await elsewhere(c, [{ id: "12345", scheme: "170", region: "110101" }]);
    await department(c, [{ id: ok.slice(0, 17) + (ok[17] === "1" ? "2" : "1"), kind: "deceased" }]);
    const r = await run();
    expect(r.get(ok)?.category).toBe("CONFIRMED");
    expect((await invalid()).map((x) => [x.kind, x.line_no, x.reason])).toEqual([
      ["department", 2, "bad_checksum"],
      ["elsewhere", 2, "bad_length"],
      ["enrolment", 2, "bad_length"],
    ]);
  });
});

describe("§0 duplicate population IDs", () => {
  it("the first row in import order is kept and later ones are duplicate_id, across batches and across 15/18 forms", async () => {
    const id = newId("19750606");
    const id15 = id.slice(0, 6) + id.slice(8, 17);
    await population(c, [{ id, name: "王五" }, { id: id15, name: "王六" }]);
    await population(c, [{ id, name: "王七" }]);
    await enrolment(c, resident(id), "王五");
    const r = await one(id);
    expect(r.name).toBe("王五");
    expect(r.flags).toEqual([]);
    expect((await invalid()).map((x) => [x.line_no, x.reason])).toEqual([
      [2, "duplicate_id"],
      [3, "duplicate_id"],
    ]);
  });

  it("an invalid row does not make a later valid row a duplicate", async () => {
    const id = newId("20261201");
    await population(c, [{ id }, { id }]);
    await run("2026-11-30");
    expect((await invalid()).map((x) => x.reason)).toEqual(["bad_birth_date", "bad_birth_date"]);
  });

  it("retired batches take no part", async () => {
    const id = newId("19800101");
    await population(c, [{ id, name: "旧名" }]);
    await retireAll(c);
    await population(c, [{ id, name: "新名" }]);
    await enrolment(c, resident(id), "新名");
    expect((await one(id)).name).toBe("新名");
  });
});

describe("§1 name normalisation", () => {
  it("white space is removed and middle-dot variants become ·, so the names match", async () => {
    const id = newId("19800101");
    await population(c, [{ id, name: "阿依 古丽•买买提" }]);
    await enrolment(c, [{ id, scheme: "170", name: "阿依古丽・买买提" }, { id, scheme: "390", name: "阿依古丽．买买提" }]);
    const r = await one(id);
    expect(r.name).toBe("阿依古丽·买买提");
    expect(r.flags).not.toContain("name_mismatch");
  });

  it("an empty name on a record differs from the population name (name_mismatch); a no-break space is white space", async () => {
    const a = newId("19800101");
    const b = newId("19800101");
    await population(c, [{ id: a, name: "张三" }, { id: b, name: "李\u00a0四" }]);
    await enrolment(c, [...resident(a), { id: a, scheme: "210", name: null }, { id: b, scheme: "170", name: "李四" }, { id: b, scheme: "390", name: "李 四" }]);
    const r = await run();
    expect(r.get(a)?.flags).toEqual(["name_mismatch"]);
    expect(r.get(b)?.flags).toEqual([]);
    expect(r.get(b)?.name).toBe("李四");
  });

  it("full-width letters and ideographic spaces in a name are normalised", async () => {
    const id = newId("19800101");
    await population(c, [{ id, name: "ＡＢＣ\u3000李" }]);
    await enrolment(c, [{ id, scheme: "170", name: "ABC李" }, { id, scheme: "390", name: "A B C . 李".replace(" . ", "") }]);
    const r = await one(id);
    expect(r.name).toBe("ABC李");
    expect(r.flags).toEqual([]);
  });
});

describe("§2 scope", () => {
  it("population persons with a hukou outside the city and no local enrolment are out of scope", async () => {
    const id = newId("19800101");
    await population(c, [{ id, hukou: "320102001001" }]);
    expect((await run()).size).toBe(0);
  });

  it("an empty hukou code keeps the person in scope and raises no_region", async () => {
    const id = newId("19800101");
    await population(c, [{ id, hukou: null }]);
    await enrolment(c, resident(id));
    const r = await one(id);
    expect(r.category).toBe("INFO_ERROR");
    expect(r.flags).toEqual(["no_region"]);
    expect(r.region_code).toBeNull();
  });

  it("a person insured locally but not in the population is non_local, named after the first local record, without survey region", async () => {
    const id = newId("19800101");
    await enrolment(c, [{ id, scheme: "390", name: "赵 一" }]);
    await enrolment(c, [{ id, scheme: "170", name: "赵二" }]);
    const r = await one(id);
    expect(r.flags).toEqual(["non_local"]);
    expect(r.name).toBe("赵一");
    expect(r.category).toBe("CONFIRMED");
    expect(r.region_code).toBeNull();
  });

  it("a person with a hukou outside the city and a local enrolment record is non_local, never no_region", async () => {
    const id = newId("19800101");
    await population(c, [{ id, hukou: "320102001001" }]);
    await enrolment(c, [{ id, scheme: "390", region: "320402" }]);
    const r = await one(id);
    expect(r.flags).toEqual(["no_pension", "non_local"]);
    expect(r.category).toBe("PARTIAL");
    expect(r.missing_schemes).toEqual(["170"]);
    expect(r.region_code).toBeNull();
  });

  it("persons only in department, elsewhere or out-of-city enrolment records are out of scope", async () => {
    const a = newId("19800101");
    const b = newId("19800101");
    const e = newId("19800101");
    await department(c, [{ id: a, kind: "deceased" }]);
    await elsewhere(c, [{ id: b, scheme: "170", region: "110101" }]);
    await enrolment(c, [{ id: e, scheme: "170", region: "320102" }]);
    expect((await run()).size).toBe(0);
  });

  it("a terminated local record still brings a non-local person into scope", async () => {
    const id = newId("19800101");
    await enrolment(c, [{ id, scheme: "170", status: 3 }]);
    const r = await one(id);
    expect(r.category).toBe("NOT_INSURED");
    expect(r.flags).toEqual(["no_medical", "no_pension", "non_local"]);
  });
});

describe("§3 facts: active, suspended, terminated", () => {
  it("a person with no record at all is NOT_INSURED, missing 170 and 390", async () => {
    const id = newId("19800101");
    await population(c, [{ id }]);
    const r = await one(id);
    expect(r.category).toBe("NOT_INSURED");
    expect(r.flags).toEqual(["no_medical", "no_pension"]);
    expect(r.missing_schemes).toEqual(["170", "390"]);
    expect(r.region_code).toBe(COMMUNITY_A);
  });

  it("terminated records count for nothing: only status-3 records is NOT_INSURED", async () => {
    const id = newId("19800101");
    await population(c, [{ id }]);
    await enrolment(c, [{ id, scheme: "170", status: 3 }, { id, scheme: "390", status: 3 }]);
    expect((await one(id)).category).toBe("NOT_INSURED");
  });

  it("a suspended pension without an active one is INTERRUPTED", async () => {
    const id = newId("19800101");
    await population(c, [{ id }]);
    await enrolment(c, [{ id, scheme: "170", status: 2 }, { id, scheme: "390" }]);
    const r = await one(id);
    expect(r.category).toBe("INTERRUPTED");
    expect(r.flags).toEqual(["interrupted", "no_pension"]);
    expect(r.missing_schemes).toEqual(["170"]);
  });

  it("a suspended medical scheme without an active one is INTERRUPTED", async () => {
    const id = newId("19800101");
    await population(c, [{ id }]);
    await enrolment(c, [{ id, scheme: "170" }, { id, scheme: "390", status: 2 }]);
    expect((await one(id)).flags).toEqual(["interrupted", "no_medical"]);
  });

  it("a suspended scheme that is also active elsewhere is not suspended", async () => {
    const id = newId("19800101");
    await population(c, [{ id }]);
    await enrolment(c, [{ id, scheme: "170", status: 2 }, { id, scheme: "390" }]);
    await elsewhere(c, [{ id, scheme: "170", region: "320102" }]);
    const r = await one(id);
    expect(r.category).toBe("CONFIRMED");
    expect(r.flags).toEqual(["elsewhere_in_province"]);
  });

  it("only a suspended non-pension, non-medical scheme is not NOT_INSURED but PARTIAL", async () => {
    const id = newId("19800101");
    await population(c, [{ id }]);
    await enrolment(c, [{ id, scheme: "210", status: 2 }]);
    const r = await one(id);
    expect(r.category).toBe("PARTIAL");
    expect(r.flags).toEqual(["no_medical", "no_pension"]);
  });

  it("a pension with benefit = yes is active whatever its status", async () => {
    const id = newId("19500101");
    await population(c, [{ id }]);
    await enrolment(c, [{ id, scheme: "110", status: 3, benefit: true }, { id, scheme: "310", employer: "常州机械厂" }]);
    const r = await one(id);
    // receives a pension benefit: the employee set does not apply
    expect(r.category).toBe("CONFIRMED");
    expect(r.flags).toEqual([]);
  });

  it("same record twice is one record: the first row in import order is the record (its employer counts)", async () => {
    const id = newId("19800101");
    await population(c, [{ id }]);
    await enrolment(c, [{ id, scheme: "110" }, { id, scheme: "310" }]);
    await enrolment(c, [{ id, scheme: "310", employer: "某公司" }]);
    expect((await one(id)).category).toBe("CONFIRMED");
    await enrolment(c, [{ id, scheme: "310", status: 1, region: "3204", employer: "某公司" }]);
    expect((await one(id)).flags).toEqual(["missing_employee_schemes"]);
  });
});

describe("§3 age and the pension rule", () => {
  it("the 16th birthday itself counts as 16: pension applies", async () => {
    const id = newId("20101125");
    await population(c, [{ id }]);
    await enrolment(c, [{ id, scheme: "390" }]);
    expect((await one(id)).flags).toEqual(["no_pension"]);
  });

  it("the day before the 16th birthday pension does not apply", async () => {
    const id = newId("20101126");
    await population(c, [{ id }]);
    await enrolment(c, [{ id, scheme: "390" }]);
    expect((await one(id)).category).toBe("CONFIRMED");
  });

  it("a 29 February birthday is reached on 1 March in other years", async () => {
    const id = newId("20080229");
    await population(c, [{ id }]);
    await enrolment(c, [{ id, scheme: "390" }]);
    expect((await one(id, "2024-02-28")).category).toBe("CONFIRMED");
    expect((await one(id, "2024-02-29")).flags).toEqual(["no_pension"]);
    const born2012 = newId("20120229");
    await population(c, [{ id: born2012 }]);
    await enrolment(c, [{ id: born2012, scheme: "390" }]);
    expect((await one(born2012, "2028-02-28")).category).toBe("CONFIRMED");
    expect((await one(born2012, "2028-02-29")).flags).toEqual(["no_pension"]);
    const r = await run("2027-03-01");
    expect(r.get(born2012)?.category).toBe("CONFIRMED");
  });

  it("a 29 February birthday in a non-leap as-of year: 28 Feb not yet, 1 Mar reached", async () => {
    const leap = newId("20840229");
    await population(c, [{ id: leap }]);
    await enrolment(c, [{ id: leap, scheme: "390" }]);
    expect((await one(leap, "2100-02-28")).category).toBe("CONFIRMED");
    expect((await one(leap, "2100-03-01")).flags).toEqual(["no_pension"]);
  });

  it("a student of 16 or more needs no pension", async () => {
    const id = newId("20050101");
    await population(c, [{ id }]);
    await enrolment(c, [{ id, scheme: "390" }]);
    await department(c, [{ id, kind: "student" }]);
    expect((await one(id)).category).toBe("CONFIRMED");
  });
});

describe("§3 the employee set", () => {
  it("110 active locally with an employer expects 110, 310, 210, 410, 510", async () => {
    const id = newId("19800101");
    await population(c, [{ id }]);
    await enrolment(c, [{ id, scheme: "110", employer: "常州某厂" }, { id, scheme: "310" }]);
    const r = await one(id);
    expect(r.category).toBe("PARTIAL");
    expect(r.flags).toEqual(["missing_employee_schemes"]);
    expect(r.missing_schemes).toEqual(["210", "410", "510"]);
  });

  it("310 active locally with an employer and no pension: no_pension misses 110, no 170", async () => {
    const id = newId("19800101");
    await population(c, [{ id }]);
    await enrolment(c, [{ id, scheme: "310", employer: "常州某厂" }, { id, scheme: "210" }, { id, scheme: "410" }, { id, scheme: "510" }]);
    const r = await one(id);
    expect(r.flags).toEqual(["missing_employee_schemes", "no_pension"]);
    expect(r.missing_schemes).toEqual(["110"]);
  });

  it("110 with an employer but no medical: no_medical misses 310", async () => {
    const id = newId("19800101");
    await population(c, [{ id }]);
    await enrolment(c, [{ id, scheme: "110", employer: "某厂" }, { id, scheme: "210" }, { id, scheme: "410" }, { id, scheme: "510" }]);
    const r = await one(id);
    expect(r.flags).toEqual(["missing_employee_schemes", "no_medical"]);
    expect(r.missing_schemes).toEqual(["310"]);
  });

  it("an active 120 counts for 110", async () => {
    const id = newId("19800101");
    await population(c, [{ id }]);
    await enrolment(c, ["120", "310", "210", "410"].map((scheme) => ({ id, scheme, employer: scheme === "310" ? "机关" : null })));
    const r = await one(id);
    expect(r.missing_schemes).toEqual(["510"]);
  });

  it("without an employer on the record the employee set does not apply", async () => {
    const id = newId("19800101");
    await population(c, [{ id }]);
    await enrolment(c, [{ id, scheme: "110" }, { id, scheme: "310", employer: "  " }]);
    expect((await one(id)).category).toBe("CONFIRMED");
  });

  it("an employer on a suspended or out-of-city record does not make the set apply", async () => {
    const id = newId("19800101");
    await population(c, [{ id }]);
    await enrolment(c, [{ id, scheme: "110", status: 2, employer: "某厂" }, { id, scheme: "170" }, { id, scheme: "390" }, { id, scheme: "310", region: "110101", employer: "北京" }]);
    const r = await one(id);
    expect(r.flags).toEqual(["dup_medical", "elsewhere_out_of_province"]);
  });

  it("a pension benefit received locally switches the employee set off, on any scheme's record", async () => {
    const id = newId("19800101");
    await population(c, [{ id }]);
    await enrolment(c, [{ id, scheme: "110", employer: "某厂" }, { id, scheme: "390", benefit: true }]);
    expect((await one(id)).category).toBe("CONFIRMED");
  });
});

describe("§4 exclusion flags and EXCLUDED", () => {
  for (const kind of ["deceased", "prisoner", "military", "emigrated"]) {
    it(`a department record ${kind} is EXCLUDED with no missing schemes, other flags still computed`, async () => {
      const id = newId("19800101");
      await population(c, [{ id, gender: "2" }]);
      await department(c, [{ id, kind, name: "别名" }]);
      const r = await one(id);
      expect(r.category).toBe("EXCLUDED");
      expect(r.flags).toEqual([kind, "gender_mismatch", "no_medical", "no_pension"].sort());
      expect(r.missing_schemes).toEqual([]);
      expect(r.region_code).toBeNull();
    });
  }

  it("population status deceased and moved_out are EXCLUDED", async () => {
    const a = newId("19800101");
    const b = newId("19800101");
    await population(c, [{ id: a, status: "deceased" }, { id: b, status: "moved_out" }]);
    await enrolment(c, [...resident(a), ...resident(b)]);
    const r = await run();
    expect(r.get(a)?.flags).toEqual(["deceased"]);
    expect(r.get(b)?.flags).toEqual(["moved_out"]);
    expect(r.get(b)?.category).toBe("EXCLUDED");
  });
});

describe("§4 information errors (INFO_ERROR)", () => {
  it("a different name on a local enrolment record is name_mismatch, whatever its status", async () => {
    const id = newId("19800101");
    await population(c, [{ id, name: "张三" }]);
    await enrolment(c, [...resident(id), { id, scheme: "110", status: 3, name: "张叁" }]);
    const r = await one(id);
    expect(r.category).toBe("INFO_ERROR");
    expect(r.flags).toEqual(["name_mismatch"]);
    expect(r.region_code).toBe(COMMUNITY_A);
  });

  it("a different name on an elsewhere record is name_mismatch; on a department record it is not", async () => {
    const a = newId("19800101");
    const b = newId("19800101");
    await population(c, [{ id: a }, { id: b }]);
    await enrolment(c, [...resident(a), ...resident(b)]);
    await elsewhere(c, [{ id: a, scheme: "170", status: 3, region: "110101", name: "李四" }]);
    await department(c, [{ id: b, kind: "student", name: "李四" }]);
    const r = await run();
    expect(r.get(a)?.flags).toEqual(["name_mismatch"]);
    expect(r.get(b)?.flags).toEqual([]);
  });

  it("population gender disagreeing with the 17th digit is gender_mismatch; an empty gender is not", async () => {
    const male = newId("19800101", "1");
    const female = newId("19800101", "2");
    const none = newId("19800101", "2");
    await population(c, [{ id: male, gender: "2" }, { id: female, gender: "2" }, { id: none, gender: null }]);
    await enrolment(c, [...resident(male), ...resident(female), ...resident(none)]);
    const r = await run();
    expect(r.get(male)?.flags).toEqual(["gender_mismatch"]);
    expect(r.get(female)?.flags).toEqual([]);
    expect(r.get(none)?.flags).toEqual([]);
  });

  it("population birth date disagreeing with the ID is birth_mismatch", async () => {
    const a = newId("19800101");
    const b = newId("19800101");
    await population(c, [{ id: a, birth: "1980-01-02" }, { id: b, birth: "1980-01-01" }]);
    await enrolment(c, [...resident(a), ...resident(b)]);
    const r = await run();
    expect(r.get(a)?.flags).toEqual(["birth_mismatch"]);
    expect(r.get(b)?.flags).toEqual([]);
  });

  it("an unknown hukou community (in the city) is no_region, in scope, without region_code", async () => {
    const id = newId("19800101");
    await population(c, [{ id, hukou: "320402001999" }]);
    const r = await one(id);
    expect(r.category).toBe("INFO_ERROR");
    expect(r.flags).toEqual(["no_medical", "no_pension", "no_region"]);
    expect(r.missing_schemes).toEqual(["170", "390"]);
    expect(r.region_code).toBeNull();
  });

  it("a street code is not a known community: no_region", async () => {
    const id = newId("19800101");
    await population(c, [{ id, hukou: "320402001" }]);
    await enrolment(c, resident(id));
    expect((await one(id)).flags).toEqual(["no_region"]);
  });
});

describe("§3/§7 survey region basis", () => {
  it("residence basis uses the residence community", async () => {
    const id = newId("19800101");
    await population(c, [{ id, hukou: COMMUNITY_A, residence: COMMUNITY_C }]);
    expect((await one(id, AS_OF, "residence")).region_code).toBe(COMMUNITY_C);
    expect((await one(id, AS_OF, "hukou")).region_code).toBe(COMMUNITY_A);
  });

  it("residence basis falls back to the hukou code when the residence code is empty", async () => {
    const id = newId("19800101");
    await population(c, [{ id, hukou: COMMUNITY_B, residence: null }]);
    expect((await one(id, AS_OF, "residence")).region_code).toBe(COMMUNITY_B);
  });

  it("a residence code present but unknown or outside the city is no_region; scope still follows the hukou", async () => {
    const a = newId("19800101");
    const b = newId("19800101");
    const out = newId("19800101");
    await population(c, [{ id: a, residence: "320402001999" }, { id: b, residence: "110101001001" }, { id: out, hukou: "110101001001", residence: COMMUNITY_A }]);
    const r = await run(AS_OF, "residence");
    expect(r.get(a)?.flags).toContain("no_region");
    expect(r.get(b)?.flags).toContain("no_region");
    expect(r.get(b)?.region_code).toBeNull();
    expect(r.has(out)).toBe(false);
  });
});

describe("§4 duplicates (DUPLICATE)", () => {
  it("two of 110, 120, 170 active is dup_pension", async () => {
    const id = newId("19800101");
    await population(c, [{ id }]);
    await enrolment(c, [...resident(id), { id, scheme: "120" }]);
    const r = await one(id);
    expect(r.category).toBe("DUPLICATE");
    expect(r.flags).toEqual(["dup_pension"]);
  });

  it("310 and 390 both active is dup_medical", async () => {
    const id = newId("19800101");
    await population(c, [{ id }]);
    await enrolment(c, [...resident(id), { id, scheme: "310" }]);
    expect((await one(id)).flags).toEqual(["dup_medical"]);
  });

  it("the same scheme active locally and elsewhere is dup_place and elsewhere_out_of_province", async () => {
    const id = newId("19800101");
    await population(c, [{ id }]);
    await enrolment(c, resident(id));
    await elsewhere(c, [{ id, scheme: "390", region: "110101" }]);
    const r = await one(id);
    expect(r.category).toBe("DUPLICATE");
    expect(r.flags).toEqual(["dup_place", "elsewhere_out_of_province"]);
  });

  it("several local records are one place: two local districts are not dup_place", async () => {
    const id = newId("19800101");
    await population(c, [{ id }]);
    await enrolment(c, [...resident(id), { id, scheme: "170", region: "320404" }, { id, scheme: "390", region: "3204" }]);
    expect((await one(id)).category).toBe("CONFIRMED");
  });

  it("the same scheme active in two elsewhere places is dup_place; twice in one place is not", async () => {
    const a = newId("19800101");
    const b = newId("19800101");
    await population(c, [{ id: a }, { id: b }]);
    await enrolment(c, [{ id: a, scheme: "390" }, { id: b, scheme: "390" }]);
    await elsewhere(c, [{ id: a, scheme: "170", region: "320102" }, { id: a, scheme: "170", region: "320202" }, { id: b, scheme: "170", region: "320102" }]);
    await enrolment(c, [{ id: b, scheme: "170", region: "320102", status: 1 }]);
    const r = await run();
    expect(r.get(a)?.flags).toEqual(["dup_place", "elsewhere_in_province"]);
    expect(r.get(b)?.flags).toEqual(["elsewhere_in_province"]);
  });

  it("an out-of-city enrolment record is an elsewhere record (in province)", async () => {
    const id = newId("19800101");
    await population(c, [{ id }]);
    await enrolment(c, [{ id, scheme: "390" }, { id, scheme: "170", region: "320583" }]);
    const r = await one(id);
    expect(r.category).toBe("CONFIRMED");
    expect(r.flags).toEqual(["elsewhere_in_province"]);
  });

  it("an inactive elsewhere record raises no elsewhere flag", async () => {
    const id = newId("19800101");
    await population(c, [{ id }]);
    await enrolment(c, resident(id));
    await elsewhere(c, [{ id, scheme: "390", region: "110101", status: 2 }, { id, scheme: "170", region: "320102", status: 3 }]);
    expect((await one(id)).flags).toEqual([]);
  });
});

describe("§5 category order and missing schemes", () => {
  it("INFO_ERROR wins over DUPLICATE, DUPLICATE over NOT_INSURED-like gaps", async () => {
    const a = newId("19800101");
    const b = newId("19800101");
    await population(c, [{ id: a, birth: "1980-02-02" }, { id: b }]);
    await enrolment(c, [{ id: a, scheme: "310" }, { id: a, scheme: "390" }, { id: b, scheme: "110" }, { id: b, scheme: "170" }]);
    const r = await run();
    expect(r.get(a)?.category).toBe("INFO_ERROR");
    expect(r.get(a)?.flags).toEqual(["birth_mismatch", "dup_medical", "no_pension"]);
    expect(r.get(a)?.missing_schemes).toEqual(["170"]);
    expect(r.get(b)?.category).toBe("DUPLICATE");
    expect(r.get(b)?.missing_schemes).toEqual(["390"]);
  });

  it("INTERRUPTED wins over PARTIAL", async () => {
    const id = newId("19800101");
    await population(c, [{ id }]);
    await enrolment(c, [{ id, scheme: "390", status: 2 }]);
    const r = await one(id);
    expect(r.category).toBe("INTERRUPTED");
    expect(r.missing_schemes).toEqual(["170", "390"]);
  });

  it("a child with only medical is CONFIRMED; without medical PARTIAL missing 390", async () => {
    const a = newId("20200101");
    const b = newId("20200101");
    await population(c, [{ id: a }, { id: b }]);
    await enrolment(c, [{ id: a, scheme: "390" }, { id: b, scheme: "210" }]);
    const r = await run();
    expect(r.get(a)?.category).toBe("CONFIRMED");
    expect(r.get(b)?.category).toBe("PARTIAL");
    expect(r.get(b)?.missing_schemes).toEqual(["390"]);
  });

  it("region_code is empty for CONFIRMED and EXCLUDED, the community for those needing a survey", async () => {
    const ok = newId("19800101");
    const gap = newId("19800101");
    await population(c, [{ id: ok, hukou: COMMUNITY_C }, { id: gap, hukou: COMMUNITY_C }]);
    await enrolment(c, [...resident(ok), { id: gap, scheme: "390" }]);
    const r = await run();
    expect(r.get(ok)?.region_code).toBeNull();
    expect(r.get(gap)?.region_code).toBe(COMMUNITY_C);
  });
});
