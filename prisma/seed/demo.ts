import bcrypt from "bcryptjs";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { makeIdNumber } from "@/lib/ids/id-number";
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
const SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢钱汪";
const GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玲燕晨宇浩然子涵欣怡梓轩雨婷俊杰";

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

/** Seeds an empty database; does nothing when regions already exist. Returns the demo accounts. */
export async function seedDemo(databaseUrl: string, opts: { persons?: number } = {}): Promise<DemoAccount[]> {
  const regions = demoRegions();
  const accounts = demoAccounts(regions);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>("SELECT count(*) AS n FROM region");
    if (Number(rows[0].n) > 0) return accounts;
    await client.query("BEGIN");
    await client.query(
      `INSERT INTO region (code, name, level, parent_code)
       SELECT * FROM unnest($1::varchar[], $2::text[], $3::"RegionLevel"[], $4::varchar[])`,
      [regions.map((r) => r.code), regions.map((r) => r.name), regions.map((r) => r.level), regions.map((r) => r.parentCode)],
    );
    const hash = await bcrypt.hash(DEMO_PASSWORD, 10);
    for (const a of accounts) {
      const { rows: u } = await client.query<{ id: number }>(
        `INSERT INTO app_user (login, real_name, password_hash, role, region_code) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [a.login, a.realName, hash, a.role, a.regionCode],
      );
      await client.query(`INSERT INTO user_post (user_id, role, region_code) VALUES ($1, $2, $3)`, [u[0].id, a.role, a.regionCode]);
    }
    const persons = demoPersons(regions, opts.persons ?? 3000);
    await client.query(
      `INSERT INTO person (id_number, name, gender, birth_date, hukou_region_code, hukou_address, phone, status, survey_region_code)
       SELECT *, CASE WHEN s = 'NEEDS_SURVEY' THEN h END FROM unnest($1::char(18)[], $2::text[], $3::char(1)[], $4::date[], $5::varchar[], $6::text[], $7::text[], $8::"RegistrationStatus"[]) AS t(i, n, g, b, h, a, p, s)`,
      [persons.map((p) => p.id), persons.map((p) => p.name), persons.map((p) => p.gender), persons.map((p) => p.birth), persons.map((p) => p.region), persons.map((p) => p.address), persons.map((p) => p.phone), persons.map((p) => p.status)],
    );
    await seedSurveyTasks(client, accounts);
    await client.query("COMMIT");
    return accounts;
  } catch (e) {
    await client.query("ROLLBACK").catch(() => {});
    throw e;
  } finally {
    await client.end();
  }
}

const DEMO_CATEGORIES = [
  ["NOT_INSURED", "未参保：无任何险种参保记录", ["no_pension", "no_medical"], ["170", "390"]],
  ["PARTIAL", "未参全：缺少医疗保险", ["no_medical"], ["390"]],
  ["INTERRUPTED", "中断参保：养老保险暂停缴费", ["interrupted"], ["170"]],
  ["INFO_ERROR", "信息不准：姓名与户籍不一致", ["name_mismatch"], []],
  ["DUPLICATE", "重复参保：职工医保与居民医保同时参保", ["dup_medical"], []],
] as const;

/**
 * Survey tasks for the demo persons who need a survey: published to the districts; the first
 * community of each demo street clerk's street released, and the demo surveyors' community assigned
 * to a team of two, so that every page has work to show. (A real city gets them from a comparison.)
 */
async function seedSurveyTasks(client: pg.Client, accounts: DemoAccount[]): Promise<void> {
  const ids = new Map<string, number>();
  const { rows: users } = await client.query<{ id: number; login: string }>("SELECT id, login FROM app_user");
  for (const u of users) ids.set(u.login, u.id);
  const teams: [string, string, string, string][] = [
    [accounts.find((a) => a.login === "surveyor1")!.regionCode!, "第一调查组", "surveyor1", "surveyor2"],
    [accounts.find((a) => a.login === "surveyor3")!.regionCode!, "第一调查组", "surveyor3", "surveyor4"],
  ];
  const teamOf = new Map<string, number>();
  for (const [community, name, a, b] of teams) {
    const { rows } = await client.query<{ id: number }>(`INSERT INTO survey_team (community_code, name, member_ids) VALUES ($1, $2, $3) RETURNING id`, [community, name, [ids.get(a), ids.get(b)]]);
    teamOf.set(community, rows[0].id);
  }
  const { rows: persons } = await client.query<{ id_number: string; hukou_region_code: string }>(`SELECT id_number, hukou_region_code FROM person WHERE status = 'NEEDS_SURVEY' ORDER BY id_number`);
  const released = new Set(["320402002", "320402004", "320404001"]);
  let i = 0;
  for (const p of persons) {
    const [category, reason, flags, missing] = DEMO_CATEGORIES[i++ % DEMO_CATEGORIES.length];
    const team = teamOf.get(p.hukou_region_code);
    const isReleased = released.has(p.hukou_region_code.slice(0, 9));
    await client.query(
      `INSERT INTO survey_task (id_number, region_code, state, reason, category, flags, missing_schemes, released_at, team_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [p.id_number, p.hukou_region_code, team ? "ASSIGNED" : "PENDING", reason, category, flags, missing, isReleased ? new Date() : null, team ?? null],
    );
    await client.query(`UPDATE person SET category = $2, flags = $3, missing_schemes = $4 WHERE id_number = $1`, [p.id_number, category, flags, missing]);
  }
}

function demoPersons(regions: RegionRow[], count: number) {
  const rand = prng(11643);
  const communities = regions.filter((r) => r.level === "COMMUNITY");
  const statuses = ["CONFIRMED_BY_COMPARISON", "CONFIRMED_BY_COMPARISON", "CONFIRMED_BY_COMPARISON", "NEEDS_SURVEY", "NEEDS_SURVEY", "REGISTERED_BY_SURVEY", "EXCLUDED"];
  const seen = new Set<string>();
  const out: { id: string; name: string; gender: string; birth: string; region: string; address: string; phone: string; status: string }[] = [];
  let seq = 0;
  const demoCommunities = [communities.find((c) => c.parentCode === "320402002")!, communities.find((c) => c.parentCode === "320404001")!];
  while (out.length < count) {
    // The demo surveyors' two communities get a fuller list than the rest.
    const region = out.length < 48 ? demoCommunities[out.length % 2] : communities[Math.floor(rand() * communities.length)];
    const y = 1940 + Math.floor(rand() * 80);
    const m = 1 + Math.floor(rand() * 12);
    const d = 1 + Math.floor(rand() * 28);
    const birth = `${y}${String(m).padStart(2, "0")}${String(d).padStart(2, "0")}`;
    const id = makeIdNumber(region.code.slice(0, 6), birth, seq++);
    if (seen.has(id)) continue;
    seen.add(id);
    const name = SURNAMES[Math.floor(rand() * SURNAMES.length)] + GIVEN[Math.floor(rand() * GIVEN.length)] + (rand() < 0.6 ? GIVEN[Math.floor(rand() * GIVEN.length)] : "");
    out.push({
      id,
      name,
      gender: Number(id[16]) % 2 === 1 ? "1" : "2",
      birth: `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6)}`,
      region: region.code,
      address: `${region.name}${1 + Math.floor(rand() * 60)}幢${1 + Math.floor(rand() * 6)}0${1 + Math.floor(rand() * 4)}室`,
      phone: `1${[3, 5, 8, 9][Math.floor(rand() * 4)]}${String(Math.floor(rand() * 1e9)).padStart(9, "0")}`,
      status: out.length < 48 && out.length % 3 !== 2 ? "NEEDS_SURVEY" : statuses[Math.floor(rand() * statuses.length)],
    });
  }
  return out;
}
