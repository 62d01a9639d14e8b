import { hashPassword } from "@/lib/auth/password-hash";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import pg from "pg";
import { startEmbedded } from "@/lib/db/embedded";
import { migrate } from "@/lib/db/migrate";
import { env, setEnv } from "@/lib/env";
import { DEMO_PASSWORD, seedDemo } from "@/prisma/seed/demo";
import { percentile, type Portal, startPortal } from "./bench-http";
import { buildIfNeeded, ROOT } from "./build";

// `npm run bench:load [-- --users 32 --seconds 30 --persons 30000 --per-session 50]`: the portal under load, on loopback.
// A fresh embedded PostgreSQL in a temporary folder is migrated and seeded with the demo city (the
// real pipeline: generate → import → compare); every community with open tasks gets a survey team of
// real accounts (written as the seed writes its accounts) and its tasks assigned. The built portal
// runs under `next start`. N virtual users then, each on its own account and its own share of the
// tasks: sign in through next-auth's credentials flow, view the survey list, and submit registration
// forms through the form's real server action (lib/survey/actions.ts submitFormAction), called the
// way the browser calls it: POST to the form's page with `Next-Action: <id>` and the arguments as the
// React reply encoding (plain JSON for these arguments). Bounded in time (--seconds) and count (the
// tasks prepared, --max); afterwards the database is checked: every submission answered `ok` must
// have its task SUBMITTED with its form stored (else "lost"), and no task submitted twice ("doubled").

interface Stat {
  ms: number[];
  errors: number;
}

interface Session_ {
  login: string;
  tasks: { id: number; version: number }[];
}

interface Vu {
  sessions: Session_[];
}

const FORM = {
  employment: "EMPLOYED",
  unitName: "常州市负载测试有限公司",
  mobile: "13800000000",
  pension: "EMPLOYEE",
  medical: "EMPLOYEE",
  unemployment: true,
  workInjury: true,
  maternity: true,
  reasons: [],
  elsewhere: "NONE",
  declarant: "SELF",
  authorisationNoted: false,
  surveyors: ["压测甲", "压测乙"],
};

/** The id of a server action, from the build's server-reference manifest. */
function actionId(file: string, name: string): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, ".next/server/server-reference-manifest.json"), "utf8")) as {
    node: Record<string, { exportedName?: string; filename?: string; workers?: Record<string, unknown> }>;
  };
  for (const [id, entry] of Object.entries(manifest.node)) {
    if (entry.exportedName === name && (entry.filename ?? "").includes(file)) return id;
  }
  throw new Error(`server action ${file}#${name} not found in .next/server/server-reference-manifest.json`);
}

/**
 * Surveyor accounts for the load: one team of two in every community with open tasks that has no
 * team yet, its tasks assigned to it. Written as prisma/seed/demo.ts writes its demo accounts
 * (password hash from lib/auth/password-hash.ts, confirmed, with their post), password DEMO_PASSWORD.
 */
async function prepareTeams(client: pg.Client): Promise<void> {
  const { rows: communities } = await client.query<{ code: string; n: string }>(
    `SELECT t.region_code AS code, count(*) AS n FROM survey_task t
      WHERE t.state = 'PENDING' AND NOT EXISTS (SELECT 1 FROM survey_team s WHERE s.community_code = t.region_code)
      GROUP BY 1 ORDER BY count(*) DESC, 1`,
  );
  const hash = await hashPassword(DEMO_PASSWORD);
  await client.query("BEGIN");
  for (const [i, c] of communities.entries()) {
    const ids: number[] = [];
    for (const k of [1, 2]) {
      const { rows } = await client.query<{ id: number }>(
        `INSERT INTO app_user (login, real_name, password_hash, role, region_code, confirmed_at) VALUES ($1, $2, $3, 'COMMUNITY_SURVEYOR', $4, now()) RETURNING id`,
        [`load${i + 1}-${k}`, `压测调查员 ${i + 1}-${k}`, hash, c.code],
      );
      await client.query(`INSERT INTO user_post (user_id, role, region_code) VALUES ($1, 'COMMUNITY_SURVEYOR', $2)`, [rows[0].id, c.code]);
      ids.push(rows[0].id);
    }
    const { rows: team } = await client.query<{ id: number }>(`INSERT INTO survey_team (community_code, name, member_ids) VALUES ($1, '压测调查组', $2) RETURNING id`, [c.code, ids]);
    await client.query(`UPDATE survey_task SET state = 'ASSIGNED', team_id = $2, released_at = now() WHERE region_code = $1 AND state = 'PENDING'`, [c.code, team[0].id]);
  }
  await client.query("COMMIT");
}

/**
 * The virtual users' work: every team's ASSIGNED tasks cut into sessions of `perSession` tasks, each
 * on one of the team's members' accounts (alternating), dealt round-robin over the teams to the users.
 */
async function planUsers(client: pg.Client, users: number, max: number, perSession: number): Promise<Vu[]> {
  const { rows: teams } = await client.query<{ id: number; logins: string[] }>(
    `SELECT s.id, array_agg(u.login ORDER BY u.id) AS logins FROM survey_team s JOIN app_user u ON u.id = ANY(s.member_ids) GROUP BY s.id ORDER BY s.id`,
  );
  if (teams.length === 0) throw new Error("no survey team to load");
  const { rows: tasks } = await client.query<{ id: number; version: number; team_id: number }>(
    `SELECT id, version, team_id FROM survey_task WHERE state = 'ASSIGNED' AND team_id IS NOT NULL ORDER BY id LIMIT $1`,
    [max],
  );
  const queues = teams.map((t) => ({ logins: t.logins, tasks: tasks.filter((x) => x.team_id === t.id).map((x) => ({ id: x.id, version: x.version })), n: 0 }));
  const sessions: Session_[] = [];
  for (let more = true; more; ) {
    more = false;
    for (const q of queues) {
      if (q.tasks.length === 0) continue;
      sessions.push({ login: q.logins[q.n++ % q.logins.length], tasks: q.tasks.splice(0, perSession) });
      more = true;
    }
  }
  const vus: Vu[] = Array.from({ length: users }, () => ({ sessions: [] }));
  sessions.forEach((s, j) => vus[j % users].sessions.push(s));
  return vus;
}

/** An answer as the load needs it: status, and the body (gunzipped) only when asked for. */
interface Answer {
  status: number;
  text(): string;
}

// The generator shares the two cores with the portal, so it is kept lean: node:http with kept-alive
// connections (fetch's web streams cost it about twice the CPU per request), bodies read as bytes
// and decompressed only where the load reads them (the csrf token, the action's answer). It asks for
// gzip as a browser does, so the portal compresses what it would compress for a browser.
const agent = new http.Agent({ keepAlive: true, maxSockets: 1024 });

class Session {
  private cookies = new Map<string, string>();
  constructor(private base: string) {}

  private keep(setCookies: string[] | undefined): void {
    for (const c of setCookies ?? []) {
      const [pair] = c.split(";");
      const eq = pair.indexOf("=");
      this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1));
    }
  }

  get cookie(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  request(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        this.base + url,
        { method: init.method ?? "GET", agent, timeout: 30_000, headers: { "accept-encoding": "gzip", ...init.headers, ...(init.body === undefined ? {} : { "content-length": String(Buffer.byteLength(init.body)) }), cookie: this.cookie } },
        (res) => {
          this.keep(res.headers["set-cookie"]);
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("error", reject);
          res.on("end", () => {
            const gzip = res.headers["content-encoding"] === "gzip";
            resolve({ status: res.statusCode ?? 0, text: () => (gzip ? zlib.gunzipSync(Buffer.concat(chunks)) : Buffer.concat(chunks)).toString("utf8") });
          });
        },
      );
      req.on("timeout", () => req.destroy(new Error(`${url}: no answer within 30 s`)));
      req.on("error", reject);
      req.end(init.body);
    });
  }

  reset(): void {
    this.cookies.clear();
  }
}

export async function benchLoad(flags: Record<string, string | true>): Promise<void> {
  const users = Number(flags.users ?? 32);
  const seconds = Number(flags.seconds ?? 30);
  const persons = Number(flags.persons ?? 30_000);
  const max = Number(flags.max ?? 100_000);
  const perSession = Number(flags["per-session"] ?? 50);
  const workers = Number(flags.workers ?? env().PORTAL_WORKERS ?? os.availableParallelism());
  for (const [k, v] of Object.entries({ users, seconds, persons, max, perSession, workers })) {
    if (!Number.isInteger(v) || v <= 0) throw new Error(`usage: bench-load [--users N] [--seconds S] [--persons P] [--max M] [--per-session K] [--workers W] (bad --${k})`);
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "bench-load-"));
  // fsync on, as in production (a throwaway cluster would skip it): with synchronous_commit = on
  // (PostgreSQL's default, never changed here) every commit waits for its WAL to reach the disk.
  const server = await startEmbedded({ dir: path.join(work, "pg"), database: "load", persistent: false, fsync: true });
  let portal: Portal | null = null;
  const client = new pg.Client({ connectionString: server.url });
  try {
    await migrate(server.migrationUrl);
    setEnv("DATABASE_URL", server.url);
    let t = performance.now();
    console.log(`seeding the demo city with ${persons} persons …`);
    await seedDemo(server.url, { persons });
    await client.connect();
    await prepareTeams(client);
    const vus = await planUsers(client, users, max, perSession);
    const planned = vus.reduce((a, v) => a + v.sessions.reduce((b, s) => b + s.tasks.length, 0), 0);
    const accounts = new Set(vus.flatMap((v) => v.sessions.map((s) => s.login))).size;
    console.log(`seeded in ${((performance.now() - t) / 1000).toFixed(1)} s: ${planned} ASSIGNED tasks to submit at most, on ${accounts} surveyor accounts, for ${users} users`);

    buildIfNeeded();
    const submitId = actionId("lib/survey/actions.ts", "submitFormAction");
    // The portal as `npm start` runs it: `next start` in --workers processes (default: one per CPU)
    // behind the one port (lib/cli/serve-cluster.mjs).
    portal = await startPortal(server.url, { workers });
    const base = portal.base;
    console.log(`portal on ${base} (${workers} worker process${workers === 1 ? "" : "es"}); ${users} users for at most ${seconds} s …`);

    const stats: Record<"signIn" | "list" | "submit", Stat> = { signIn: { ms: [], errors: 0 }, list: { ms: [], errors: 0 }, submit: { ms: [], errors: 0 } };
    const submitted: number[] = [];
    const errorSamples: string[] = [];
    const fail = (op: keyof typeof stats, why: string) => {
      stats[op].errors++;
      if (errorSamples.length < 5) errorSamples.push(`${op}: ${why}`);
    };
    let deadline = performance.now() + seconds * 1000;
    const timed = async <T>(op: keyof typeof stats, f: () => Promise<T>): Promise<T> => {
      const t0 = performance.now();
      const r = await f();
      stats[op].ms.push(performance.now() - t0);
      return r;
    };

    const signIn = async (s: Session, login: string): Promise<boolean> => {
      s.reset();
      return timed("signIn", async () => {
        const csrf = JSON.parse((await s.request("/api/auth/csrf")).text()) as { csrfToken: string };
        const res = await s.request("/api/auth/callback/credentials", {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ csrfToken: csrf.csrfToken, login, password: DEMO_PASSWORD, callbackUrl: `${base}/survey`, json: "true" }).toString(),
        });
        return res.status < 400 && s.cookie.includes("next-auth.session-token=");
      });
    };

    const runVu = async (vu: Vu) => {
      const s = new Session(base);
      for (const session of vu.sessions) {
        if (performance.now() >= deadline) break;
        try {
          if (!(await signIn(s, session.login))) {
            fail("signIn", `${session.login}: no session cookie`);
            continue;
          }
          const list = await timed("list", async () => {
            return (await s.request("/survey")).status;
          });
          if (list !== 200) fail("list", `/survey answered ${list}`);
          for (const task of session.tasks) {
            if (performance.now() >= deadline) break;
            const answer = await timed("submit", async () => {
              const res = await s.request(`/survey/${task.id}`, {
                method: "POST",
                headers: { "next-action": submitId, "content-type": "text/plain;charset=UTF-8", accept: "text/x-component", origin: base },
                body: JSON.stringify([task.id, task.version, FORM]),
              });
              return { status: res.status, body: res.text() };
            });
            const result = answer.status === 200 ? actionResult(answer.body) : null;
            if (result && (result as { ok?: unknown }).ok === true) submitted.push(task.id);
            else fail("submit", `task ${task.id}: ${answer.status} ${answer.body.slice(0, 300).replace(/\n/g, " | ")}`);
          }
        } catch (e) {
          fail("submit", String(e));
        }
      }
    };

    // Warm-up, not measured: every route the load uses answers once in every worker (a production
    // server still loads each route's code on its first request; parallel sessions open parallel
    // connections, which the workers take in turn). Nothing is submitted.
    const first = vus.find((v) => v.sessions.length > 0)!.sessions[0];
    await Promise.all(
      Array.from({ length: 2 * workers }, async () => {
        const warm = new Session(base);
        if (!(await signIn(warm, first.login))) throw new Error(`warm-up: ${first.login} could not sign in`);
        for (const url of ["/survey", `/survey/${first.tasks[0].id}`]) await warm.request(url);
      }),
    );
    stats.signIn.ms.length = 0;
    deadline = performance.now() + seconds * 1000;

    const load0 = os.loadavg()[0];
    const cpu0 = { portal: treeCpuSeconds(portal.pid), postgres: treeCpuSeconds(server.pid), generator: process.cpuUsage() };
    t = performance.now();
    await Promise.all(vus.map(runVu));
    const elapsed = (performance.now() - t) / 1000;
    const generatorUsage = process.cpuUsage(cpu0.generator);
    const cpu = {
      portal: treeCpuSeconds(portal.pid) - cpu0.portal,
      postgres: treeCpuSeconds(server.pid) - cpu0.postgres,
      generator: (generatorUsage.user + generatorUsage.system) / 1e6,
    };
    const load1 = os.loadavg()[0];

    // The database afterwards: what was answered ok must be there, once.
    const { rows: stored } = await client.query<{ id: number }>(
      `SELECT t.id FROM survey_task t JOIN survey_form f ON f.task_id = t.id
        WHERE t.id = ANY($1::int[]) AND t.state = 'SUBMITTED' AND f.submitted_at IS NOT NULL`,
      [submitted],
    );
    const lost = new Set(submitted).size - stored.length;
    const { rows: twice } = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM (
         SELECT task_id FROM task_event WHERE event = 'submit' GROUP BY task_id HAVING count(*) > 1
         UNION SELECT task_id FROM survey_visit WHERE outcome = 'COMPLETED' GROUP BY task_id HAVING count(*) > 1) d`,
    );
    const doubled = Number(twice[0].n) + (submitted.length - new Set(submitted).size);
    const { rows: extra } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM survey_task WHERE state = 'SUBMITTED' AND NOT (id = ANY($1::int[]))`, [submitted]);

    for (const [op, st] of Object.entries(stats)) {
      const sorted = [...st.ms].sort((a, b) => a - b);
      console.log(`${op.padEnd(7)} count=${sorted.length} p50_ms=${percentile(sorted, 50).toFixed(0)} p95_ms=${percentile(sorted, 95).toFixed(0)} errors=${st.errors}`);
    }
    for (const e of errorSamples) console.log(`  error: ${e}`);
    console.log(`${submitted.length} submissions answered ok in ${elapsed.toFixed(1)} s; ${extra[0].n} tasks SUBMITTED without an ok answer`);
    // CPU spent while the users worked, by the portal (next start and its workers), PostgreSQL (all
    // its processes) and this generator, per submission: comparable between runs on a busy machine,
    // where the wall-clock rate mostly measures the neighbours. Load average at start and end.
    const per = (x: number) => (submitted.length ? ((x * 1000) / submitted.length).toFixed(1) : "-");
    console.log(
      `cpu_s portal=${cpu.portal.toFixed(1)} postgres=${cpu.postgres.toFixed(1)} generator=${cpu.generator.toFixed(1)}; ` +
        `cpu_ms_per_submission portal=${per(cpu.portal)} postgres=${per(cpu.postgres)} generator=${per(cpu.generator)}; ` +
        `cores=${os.cpus().length} load_average=${load0.toFixed(1)}→${load1.toFixed(1)}`,
    );
    const errors = stats.signIn.errors + stats.list.errors + stats.submit.errors;
    const p95 = percentile([...stats.submit.ms].sort((a, b) => a - b), 95);
    console.log(`submissions_per_s=${(submitted.length / elapsed).toFixed(1)} p95_ms=${p95.toFixed(0)} errors=${errors} lost=${lost} doubled=${doubled}`);
  } finally {
    await client.end().catch(() => {});
    await portal?.stop();
    const { disconnect } = await import("@/lib/db/client");
    await disconnect();
    await server.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/**
 * CPU time (user + system, seconds) used so far by a process and its live descendants, from
 * /proc (Linux); 0 where there is no /proc. Children that already exited are not counted.
 */
export function treeCpuSeconds(root: number | undefined): number {
  if (!root || !fs.existsSync("/proc/self/stat")) return 0;
  const stats: { pid: number; ppid: number; ticks: number }[] = [];
  for (const name of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    let text: string;
    try {
      text = fs.readFileSync(`/proc/${name}/stat`, "utf8");
    } catch {
      continue; // exited meanwhile
    }
    // "pid (comm) state ppid … utime stime …": comm may hold spaces, so split after its ")".
    const f = text.slice(text.lastIndexOf(")") + 2).split(" ");
    stats.push({ pid: Number(name), ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) });
  }
  const children = new Map<number, number[]>();
  for (const s of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s.pid]);
  const ticks = new Map(stats.map((s) => [s.pid, s.ticks]));
  let sum = 0;
  for (const todo = [root]; todo.length; ) {
    const pid = todo.pop()!;
    sum += ticks.get(pid) ?? 0;
    todo.push(...(children.get(pid) ?? []));
  }
  return sum / CLOCK_TICKS;
}

/** Linux's USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s on every Linux architecture. */
const CLOCK_TICKS = 100;

/**
 * The value an action returned, from its React Flight answer: row 0 names the row holding it
 * (`"a":"$@<id>"`); rows are `<hex id>:<json>` lines.
 */
export function actionResult(body: string): unknown {
  const rows = new Map<string, string>();
  for (const line of body.split("\n")) {
    const m = /^([0-9a-f]+):(.*)$/.exec(line);
    if (m) rows.set(m[1], m[2]);
  }
  try {
    const head = JSON.parse(rows.get("0") ?? "null") as { a?: unknown } | null;
    const ref = typeof head?.a === "string" ? /^\$@([0-9a-f]+)$/.exec(head.a) : null;
    if (!ref) return null;
    return JSON.parse(rows.get(ref[1]) ?? "null") as unknown;
  } catch {
    return null;
  }
}
