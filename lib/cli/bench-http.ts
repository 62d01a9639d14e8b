import { type ChildProcess, spawn } from "node:child_process";
import crypto from "node:crypto";
import os from "node:os";
import path from "node:path";
import { freePort } from "@/lib/db/embedded";
import { ROOT } from "./build";

// What the HTTP benchmarks (bench-load, bench-pages) share: a browser-like session that keeps its
// cookies, next-auth's credentials sign-in, the built portal under `next start` on a free loopback
// port, and percentiles.

/** The p-th percentile (nearest rank) of ascending `sorted`; 0 for no values. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Cookies kept across requests, redirects not followed (a redirect is an answer of its own). */
export class Session {
  private cookies = new Map<string, string>();
  constructor(private base: string) {}

  private keep(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const eq = pair.indexOf("=");
      this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1));
    }
  }

  get cookie(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const res = await fetch(this.base + url, {
      ...init,
      redirect: "manual",
      headers: { ...(init.headers as Record<string, string>), cookie: this.cookie },
      signal: AbortSignal.timeout(30_000),
    });
    this.keep(res);
    return res;
  }

  reset(): void {
    this.cookies.clear();
  }

  /** Signs in through next-auth's credentials flow; true when a session cookie was set. */
  async signIn(login: string, password: string, callbackUrl: string): Promise<boolean> {
    this.reset();
    const csrf = (await (await this.request("/api/auth/csrf")).json()) as { csrfToken: string };
    const res = await this.request("/api/auth/callback/credentials", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrfToken: csrf.csrfToken, login, password, callbackUrl: this.base + callbackUrl, json: "true" }).toString(),
    });
    await res.arrayBuffer();
    return this.cookie.includes("next-auth.session-token=");
  }
}

export interface Portal {
  base: string;
  /** The serving process (the cluster's primary: its process tree holds the workers). */
  pid: number;
  stop: () => Promise<void>;
}

/**
 * The built portal as `npm start` runs it — `next start` in `workers` processes behind one port
 * (lib/cli/serve-cluster.mjs; default one per CPU) — on a free loopback port, on `databaseUrl`;
 * answers /sign-in before this returns.
 */
export async function startPortal(databaseUrl: string, options: { workers?: number } = {}): Promise<Portal> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const workers = options.workers ?? os.availableParallelism();
  const app: ChildProcess = spawn(process.execPath, [path.join(ROOT, "lib/cli/serve-cluster.mjs"), "--workers", String(workers), "--", "start", "-H", "127.0.0.1", "-p", String(port)], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, NODE_ENV: "production", DATABASE_URL: databaseUrl, NEXTAUTH_SECRET: crypto.randomBytes(32).toString("hex"), NEXTAUTH_URL: base, NEXT_TELEMETRY_DISABLED: "1" },
  });
  const stop = async () => {
    if (app.exitCode !== null) return;
    const exited = new Promise((r) => app.once("exit", r));
    app.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (app.exitCode === null) app.kill("SIGKILL");
  };
  const up = Date.now();
  for (;;) {
    if (Date.now() - up > 120_000) {
      await stop();
      throw new Error("next start did not answer within 120 s");
    }
    try {
      if ((await fetch(`${base}/sign-in`, { signal: AbortSignal.timeout(5000) })).ok) break;
    } catch {
      // not yet listening
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return { base, pid: app.pid!, stop };
}
