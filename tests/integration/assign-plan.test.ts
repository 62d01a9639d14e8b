import { beforeAll, describe, expect, it } from "vitest";
import { pool, prisma } from "@/lib/db/client";
import { listStreetTasks, streetTaskSql } from "@/lib/survey/assign";
import { freshDatabase } from "../helpers/db";
import { seedRegionsAndUsers, type Users } from "../helpers/registry-fixture";

// The street's task list at scale (issue 13 "lists that scale"): a street of 3,000 tasks in a city
// of 1,000,000 persons (100,000 tasks). The page and its count read the street through the region index
// and the persons through their key — never a scan of the city's tables — whatever the filter.

let users: Users;
const STREET_TASKS = 3000;
const CITY = 1_000_000;

beforeAll(async () => {
  await freshDatabase();
  users = await seedRegionsAndUsers();
  const db = pool();
  // Persons and tasks, set-based: the first 3,000 in 青龙街道's two communities, the rest elsewhere.
  await db.query(`INSERT INTO person (id_number, name, hukou_region_code, residence_address, survey_region_code, status)
    SELECT '32049' || lpad(g::text, 12, '0') || '1',
           (ARRAY['王','李','张','刘','陈'])[1 + g % 5] || (ARRAY['建国','秀英','伟','芳','建华'])[1 + (g / 5) % 5],
           c, '路 ' || g || ' 号', c, 'NEEDS_SURVEY'
    FROM (SELECT g, CASE WHEN g < ${STREET_TASKS} THEN '32040200200' || (1 + g % 2) WHEN g % 2 = 0 THEN '320402004001' ELSE '320404001001' END AS c
          FROM generate_series(0, ${CITY - 1}) g) x`);
  // Tasks: the street's 3,000 and one in twenty of the other persons.
  await db.query(`INSERT INTO survey_task (id_number, region_code, state, reason, category, released_at)
    SELECT id_number, survey_region_code, 'PENDING', 'NOT_INSURED', 'NOT_INSURED', now() FROM person
    WHERE survey_region_code LIKE '320402002%' OR right(id_number, 3) LIKE '%01'`);
  await db.query("ANALYZE person; ANALYZE survey_task; ANALYZE survey_form; ANALYZE survey_team; ANALYZE region");
});

async function plan(text: string, values: unknown[]): Promise<string> {
  const { rows } = await pool().query<{ "QUERY PLAN": string }>(`EXPLAIN ${text}`, values);
  return rows.map((r) => r["QUERY PLAN"]).join("\n");
}

describe("the street's task list query plan", () => {
  for (const [label, filter] of [
    ["no filter", {}],
    ["a community and a partial name", { community: "320402002001", q: "建" }],
    ["part of an ID number", { q: "0001234" }],
    ["a category and a state", { category: "NOT_INSURED" as const, state: "PENDING" as const }],
  ] as const) {
    it(`${label}: index scans only, page and count`, async () => {
      const sql = streetTaskSql(users.qinglong, filter, 50, 1000);
      for (const q of [sql.page, sql.count]) {
        const p = await plan(q.text, q.values);
        expect(p, p).not.toMatch(/Seq Scan on (survey_task|person)\b/);
        expect(p, p).toMatch(/Index (Only )?Scan .*on survey_task|Bitmap Index Scan on survey_task/);
      }
    });
  }
  it("answers the street's pages with the right count", async () => {
    const r = await listStreetTasks(users.qinglong, {}, 3, 50);
    expect(r.total).toBe(STREET_TASKS);
    expect(r.rows).toHaveLength(50);
    expect(await prisma().person.count()).toBe(CITY);
  });
});
