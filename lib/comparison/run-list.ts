import { auditRead } from "@/lib/audit/log";
import { pool } from "@/lib/db/client";
import { comparisonProgress, settleInterruptedRuns } from "@/lib/jobs/progress";
import { type Actor, scopePrefix } from "@/lib/policy";
import type { RunRow } from "./queries";

// 数据比对 runs list (issue 13, "lists that scale"): filtered by status, basis and the date it was
// started, searched by who started it, paged and counted in SQL. Runs are the city's (their counts
// are city totals); who may see them is the permission (comparison:view), checked first.

export const RUN_PAGE_SIZE = 20;
export const RUN_STATUSES = ["RUNNING", "DONE", "FAILED"] as const;
export const RUN_BASES = ["hukou", "residence"] as const;

export interface RunFilter {
  status?: (typeof RUN_STATUSES)[number];
  basis?: (typeof RUN_BASES)[number];
  from?: string;
  to?: string;
  /** Part of the name of who started the run. */
  q?: string;
}

export interface RunListRow extends RunRow {
  startedBy: string | null;
}

function runWhere(actor: Actor, f: RunFilter) {
  scopePrefix(actor, "comparison:view");
  const params: unknown[] = [];
  const where = ["true"];
  const add = (sql: (n: number) => string, v: unknown) => {
    params.push(v);
    where.push(sql(params.length));
  };
  if (f.status) add((n) => `r.status = $${n}::"ComparisonStatus"`, f.status);
  if (f.basis) add((n) => `r.basis = $${n}::"SurveyBasis"`, f.basis);
  if (f.from) add((n) => `r.started_at >= $${n}::date`, f.from);
  if (f.to) add((n) => `r.started_at < $${n}::date + 1`, f.to);
  if (f.q) add((n) => `u.real_name LIKE $${n}`, `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  return { sql: where.join(" AND "), params };
}

const SELECT = `SELECT r.id, to_char(r.as_of, 'YYYY-MM-DD') AS "asOf", r.basis::text, r.status::text, r.started_at AS "startedAt",
  r.duration_ms AS "durationMs", r.error, r.counts, u.real_name AS "startedBy"
  FROM comparison_run r LEFT JOIN app_user u ON u.id = r.started_by_id`;

export async function listRunsPage(actor: Actor, f: RunFilter, page = 1, pageSize = RUN_PAGE_SIZE): Promise<{ rows: RunListRow[]; total: number }> {
  const { sql, params } = runWhere(actor, f);
  await settleInterruptedRuns();
  const offset = (Math.max(1, page) - 1) * pageSize;
  const [rows, count] = await Promise.all([
    pool().query<RunListRow>(`${SELECT} WHERE ${sql} ORDER BY r.id DESC LIMIT ${pageSize} OFFSET ${offset}`, params),
    pool().query<{ n: number }>(`SELECT count(*)::int AS n FROM comparison_run r LEFT JOIN app_user u ON u.id = r.started_by_id WHERE ${sql}`, params),
  ]);
  const progress = await comparisonProgress(rows.rows.filter((r) => r.status === "RUNNING").map((r) => r.id));
  for (const r of rows.rows) r.progress = progress.get(r.id);
  const total = count.rows[0].n;
  await auditRead(actor, "comparison.list", { entity: "comparison_run", filters: { ...f, page }, rows: total });
  return { rows: rows.rows, total };
}

/** Every run of the list with the same filters (the export; runs are few, one query). */
export async function allRuns(actor: Actor, f: RunFilter): Promise<RunListRow[]> {
  const { sql, params } = runWhere(actor, f);
  return (await pool().query<RunListRow>(`${SELECT} WHERE ${sql} ORDER BY r.id DESC`, params)).rows;
}
