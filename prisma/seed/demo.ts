import { hashPassword } from "@/lib/auth/password-hash";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { parseRegionCsv, type RegionRow } from "@/lib/regions/csv";

// The demo city: Changzhou's real city-level region tree (3 districts, 26 streets and towns) with
// 8–15 generated communities under each street, demo accounts for every role, and a few thousand
// synthetic persons with valid GB 11643 ID numbers. Deterministic (fixed PRNG seed).

export const DEMO_PASSWORD = "demo1234";

export interface DemoAccount {
  login: string;
  realName: string;
  role: string;
  regionCode: string | null;
}

/** Small deterministic PRNG (mulberry32), so the demo city is the same on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COMMUNITY_STEMS = ["红梅", "青山", "丽华", "翠竹", "兰园", "清潭", "花园", "永宁", "朝阳", "光华", "新村", "桃园", "东坡", "紫荆", "常青", "天禧", "凤凰", "怡康", "荷花", "广成", "浦前", "春江", "百馨", "锦绣", "龙城", "南苑", "北环", "西新桥"];
const VILLAGE_STEMS = ["前桥", "黄天荡", "梅港", "安家", "孟城", "芦墅", "石桥", "新安", "焦溪", "舜山", "大圩", "圩塘", "东升", "魏村", "小河", "万绥", "河口", "江边", "新华", "南街"];

/** Regions: the shipped CSV plus generated communities (street codes + 001…, towns' villages 2xx). */
export function demoRegions(): RegionRow[] {
  const csv = fs.readFileSync(path.join(import.meta.dirname, "changzhou-city-level-regions.csv"), "utf8");
  const base = parseRegionCsv(csv);
  const rand = prng(3204);
  const out = [...base];
  for (const street of base.filter((r) => r.level === "STREET")) {
    const isTown = street.name.endsWith("镇");
    const stems = isTown ? VILLAGE_STEMS : COMMUNITY_STEMS;
    const n = 8 + Math.floor(rand() * 8);
    const start = Math.floor(rand() * stems.length);
    for (let i = 0; i < n; i++) {
      const code = `${street.code}${String((isTown ? 200 : 1) + i).padStart(3, "0")}`;
      const name = `${stems[(start + i) % stems.length]}${isTown ? "村" : "社区"}`;
      out.push({ code, name, level: "COMMUNITY", parentCode: street.code });
    }
  }
  return out;
}

export function demoAccounts(regions: RegionRow[]): DemoAccount[] {
  const communitiesOf = (street: string) => regions.filter((r) => r.parentCode === street).map((r) => r.code);
  return [
    { login: "admin", realName: "系统管理员", role: "SYSTEM_ADMIN", regionCode: null },
    { login: "auditor", realName: "审计员 周敏", role: "AUDITOR", regionCode: "3204" },
    { login: "city", realName: "市中心 王强", role: "CITY_STAFF", regionCode: "3204" },
    { login: "tianning", realName: "天宁区 李娜", role: "DISTRICT_REVIEWER", regionCode: "320402" },
    { login: "zhonglou", realName: "钟楼区 陈杰", role: "DISTRICT_REVIEWER", regionCode: "320404" },
    { login: "xinbei", realName: "新北区 赵磊", role: "DISTRICT_REVIEWER", regionCode: "320411" },
    { login: "qinglong", realName: "青龙街道 刘芳", role: "STREET_CLERK", regionCode: "320402002" },
    { login: "hongmei", realName: "红梅街道 孙伟", role: "STREET_CLERK", regionCode: "320402004" },
    { login: "wuxing", realName: "五星街道 吴静", role: "STREET_CLERK", regionCode: "320404001" },
    { login: "surveyor1", realName: "调查员 张洋", role: "COMMUNITY_SURVEYOR", regionCode: communitiesOf("320402002")[0] },
    { login: "surveyor2", realName: "调查员 徐艳", role: "COMMUNITY_SURVEYOR", regionCode: communitiesOf("320402002")[0] },
    { login: "surveyor3", realName: "调查员 马超", role: "COMMUNITY_SURVEYOR", regionCode: communitiesOf("320404001")[0] },
    { login: "surveyor4", realName: "调查员 胡桂英", role: "COMMUNITY_SURVEYOR", regionCode: communitiesOf("320404001")[0] },
  ];
}

/**
 * Seeds an empty database; does nothing when regions already exist. Returns the demo accounts.
 * The demo city goes through the real pipeline: a synthetic city in the import formats
 * (lib/comparison/generate.ts) is imported (lib/import) and compared (lib/comparison), so the
 * registry, the comparison run and the survey tasks are what the portal itself produces. Then the
 * demo teams are formed and the demo streets' tasks released and assigned.
 */
export async function seedDemo(databaseUrl: string, opts: { persons?: number; asOf?: string } = {}): Promise<DemoAccount[]> {
  const regions = demoRegions();
  const accounts = demoAccounts(regions);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>("SELECT count(*) AS n FROM region");
    if (Number(rows[0].n) > 0) return await demoAccountsInDatabase(client);
    await client.query("BEGIN");
    await client.query(
      `INSERT INTO region (code, name, level, parent_code)
       SELECT * FROM unnest($1::varchar[], $2::text[], $3::"RegionLevel"[], $4::varchar[])`,
      [regions.map((r) => r.code), regions.map((r) => r.name), regions.map((r) => r.level), regions.map((r) => r.parentCode)],
    );
    const hash = await hashPassword(DEMO_PASSWORD);
    for (const a of accounts) {
      const { rows: u } = await client.query<{ id: number }>(
        // Demo accounts are written as confirmed and keep their demo password (no forced change): the
        // password policy applies to passwords set from now on, not to these.
        `INSERT INTO app_user (login, real_name, password_hash, role, region_code, confirmed_at) VALUES ($1, $2, $3, $4, $5, now()) RETURNING id`,
        [a.login, a.realName, hash, a.role, a.regionCode],
      );
      await client.query(`INSERT INTO user_post (user_id, role, region_code) VALUES ($1, $2, $3)`, [u[0].id, a.role, a.regionCode]);
    }
    await client.query("COMMIT");
    const city = await client.query<{ id: number }>(`SELECT id FROM app_user WHERE login = 'city'`);
    await runDemoPipeline(databaseUrl, { id: city.rows[0].id, login: "city" }, opts.persons ?? 3000, opts.asOf ?? new Date().toISOString().slice(0, 10));
    await client.query("BEGIN");
    await assignDemoTeams(client);
    await client.query("COMMIT");
    return await demoAccountsInDatabase(client);
  } catch (e) {
    await client.query("ROLLBACK").catch(() => {});
    throw e;
  } finally {
    await client.end();
  }
}

async function runDemoPipeline(databaseUrl: string, cityUser: { id: number; login: string }, persons: number, asOf: string): Promise<void> {
  // Imported lazily: the generator itself reads demoRegions() from this file.
  const [{ setEnv }, { disconnect }, { generateCity }, { importFile }, { runComparison }] = await Promise.all([
    import("@/lib/env"),
    import("@/lib/db/client"),
    import("@/lib/comparison/generate"),
    import("@/lib/import/import-file"),
    import("@/lib/comparison/run"),
  ]);
  setEnv("DATABASE_URL", databaseUrl);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "demo-city-"));
  try {
    const generated = await generateCity({ persons, outDir: dir, seed: 3204, asOf, expected: false });
    for (const f of generated.files) {
      if (f.kind === "regions") continue; // the tree is already in place
      await importFile({ kind: f.kind, filePath: path.join(dir, f.file), userId: cityUser.id });
    }
    await runComparison({ asOf, basis: "hukou", startedBy: cityUser, databaseUrl });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    await disconnect();
  }
}

/**
 * The demo's survey work in progress: a team of two in each demo surveyors' community, the tasks
 * of the demo streets released by their districts, and the teams' communities assigned to them.
 */
async function assignDemoTeams(client: pg.Client): Promise<void> {
  const { rows: users } = await client.query<{ id: number; login: string }>("SELECT id, login FROM app_user");
  const ids = new Map(users.map((u) => [u.login, u.id]));
  for (const [street, a, b] of [["320402002", "surveyor1", "surveyor2"], ["320404001", "surveyor3", "surveyor4"]]) {
    // The demo surveyors work in their street's community with the most open tasks.
    const { rows: busiest } = await client.query<{ code: string }>(
      `SELECT r.code FROM region r LEFT JOIN survey_task t ON t.region_code = r.code AND t.state = 'PENDING'
       WHERE r.parent_code = $1 GROUP BY r.code ORDER BY count(t.id) DESC, r.code LIMIT 1`,
      [street],
    );
    const community = busiest[0].code;
    await client.query(`UPDATE app_user SET region_code = $1 WHERE login = ANY($2::text[])`, [community, [a, b]]);
    await client.query(`UPDATE user_post SET region_code = $1 WHERE user_id = ANY($2::int[])`, [community, [ids.get(a), ids.get(b)]]);
    const { rows } = await client.query<{ id: number }>(`INSERT INTO survey_team (community_code, name, member_ids) VALUES ($1, '第一调查组', $2) RETURNING id`, [community, [ids.get(a), ids.get(b)]]);
    await client.query(`UPDATE survey_task SET state = 'ASSIGNED', team_id = $2, released_at = now() WHERE region_code = $1 AND state = 'PENDING'`, [community, rows[0].id]);
  }
  await client.query(`UPDATE survey_task SET released_at = now() WHERE state = 'PENDING' AND left(region_code, 9) = ANY($1::text[])`, [["320402002", "320402004", "320404001"]]);
}

/** The demo accounts as the database has them (posts may have been changed since the seed). */
export async function demoAccountsInDatabase(client: pg.Client): Promise<DemoAccount[]> {
  const logins = demoAccounts(demoRegions()).map((a) => a.login);
  const { rows } = await client.query<{ login: string; real_name: string; role: string; region_code: string | null }>(
    `SELECT login, real_name, role::text AS role, region_code FROM app_user WHERE login = ANY($1::text[]) ORDER BY array_position($1::text[], login)`,
    [logins],
  );
  return rows.map((r) => ({ login: r.login, realName: r.real_name, role: r.role, regionCode: r.region_code }));
}
