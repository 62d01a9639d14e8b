import bcrypt from "bcryptjs";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { startEmbedded } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import { setEnv } from "@/lib/env";
import { ZSurveyForm } from "@/lib/survey/schema";
import { DEMO_PASSWORD, seedDemo } from "@/prisma/seed/demo";
import { type Portal, percentile, Session, startPortal } from "./bench-http";
import { buildIfNeeded } from "./build";

// `npm run bench:pages [-- --persons 1000000 --requests 500 --concurrency C --keep DIR | --reuse DIR]`:
// the server response time of the pages a clerk opens all day, on a city of 1 M persons.
//
// A fresh embedded PostgreSQL (in a temporary folder, or in DIR with --keep, reused as it is with
// --reuse) is migrated and seeded with the demo city at --persons through the real pipeline
// (prisma/seed/demo.ts: generate → import → compare). The survey work of a city in mid-campaign is
// then written set-based in SQL (seedWork): every task released, a team of two surveyors in every
// community, most communities' tasks assigned, a share of them submitted with a form, some passed
// by the street or returned, and change requests in every street. The built portal runs as `npm
// start` runs it (lib/cli/serve-cluster.mjs: one `next start` worker per CPU); each page is
// requested --requests times by one signed-in account, --concurrency requests at a time (default:
// one per CPU, i.e. every worker busy — two clerks at once on this 2-core machine; a higher
// figure measures queueing behind the benchmark's own requests, not the server's response time),
// after 5 unmeasured warm-up requests. The time of a request is from sending it to the last byte of the body.
// A non-2xx answer, a redirect (sign-in) or a page that redirects while streaming is an error,
// and any error fails the run. The last line is
//   pages=<n> requests=<n> p50_ms=<all requests' p50> p95_ms=<the worst page's p95>

export const TARGET_P95_MS = 100;

export interface PageSpec {
  name: string;
  login: string;
  url: string;
}

export interface PageResult extends PageSpec {
  ms: number[];
  errors: number;
  /** size of the last body, bytes (what the server rendered) */
  bytes: number;
  sample?: string;
}

/** The summary line (always the last line printed). */
export function summaryLine(results: { ms: number[] }[]): string {
  const all = results.flatMap((r) => r.ms).sort((a, b) => a - b);
  const worst = Math.max(0, ...results.map((r) => percentile([...r.ms].sort((a, b) => a - b), 95)));
  return `pages=${results.length} requests=${all.length} p50_ms=${percentile(all, 50).toFixed(1)} p95_ms=${worst.toFixed(1)}`;
}

/** The summary line read back (tests, scripts comparing runs); null when `line` is not one. */
export function parseSummaryLine(line: string): { pages: number; requests: number; p50: number; p95: number } | null {
  const m = /^pages=(\d+) requests=(\d+) p50_ms=(\d+(?:\.\d+)?) p95_ms=(\d+(?:\.\d+)?)$/.exec(line.trim());
  return m ? { pages: Number(m[1]), requests: Number(m[2]), p50: Number(m[3]), p95: Number(m[4]) } : null;
}

/** Why an answer is not the page asked for (null when it is): not 2xx, a redirect (also one injected while streaming), a refusal. */
export function answeredPage(status: number, body: string): string | null {
  if (status < 200 || status >= 300) return `HTTP ${status}`;
  if (body.includes("__next-page-redirect")) return "redirected while streaming";
  // components/ui/message-page.tsx: the page refused (forbidden, not found) instead of showing itself
  if (body.includes('data-testid="refusal"')) return "refusal page";
  return null;
}

const BENCH_FORM = {
  employment: "EMPLOYED",
  unitName: "常州市页面测试有限公司",
  mobile: "13900000000",
  pension: "EMPLOYEE",
  medical: "EMPLOYEE",
  unemployment: true,
  workInjury: true,
  maternity: false,
  reasons: [],
  elsewhere: "NONE",
  declarant: "SELF",
  authorisationNoted: false,
  surveyors: ["页测甲", "页测乙"],
};

/**
 * The survey work of a city in mid-campaign, set-based: every pending task released; a team of
 * two surveyors (real accounts, as the seed writes them) in every community without one; the tasks
 * of 9 in 10 communities assigned (community codes not ending in 2); of the assigned tasks 1 in 4 submitted with a form, and of
 * those 1 in 3 passed by the street (a quarter of these approved by the district) and 1 in 6
 * returned (each transition with its task_event, the survey counters kept by the triggers on
 * survey_task); and 1 change request per 400 persons. Timing data, not a registry: the approvals
 * do not write the person's survey data into the registry (the dashboard's `registered` does not move).
 */
async function seedWork(client: pg.Client): Promise<void> {
  const hash = await bcrypt.hash(DEMO_PASSWORD, 10);
  const form = JSON.stringify(ZSurveyForm.parse(BENCH_FORM));
  const notInsured = JSON.stringify(ZSurveyForm.parse({ ...BENCH_FORM, employment: "FLEXIBLE", unitName: "", pension: "NONE", medical: "RESIDENT", reasons: ["UNWILLING", "CANNOT_AFFORD"] }));
  const steps: [string, string, unknown[]][] = [
    ["release", `UPDATE survey_task SET released_at = now() WHERE state = 'PENDING' AND released_at IS NULL`, []],
    [
      "surveyors",
      `WITH c AS (SELECT r.code, row_number() OVER (ORDER BY r.code) AS i FROM region r
                   WHERE r.level = 'COMMUNITY' AND NOT EXISTS (SELECT 1 FROM survey_team s WHERE s.community_code = r.code))
       INSERT INTO app_user (login, real_name, password_hash, role, region_code, confirmed_at)
       SELECT 'page' || c.i || '-' || k, '页测调查员 ' || c.i || '-' || k, $1, 'COMMUNITY_SURVEYOR', c.code, now() FROM c CROSS JOIN generate_series(1, 2) k`,
      [hash],
    ],
    ["posts", `INSERT INTO user_post (user_id, role, region_code) SELECT id, role, region_code FROM app_user u WHERE login LIKE 'page%' AND NOT EXISTS (SELECT 1 FROM user_post p WHERE p.user_id = u.id)`, []],
    [
      "teams",
      `INSERT INTO survey_team (community_code, name, member_ids)
       SELECT region_code, '页测调查组', array_agg(id ORDER BY id) FROM app_user WHERE login LIKE 'page%' GROUP BY region_code`,
      [],
    ],
    [
      "assign",
      `WITH t AS (SELECT DISTINCT ON (community_code) id, community_code FROM survey_team ORDER BY community_code, id),
            moved AS (UPDATE survey_task k SET state = 'ASSIGNED', team_id = t.id, version = k.version + 1 FROM t
                       WHERE k.region_code = t.community_code AND k.state = 'PENDING' AND right(t.community_code, 1) <> '2'
                       RETURNING k.id)
       INSERT INTO task_event (task_id, event, from_state, to_state) SELECT id, 'assign', 'PENDING', 'ASSIGNED' FROM moved`,
      [],
    ],
    [
      "forms",
      `INSERT INTO survey_form (task_id, data, submitted_at)
       SELECT id, CASE WHEN id % 8 = 0 THEN $2::jsonb ELSE $1::jsonb END, now() FROM survey_task WHERE state = 'ASSIGNED' AND id % 4 = 0`,
      [form, notInsured],
    ],
    [
      "submit",
      `WITH moved AS (UPDATE survey_task SET state = 'SUBMITTED', version = version + 1 WHERE state = 'ASSIGNED' AND id % 4 = 0 RETURNING id)
       INSERT INTO task_event (task_id, event, from_state, to_state) SELECT id, 'submit', 'DRAFT', 'SUBMITTED' FROM moved`,
      [],
    ],
    [
      "street-approve",
      `WITH moved AS (UPDATE survey_task SET state = 'STREET_APPROVED', version = version + 1 WHERE state = 'SUBMITTED' AND id % 12 = 0 RETURNING id)
       INSERT INTO task_event (task_id, event, from_state, to_state) SELECT id, 'approve', 'SUBMITTED', 'STREET_APPROVED' FROM moved`,
      [],
    ],
    [
      "district-approve",
      `WITH moved AS (UPDATE survey_task SET state = 'DISTRICT_APPROVED', closed_at = now(), version = version + 1 WHERE state = 'STREET_APPROVED' AND id % 48 = 0 RETURNING id)
       INSERT INTO task_event (task_id, event, from_state, to_state) SELECT id, 'approve', 'STREET_APPROVED', 'DISTRICT_APPROVED' FROM moved`,
      [],
    ],
    [
      "return",
      `WITH moved AS (UPDATE survey_task SET state = 'RETURNED', version = version + 1 WHERE state = 'SUBMITTED' AND id % 24 = 4 RETURNING id)
       INSERT INTO task_event (task_id, event, from_state, to_state, comment) SELECT id, 'return', 'SUBMITTED', 'RETURNED', '请补充单位全称' FROM moved`,
      [],
    ],
    [
      "changes",
      `INSERT INTO change_request (id_number, region_code, changes, evidence, sensitive, state)
       SELECT id_number, survey_region_code,
              jsonb_build_object('residenceAddress', jsonb_build_object('from', residence_address, 'to', coalesce(residence_address, '') || '附1号')),
              '居住证明', false, (ARRAY['SUBMITTED', 'SUBMITTED', 'APPROVED', 'RETURNED']::"ChangeState"[])[1 + abs(hashtext(id_number)) % 4]
         FROM person WHERE survey_region_code IS NOT NULL AND abs(hashtext(id_number)) % 400 = 0`,
      [],
    ],
  ];
  await client.query("BEGIN");
  for (const [name, sql, params] of steps) {
    const t = performance.now();
    const r = await client.query(sql, params);
    console.log(`  work ${name.padEnd(15)} ${String(r.rowCount ?? 0).padStart(8)} rows in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  await client.query("COMMIT");
  await client.query("ANALYZE");
}

/** The pages measured, and the accounts (demo accounts of the seed) that open them; search terms from the data. */
async function pagesToMeasure(client: pg.Client): Promise<PageSpec[]> {
  const { rows: acc } = await client.query<{ login: string; region_code: string | null }>(
    `SELECT login, region_code FROM app_user WHERE login = ANY('{city,tianning,qinglong,surveyor1,admin}'::text[])`,
  );
  const region = new Map(acc.map((a) => [a.login, a.region_code]));
  for (const l of ["city", "tianning", "qinglong", "surveyor1", "admin"]) if (!region.has(l)) throw new Error(`the seed has no account ${l}`);
  const street = region.get("qinglong")!;
  // A partial name (the first two characters of a name common in the street) and part of an ID
  // number (6 digits from the middle of one of the street's persons).
  const { rows: names } = await client.query<{ name: string }>(
    `SELECT left(name, 2) AS name FROM person WHERE survey_region_code LIKE $1 || '%' AND length(name) >= 3 GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`,
    [street],
  );
  const { rows: ids } = await client.query<{ part: string }>(
    `SELECT substr(id_number, 7, 8) AS part FROM person WHERE survey_region_code LIKE $1 || '%' ORDER BY id_number LIMIT 1 OFFSET 100`,
    [street],
  );
  const { rows: tasks } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM survey_task WHERE left(region_code, 9) = $1`, [street]);
  console.log(`street ${street}: ${tasks[0].n} tasks; name search "${names[0]?.name}", ID search "${ids[0]?.part}"`);
  const name = encodeURIComponent(names[0]?.name ?? "张");
  const idPart = ids[0]?.part ?? "1990";
  const district = region.get("tianning")!;
  return [
    { name: "stats-city", login: "city", url: "/stats" },
    { name: "stats-district", login: "tianning", url: "/stats" },
    { name: "stats-street", login: "qinglong", url: "/stats" },
    { name: "stats-community", login: "surveyor1", url: "/stats" },
    { name: "persons-first", login: "city", url: "/stats/persons" },
    { name: "persons-filtered", login: "tianning", url: `/stats/persons?region=${district}&measure=needs_survey` },
    { name: "persons-name", login: "city", url: `/stats/persons?q=${name}` },
    { name: "tasks", login: "qinglong", url: "/tasks" },
    { name: "survey", login: "surveyor1", url: "/survey" },
    { name: "review", login: "qinglong", url: "/review" },
    { name: "changes", login: "qinglong", url: "/changes" },
    { name: "registry-name", login: "qinglong", url: `/registry?q=${name}` },
    { name: "registry-id", login: "qinglong", url: `/registry?q=${idPart}` },
    { name: "comparisons", login: "city", url: "/comparisons" },
    { name: "admin-users", login: "admin", url: "/admin/users" },
    { name: "admin-regions", login: "admin", url: "/admin/regions" },
  ];
}

/** `requests` requests of one page, `concurrency` at a time, on one signed-in session. */
async function measurePage(base: string, page: PageSpec, requests: number, concurrency: number): Promise<PageResult> {
  const s = new Session(base);
  if (!(await s.signIn(page.login, DEMO_PASSWORD, page.url))) throw new Error(`${page.login} could not sign in`);
  const result: PageResult = { ...page, ms: [], errors: 0, bytes: 0 };
  const once = async (measured: boolean) => {
    const t0 = performance.now();
    let why: string | null;
    try {
      const res = await s.request(page.url);
      const body = await res.text();
      result.bytes = Buffer.byteLength(body);
      why = answeredPage(res.status, body);
    } catch (e) {
      why = String(e);
    }
    if (!measured) return;
    result.ms.push(performance.now() - t0);
    if (why) {
      result.errors++;
      result.sample ??= why;
    }
  };
  for (let i = 0; i < 5; i++) await once(false);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests) {
        next++;
        await once(true);
      }
    }),
  );
  return result;
}

export async function benchPages(flags: Record<string, string | true>): Promise<void> {
  const persons = Number(flags.persons ?? 1_000_000);
  const requests = Number(flags.requests ?? 500);
  const concurrency = Number(flags.concurrency ?? os.availableParallelism());
  const usage = "usage: bench-pages [--persons N] [--requests N] [--concurrency C] [--only name,name] [--keep DIR | --reuse DIR]";
  for (const [k, v] of Object.entries({ persons, requests, concurrency })) if (!Number.isInteger(v) || v <= 0) throw new Error(`${usage} (bad --${k})`);
  const keep = typeof flags.keep === "string" ? path.resolve(flags.keep) : null;
  const reuse = typeof flags.reuse === "string" ? path.resolve(flags.reuse) : null;
  if (flags.keep === true || flags.reuse === true || (keep && reuse)) throw new Error(`${usage} (--keep and --reuse take one folder)`);
  if (reuse && !fs.existsSync(path.join(reuse, "pg", "PG_VERSION"))) throw new Error(`--reuse ${reuse}: no database kept there (make one with --keep ${reuse})`);
  if (keep && fs.existsSync(keep) && fs.readdirSync(keep).length > 0) throw new Error(`--keep ${keep}: the folder is not empty (use --reuse to run on it)`);
  const dir = reuse ?? keep ?? fs.mkdtempSync(path.join(os.tmpdir(), "bench-pages-"));
  const server = await startEmbedded({ dir: path.join(dir, "pg"), database: "pages", persistent: !!(keep || reuse), fsync: false });
  const client = new pg.Client({ connectionString: server.url });
  let portal: Portal | null = null;
  let summary = "";
  // Interrupted (Ctrl-C, a timeout): the portal and the database server go with this process.
  const interrupted = async () => {
    await portal?.stop();
    await server.stop();
    process.exit(130);
  };
  process.once("SIGINT", interrupted).once("SIGTERM", interrupted);
  try {
    await migrate(server.migrationUrl);
    setEnv("DATABASE_URL", server.url);
    await client.connect();
    if (!reuse) {
      const t = performance.now();
      console.log(`seeding the demo city with ${persons} persons …`);
      await seedDemo(server.url, { persons });
      await seedWork(client);
      console.log(`seeded in ${((performance.now() - t) / 1000).toFixed(1)} s${keep ? `; kept in ${keep} (run again with --reuse ${keep})` : ""}`);
    }
    const { rows: counted } = await client.query<{ n: string }>("SELECT count(*) AS n FROM person");
    const only = typeof flags.only === "string" ? new Set(flags.only.split(",")) : null;
    const pages = (await pagesToMeasure(client)).filter((p) => !only || only.has(p.name));
    if (pages.length === 0) throw new Error(`${usage} (--only names no page)`);
    buildIfNeeded();
    portal = await startPortal(server.url);
    const load = os.loadavg().map((l) => l.toFixed(2)).join(" ");
    console.log(`portal on ${portal.base}; ${counted[0].n} persons; ${pages.length} pages × ${requests} requests, ${concurrency} at a time; load average ${load}`);
    const results: PageResult[] = [];
    for (const page of pages) {
      const r = await measurePage(portal.base, page, requests, concurrency);
      results.push(r);
      const sorted = [...r.ms].sort((a, b) => a - b);
      const p95 = percentile(sorted, 95);
      console.log(
        `${r.name.padEnd(17)} ${r.url.padEnd(60)} count=${sorted.length} p50_ms=${percentile(sorted, 50).toFixed(1)} p95_ms=${p95.toFixed(1)} errors=${r.errors} kb=${Math.round(r.bytes / 1024)}${p95 > TARGET_P95_MS ? " OVER" : ""}${r.sample ? ` (${r.sample})` : ""}`,
      );
    }
    const errors = results.reduce((a, r) => a + r.errors, 0);
    const over = results.filter((r) => percentile([...r.ms].sort((a, b) => a - b), 95) > TARGET_P95_MS).map((r) => r.name);
    console.log(`load average after: ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}; errors=${errors}; over the ${TARGET_P95_MS} ms p95 target: ${over.length ? over.join(", ") : "none"}`);
    if (errors > 0) process.exitCode = 1;
    summary = summaryLine(results);
  } finally {
    process.off("SIGINT", interrupted).off("SIGTERM", interrupted);
    await client.end().catch(() => {});
    await portal?.stop();
    const { disconnect } = await import("@/lib/db/client");
    await disconnect();
    await server.stop();
    if (!keep && !reuse) fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log(summary);
}
