import { beforeAll, describe, expect, it } from "vitest";
import { countChanges, iterateChanges, listChanges } from "@/lib/changes/list";
import { requestChange } from "@/lib/changes/mutations";
import { allRuns, listRunsPage } from "@/lib/comparison/run-list";
import { pool, prisma } from "@/lib/db/client";
import { makeIdNumber } from "@/lib/ids/id-number";
import { idNumberOfRef } from "@/lib/ids/person-ref";
import { allBatches, listBatchesPage } from "@/lib/import/batch-list";
import { FORMATS, IMPORT_KINDS } from "@/lib/import/formats";
import { templateHeader } from "@/lib/import/template";
import { parsePersonSearch } from "@/lib/lists/search";
import { countRegistry, iterateRegistry, listRegistry } from "@/lib/registry/queries";
import { allRegions, allUsers, listRegionsPage, listUsersPage } from "@/lib/users/list";
import { setActive } from "@/lib/users/mutations";
import { freshDatabase } from "../helpers/db";
import { outcome, seedRegionsAndUsers, type Users } from "../helpers/registry-fixture";

// The lists that scale (issue 13): paging and counts in SQL, filters, search by part of a Chinese
// name and by part of an ID number (the gram index), scope in the query (out-of-region rows never
// appear), and the export's rows equal to the list's, every page.

let users: Users;
const NAMES = ["张小明", "王小明", "李明华", "张伟", "赵丽", "欧阳明", "王芳", "张明", "陈小红", "刘伟"];

async function collect<T>(gen: AsyncGenerator<T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const batch of gen) out.push(...batch);
  return out;
}

beforeAll(async () => {
  await freshDatabase();
  users = await seedRegionsAndUsers();
  // 45 persons in 甲社区 (青龙街道), 5 in 丙社区 (红梅街道), 5 in 丁社区 (钟楼区), names cycling.
  const rows: [string, string, string, string][] = [];
  const add = (community: string, n: number, birth: string) => {
    for (let i = 0; i < n; i++) rows.push([makeIdNumber(community.slice(0, 6), birth, 100 + rows.length), NAMES[rows.length % NAMES.length], community, rows.length % 4 === 0 ? "REGISTERED_BY_SURVEY" : "NEEDS_SURVEY"]);
  };
  add("320402002001", 45, "19850315");
  add("320402004001", 5, "19900101");
  add("320404001001", 5, "19700707");
  for (const [idNumber, name, regionCode, status] of rows) {
    await prisma().person.create({ data: { idNumber, name, gender: "1", hukouRegionCode: regionCode, surveyRegionCode: regionCode, status: status as "NEEDS_SURVEY" } });
  }
});

describe("the search box", () => {
  it("reads a full number, a part of one, a part of a name, and refuses a part too short or too long", () => {
    expect(parsePersonSearch("320402198503151002").kind).toBe("id");
    expect(parsePersonSearch(" 1985 ")).toMatchObject({ kind: "idPart", part: "1985", grams: ["i:198", "i:985"] });
    expect(parsePersonSearch("小明")).toMatchObject({ kind: "name", grams: ["n:小明"] });
    expect(parsePersonSearch("张")).toMatchObject({ kind: "name", grams: ["n:张"] });
    expect(parsePersonSearch("123").kind).toBe("invalid");
    expect(parsePersonSearch("32040219850315").kind).toBe("invalid");
    expect(parsePersonSearch("").kind).toBe("none");
  });

  it("the index answers the searches: EXPLAIN uses person_search_grams_idx", async () => {
    await pool().query("ANALYZE person");
    const plan = await pool().query(`EXPLAIN SELECT 1 FROM person p WHERE person_search_grams(p.name, p.id_number::text) @> $1::text[] AND p.name LIKE '%小明%'`, [["n:小明"]]);
    // With few rows the planner may scan the table; forbid it to see that the index can serve.
    const client = await pool().connect();
    try {
      await client.query("SET enable_seqscan = off");
      const forced = await client.query(`EXPLAIN SELECT 1 FROM person p WHERE person_search_grams(p.name, p.id_number::text) @> $1::text[] AND p.name LIKE '%小明%'`, [["n:小明"]]);
      expect(forced.rows.map((r) => r["QUERY PLAN"]).join("\n")).toContain("person_search_grams_idx");
    } finally {
      await client.query("RESET enable_seqscan");
      client.release();
    }
    expect(plan.rows.length).toBeGreaterThan(0);
  });
});

describe("the registry list", () => {
  it("pages: 20 a page with the total, the pages together are every row once", async () => {
    const first = await listRegistry(users.qinglong, {}, 1);
    expect(first.total).toBe(45);
    expect(first.rows).toHaveLength(20);
    const third = await listRegistry(users.qinglong, {}, 3);
    expect(third.rows).toHaveLength(5);
    const all = [...first.rows, ...(await listRegistry(users.qinglong, {}, 2)).rows, ...third.rows];
    expect(new Set(all.map((r) => r.ref)).size).toBe(45);
  });

  it("searches by part of a Chinese name, masked, linked by the opaque key", async () => {
    const { rows, total } = await listRegistry(users.tianning, { q: "小明" });
    const expected = (await prisma().person.findMany({ where: { name: { contains: "小明" }, hukouRegionCode: { startsWith: "320402" } } })).length;
    expect(expected).toBeGreaterThan(0);
    expect(total).toBe(expected);
    for (const r of rows) {
      expect(r.name).toContain("小明");
      expect(r.maskedId).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
      expect(idNumberOfRef(r.ref)).toMatch(/^\d{17}[\dX]$/);
    }
    // One character: every name holding it.
    const zhang = await listRegistry(users.tianning, { q: "张" }, 1, 100);
    expect(zhang.rows.every((r) => r.name.includes("张"))).toBe(true);
    expect(zhang.total).toBe((await prisma().person.count({ where: { name: { contains: "张" }, hukouRegionCode: { startsWith: "320402" } } })));
  });

  it("searches by part of an ID number (the birth date, the last digits)", async () => {
    const byBirth = await listRegistry(users.city, { q: "19900101" });
    expect(byBirth.total).toBe(5);
    const someone = (await prisma().person.findFirstOrThrow({ where: { hukouRegionCode: "320404001001" } })).idNumber;
    const byTail = await listRegistry(users.city, { q: someone.slice(-6) });
    expect(byTail.rows.map((r) => idNumberOfRef(r.ref))).toContain(someone);
    expect(byTail.rows.every((r) => idNumberOfRef(r.ref)!.includes(someone.slice(-6)))).toBe(true);
    const exact = await listRegistry(users.city, { q: someone });
    expect(exact.total).toBe(1);
  });

  it("scope: out-of-region rows never appear, whatever the search; a region outside answers not found", async () => {
    const outside = (await prisma().person.findFirstOrThrow({ where: { hukouRegionCode: "320404001001" } })).idNumber;
    expect((await listRegistry(users.qinglong, { q: outside })).total).toBe(0);
    expect((await listRegistry(users.qinglong, { q: "19700707" })).total).toBe(0);
    expect((await listRegistry(users.qinglong, { q: "19900101" })).total).toBe(0);
    const all = await listRegistry(users.qinglong, {}, 1, 100);
    expect(all.rows.every((r) => r.regionCode?.startsWith("320402002"))).toBe(true);
    expect(await outcome(listRegistry(users.qinglong, { region: "320402004" }))).toBe("NotFoundError");
    expect(await outcome(listRegistry(users.admin, {}))).toBe("NotAllowedError");
    // A region inside the scope narrows it.
    expect((await listRegistry(users.tianning, { region: "320402004" })).total).toBe(5);
  });

  it("filters by status", async () => {
    const { total, rows } = await listRegistry(users.qinglong, { status: "REGISTERED_BY_SURVEY" }, 1, 100);
    expect(total).toBe(await prisma().person.count({ where: { status: "REGISTERED_BY_SURVEY", surveyRegionCode: { startsWith: "320402002" } } }));
    expect(rows.every((r) => r.status === "REGISTERED_BY_SURVEY")).toBe(true);
  });

  it("the export has exactly the list's rows (all pages, same filters and order) and is audited with the count", async () => {
    for (const filter of [{}, { q: "明" }, { q: "1985" }, { status: "NEEDS_SURVEY" as const }]) {
      const total = await countRegistry(users.tianning, filter);
      const exported = await collect(iterateRegistry(users.tianning, filter, 7));
      const pages: string[] = [];
      for (let p = 1; p <= Math.ceil(total / 20); p++) pages.push(...(await listRegistry(users.tianning, filter, p)).rows.map((r) => r.ref));
      expect(exported.map((r) => r.ref)).toEqual(pages);
      expect(exported).toHaveLength(total);
    }
    const audit = await prisma().auditLog.findFirstOrThrow({ where: { action: "registry.search", userId: users.tianning.id }, orderBy: { id: "desc" } });
    expect(audit.detail).toMatchObject({ filters: { q: "1985" }, rows: expect.any(Number) });
    expect(await prisma().auditLog.count({ where: { action: "registry.list", userId: users.tianning.id } })).toBeGreaterThan(0);
  });
});

describe("the change requests list", () => {
  beforeAll(async () => {
    const inQinglong = await prisma().person.findMany({ where: { hukouRegionCode: "320402002001" }, take: 25, orderBy: { idNumber: "asc" } });
    for (const [i, p] of inQinglong.entries()) {
      await requestChange(users.s1, i % 5 === 0 ? { personId: p.idNumber, birthDate: "1985-03-16", evidence: "户口簿" } : { personId: p.idNumber, ethnicity: "回族", evidence: "证明" });
    }
    const inHongmei = await prisma().person.findFirstOrThrow({ where: { hukouRegionCode: "320402004001" } });
    await requestChange(users.hongmei, { personId: inHongmei.idNumber, ethnicity: "回族", evidence: "证明" });
  });

  it("pages the region's requests, counts them, and never shows another street's", async () => {
    const first = await listChanges(users.qinglong, {}, 1);
    expect(first.total).toBe(25);
    expect(first.rows).toHaveLength(20);
    expect((await listChanges(users.qinglong, {}, 2)).rows).toHaveLength(5);
    expect(first.rows.every((r) => r.regionCode.startsWith("320402002"))).toBe(true);
    expect((await listChanges(users.tianning, {})).total).toBe(26);
    expect(await outcome(listChanges(users.qinglong, { region: "320402004" }))).toBe("NotFoundError");
  });

  it("filters by kind, state and 'waiting for me', searches by name part and ID part", async () => {
    expect((await listChanges(users.qinglong, { kind: "sensitive" })).total).toBe(5);
    expect((await listChanges(users.qinglong, { kind: "basic", state: "SUBMITTED" })).total).toBe(20);
    expect((await listChanges(users.qinglong, { mine: true })).total).toBe(25);
    // The district decides only after the street: nothing waits for it yet.
    expect((await listChanges(users.tianning, { mine: true })).total).toBe(0);
    const named = await listChanges(users.qinglong, { q: "小明" }, 1, 100);
    expect(named.total).toBeGreaterThan(0);
    expect(named.rows.every((r) => r.name?.includes("小明"))).toBe(true);
    const byId = await listChanges(users.qinglong, { q: "19850315" }, 1, 100);
    expect(byId.total).toBe(25);
    expect(byId.rows.every((r) => /^\d{6}\*{8}[\dX]{4}$/.test(r.maskedId))).toBe(true);
  });

  it("the export has the list's rows, every page", async () => {
    for (const f of [{}, { kind: "basic" as const }, { mine: true }]) {
      const { total } = await countChanges(users.qinglong, f);
      const exported = await collect(iterateChanges(users.qinglong, f, 4));
      const pages: number[] = [];
      for (let p = 1; p <= Math.ceil(total / 20); p++) pages.push(...(await listChanges(users.qinglong, f, p)).rows.map((r) => r.id));
      expect(exported.map((r) => r.id)).toEqual(pages);
    }
  });
});

describe("comparison runs, imports, users and regions", () => {
  it("comparison runs page, filter by status and export the same rows", async () => {
    for (let i = 0; i < 23; i++) await pool().query(`INSERT INTO comparison_run (as_of, city_code, status, started_by_id, duration_ms) VALUES ('2026-11-01', '3204', $1, $2, 1000)`, [i % 3 === 0 ? "FAILED" : "DONE", users.city.id]);
    const { rows, total } = await listRunsPage(users.city, {}, 1);
    expect(total).toBe(23);
    expect(rows).toHaveLength(20);
    expect((await listRunsPage(users.city, { status: "FAILED" })).total).toBe(8);
    expect((await allRuns(users.city, { status: "FAILED" })).map((r) => r.id)).toEqual((await listRunsPage(users.city, { status: "FAILED" })).rows.map((r) => r.id));
    expect((await listRunsPage(users.city, { q: "city" })).total).toBe(23);
    expect((await listRunsPage(users.city, { q: "无此人" })).total).toBe(0);
    expect(await outcome(listRunsPage(users.admin, {}))).toBe("NotAllowedError");
  });

  it("import batches page, filter by kind and file name, export the same rows", async () => {
    for (let i = 0; i < 25; i++) {
      await prisma().importBatch.create({ data: { kind: i % 2 ? "population" : "enrolment", fileName: `批次${i}.csv`, checksum: String(i).padStart(64, "0"), status: "ACTIVE", importedById: users.city.id } });
    }
    expect((await listBatchesPage(users.city, {})).total).toBe(25);
    expect((await listBatchesPage(users.city, {}, 2)).rows).toHaveLength(5);
    expect((await listBatchesPage(users.city, { kind: "population" })).total).toBe(12);
    expect((await listBatchesPage(users.city, { q: "批次1" })).total).toBe(11);
    expect((await allBatches(users.city, { kind: "enrolment" })).length).toBe(13);
    expect(await outcome(listBatchesPage(users.qinglong, {}))).toBe("NotAllowedError");
  });

  it("users: search, role and region filters, state; export equals the list; only the administrator", async () => {
    const all = await listUsersPage(users.admin, {}, 1, 100);
    expect(all.total).toBe(await prisma().user.count());
    expect((await listUsersPage(users.admin, { q: "qinglong" })).total).toBe(2);
    expect((await listUsersPage(users.admin, { role: "STREET_CLERK", region: "320402" })).total).toBe(3);
    const surveyors = await listUsersPage(users.admin, { region: "320402002001" });
    expect(surveyors.rows.every((u) => u.regionCode === "320402002001" && u.regionName?.includes("甲社区"))).toBe(true);
    expect((await allUsers(users.admin, { role: "STREET_CLERK" })).map((u) => u.id)).toEqual((await listUsersPage(users.admin, { role: "STREET_CLERK" })).rows.map((u) => u.id));
    expect(await outcome(listUsersPage(users.city, {}))).toBe("NotAllowedError");
  });

  it("enable and disable are distinct steps: each refuses the state it would not change, and is audited", async () => {
    expect(await outcome(setActive(users.admin, users.other.id, true))).toBe("users.err.alreadyEnabled");
    await setActive(users.admin, users.other.id, false);
    expect((await prisma().user.findUniqueOrThrow({ where: { id: users.other.id } })).active).toBe(false);
    expect(await outcome(setActive(users.admin, users.other.id, false))).toBe("users.err.alreadyDisabled");
    expect((await listUsersPage(users.admin, { state: "disabled" })).rows.map((u) => u.login)).toEqual(["other"]);
    await setActive(users.admin, users.other.id, true);
    expect((await prisma().user.findUniqueOrThrow({ where: { id: users.other.id } })).active).toBe(true);
    expect(await prisma().auditLog.count({ where: { action: { in: ["user.disable", "user.enable"] }, entityId: String(users.other.id) } })).toBe(2);
    expect(await outcome(setActive(users.city, users.other.id, false))).toBe("NotAllowedError");
  });

  it("regions: search by name or code, level, within a region; export equals the list", async () => {
    expect((await listRegionsPage(users.admin, { q: "青龙" })).rows.map((r) => r.code)).toEqual(["320402002"]);
    expect((await listRegionsPage(users.admin, { q: "3204020020" })).total).toBe(2);
    expect((await listRegionsPage(users.admin, { level: "COMMUNITY", under: "320402" })).total).toBe(3);
    const street = (await listRegionsPage(users.admin, { q: "青龙" })).rows[0];
    expect(street).toMatchObject({ parentName: "天宁区", children: 2 });
    expect((await allRegions(users.admin, { level: "STREET" })).map((r) => r.code)).toEqual((await listRegionsPage(users.admin, { level: "STREET" })).rows.map((r) => r.code));
    expect(await outcome(listRegionsPage(users.qinglong, {}))).toBe("NotAllowedError");
  });
});

describe("import templates", () => {
  it("each kind's template header is the contract's, in Chinese or English", () => {
    for (const kind of IMPORT_KINDS) {
      expect(templateHeader(kind)).toEqual(FORMATS[kind].map((c) => c.zh));
      expect(templateHeader(kind, "en")).toEqual(FORMATS[kind].map((c) => c.en));
    }
    expect(templateHeader("population").slice(0, 2)).toEqual(["公民身份号码", "姓名"]);
    expect(templateHeader("regions", "en")).toEqual(["code", "name", "parent_code"]);
  });
});

describe("the registry count at scale", () => {
  it("stops at 10,000 (the page says 'more than'), while the export writes every matching row", async () => {
    await pool().query(
      `INSERT INTO person (id_number, name, hukou_region_code, survey_region_code, status, updated_at)
       SELECT '320404' || '2000' || lpad(i::text, 8, '0'), '测试' || i, '320404001001', '320404001001', 'NEEDS_SURVEY', now() FROM generate_series(1, 10050) AS i`,
    );
    const listed = await listRegistry(users.wuxing, {});
    expect(listed).toMatchObject({ total: 10_000, capped: true });
    expect(listed.rows).toHaveLength(20);
    expect(await countRegistry(users.wuxing, {})).toBe(10_055);
    expect((await collect(iterateRegistry(users.wuxing, {}))).length).toBe(10_055);
    // A search below the cap is counted exactly.
    expect(await listRegistry(users.wuxing, { q: "19700707" })).toMatchObject({ total: 5, capped: false });
  });
});
