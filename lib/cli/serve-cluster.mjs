// The production server on every core: `node lib/cli/serve-cluster.mjs --workers N -- <next start
// arguments>` forks N worker processes (node:cluster), each running `next start` as it is; their
// listening sockets are one, shared through the primary, which hands out connections round-robin.
// N defaults to the number of CPUs (lib/cli/start.ts passes PORTAL_WORKERS, validated by lib/env.ts). The portal keeps no state of its own in a
// process — sessions are signed cookies checked against the database, sign-in throttling and job
// progress are tables — so any worker can serve any request. A worker that dies is replaced (not
// one that dies within seconds of starting, twice in a row: then the server stops). SIGINT/SIGTERM
// stop the workers and then the primary.
//
// Plain JavaScript (no tsx): started by lib/cli/start.ts (`npm start`) and lib/cli/bench-load.ts.

import cluster from "node:cluster";
import { createRequire } from "node:module";
import os from "node:os";
import { fileURLToPath } from "node:url";

const argv = process.argv.slice(2);
const dash = argv.indexOf("--");
const own = dash === -1 ? argv : argv.slice(0, dash);
const nextArgs = dash === -1 ? ["start"] : argv.slice(dash + 1);

const flag = own.indexOf("--workers");
const requested = flag !== -1 ? own[flag + 1] : undefined;
const workers = requested === undefined || requested === "" ? os.availableParallelism() : Number(requested);
if (!Number.isInteger(workers) || workers < 1 || workers > 256) {
  console.error(`serve-cluster: --workers must be a whole number from 1 to 256 (got ${requested})`);
  process.exit(2);
}

const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next");
// Workers run `next start` itself, without the primary's flags (a tsx loader, an inspector), but
// with PORTAL_WORKER_NODE_ARGS if set: e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" profiles every worker.
// Every worker preloads client-address.cjs (the client's address from the socket, for the sign-in lockout).
const execArgv = ["--require", fileURLToPath(new URL("./client-address.cjs", import.meta.url)), ...(process.env.PORTAL_WORKER_NODE_ARGS ?? "").split(" ").filter(Boolean)];
cluster.setupPrimary({ exec: nextBin, args: nextArgs, execArgv });

let stopping = false;
let exitCode = 0;
const startedAt = new Map();
const quickDeaths = { n: 0 };

function fork() {
  const worker = cluster.fork({ PORTAL_WORKER: "1" });
  startedAt.set(worker.id, Date.now());
}

cluster.on("exit", (worker, code, signal) => {
  const lived = Date.now() - (startedAt.get(worker.id) ?? 0);
  startedAt.delete(worker.id);
  if (stopping) {
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(exitCode);
    return;
  }
  quickDeaths.n = lived < 10_000 ? quickDeaths.n + 1 : 0;
  if (quickDeaths.n >= 2) {
    console.error(`serve-cluster: workers die on start (last: ${signal ?? `exit code ${code}`}); stopping`);
    stop(1);
    return;
  }
  console.error(`serve-cluster: worker ${worker.process.pid} ended (${signal ?? `exit code ${code}`}); starting another`);
  fork();
});

function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  exitCode = code;
  const alive = Object.values(cluster.workers ?? {});
  if (alive.length === 0) process.exit(code);
  for (const w of alive) w?.process.kill("SIGTERM");
  // Whatever does not end in 10 s is killed.
  setTimeout(() => {
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill("SIGKILL");
    process.exit(code);
  }, 10_000).unref();
}

process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));

console.log(`serve-cluster: ${workers} worker process${workers === 1 ? "" : "es"} running next ${nextArgs.join(" ")}`);
for (let i = 0; i < workers; i++) fork();
