import { z } from "zod";
import { auditRead } from "@/lib/audit/log";
import { pool } from "@/lib/db/client";
import { maskIdNumber } from "@/lib/ids/id-number";
import { type Actor, NotFoundError, requireInScope } from "@/lib/policy";
import type { TTaskState } from "@/lib/review/workflow";
import { surveyFiguresUnder } from "@/lib/stats/survey";

// Survey progress of a region and of each region below it (the home page and /regions/<code>), and
// the tasks behind each count (/regions/<code>/tasks?state=<column>). The counts per state come from
// the survey counters (stats_task_count, lib/stats/survey.ts); PENDING is split into 未下发 (not yet
// released by the district) and 待分配 (released to the street, no team yet) by one aggregate over the
// PENDING tasks (index survey_task(region_code, state)). Completion is the statistics' own measure:
// closed (district-approved or unreachable) / published (every task but SETTLED ones).

/** The progress columns, in the order a task moves; the pseudo-states split PENDING by release. */
export const PROGRESS_COLUMNS = ["UNRELEASED", "UNASSIGNED", "ASSIGNED", "DRAFT", "RETURNED", "SUBMITTED", "STREET_APPROVED", "DISTRICT_APPROVED", "UNREACHABLE"] as const;
export type TProgressColumn = (typeof PROGRESS_COLUMNS)[number];

export interface ProgressLine {
  code: string;
  name: string;
  counts: Record<TProgressColumn, number>;
  /** Published tasks (every state but SETTLED) = the sum of the columns. */
  total: number;
  /** District-approved + unreachable. */
  closed: number;
  /** closed / total, in per cent with one decimal (null without tasks). */
  completion: number | null;
}

export function childCodeLength(code: string): number | null {
  return code.length === 4 ? 6 : code.length === 6 ? 9 : code.length === 9 ? 12 : null;
}

const emptyCounts = () => Object.fromEntries(PROGRESS_COLUMNS.map((c) => [c, 0])) as Record<TProgressColumn, number>;

function finish(line: Omit<ProgressLine, "total" | "closed" | "completion">): ProgressLine {
  const total = PROGRESS_COLUMNS.reduce((s, c) => s + line.counts[c], 0);
  const closed = line.counts.DISTRICT_APPROVED + line.counts.UNREACHABLE;
  return { ...line, total, closed, completion: total ? Math.round((closed / total) * 1000) / 10 : null };
}

/** The progress of each region directly below `code` and the totals row of `code` itself, scoped. */
export async function regionProgress(actor: Actor, code: string): Promise<{ rows: ProgressLine[]; totals: ProgressLine }> {
  requireInScope(actor, "task:view", code);
  const childLength = childCodeLength(code);
  const db = pool();
  const [figures, released, children, self] = await Promise.all([
    surveyFiguresUnder(db, code, childLength),
    db.query<{ code: string; n: number }>(
      `SELECT c AS code, count(*)::int AS n
         FROM survey_task
         CROSS JOIN LATERAL unnest(CASE WHEN $2::int IS NULL THEN ARRAY[$1::text] ELSE ARRAY[$1::text, left(region_code, $2::int)] END) AS c
        WHERE starts_with(region_code, $1) AND state = 'PENDING' AND released_at IS NOT NULL
        GROUP BY 1`,
      [code, childLength],
    ),
    childLength ? db.query<{ code: string; name: string }>(`SELECT code, name FROM region WHERE parent_code = $1 ORDER BY code`, [code]) : Promise.resolve({ rows: [] as { code: string; name: string }[] }),
    db.query<{ name: string }>(`SELECT name FROM region WHERE code = $1`, [code]),
  ]);
  const releasedBy = new Map(released.rows.map((r) => [r.code, r.n]));
  const line = (c: string, name: string): ProgressLine => {
    const f = figures.get(c);
    const counts = emptyCounts();
    if (f) {
      for (const s of ["ASSIGNED", "DRAFT", "RETURNED", "SUBMITTED", "STREET_APPROVED", "DISTRICT_APPROVED", "UNREACHABLE"] as const) counts[s] = f.byState[s] ?? 0;
      const pending = f.byState.PENDING ?? 0;
      counts.UNASSIGNED = Math.min(pending, releasedBy.get(c) ?? 0);
      counts.UNRELEASED = pending - counts.UNASSIGNED;
    }
    return finish({ code: c, name, counts });
  };
  return { rows: children.rows.map((r) => line(r.code, r.name)), totals: line(code, self.rows[0]?.name ?? code) };
}

export interface Crumb {
  code: string;
  name: string;
  level: string;
}

/**
 * The breadcrumbs of a region: city › district › street › community by name, from the actor's own
 * region down (the regions above it are not the actor's to open).
 */
export async function regionCrumbs(actor: Actor, code: string): Promise<Crumb[]> {
  requireInScope(actor, "region:view", code);
  const codes = [4, 6, 9, 12].filter((n) => code.length >= n && n >= (actor.regionCode?.length ?? 99)).map((n) => code.slice(0, n));
  const { rows } = await pool().query<Crumb>(`SELECT code, name, level::text AS level FROM region WHERE code = ANY($1::text[]) ORDER BY length(code)`, [codes]);
  if (rows[rows.length - 1]?.code !== code) throw new NotFoundError("region");
  return rows;
}

/** Names of region codes as paths ("天宁区 青龙街道 南苑社区", from the district down), for display. */
export async function regionPaths(codes: (string | null | undefined)[]): Promise<Record<string, string>> {
  const wanted = new Set<string>();
  for (const c of codes) if (c) for (const n of [6, 9, 12]) if (c.length >= n) wanted.add(c.slice(0, n));
  if (!wanted.size) return {};
  const { rows } = await pool().query<{ code: string; name: string }>(`SELECT code, name FROM region WHERE code = ANY($1::text[])`, [[...wanted]]);
  const names = new Map(rows.map((r) => [r.code, r.name]));
  const out: Record<string, string> = {};
  for (const c of codes) {
    if (!c) continue;
    const parts = [6, 9, 12].filter((n) => c.length >= n).map((n) => names.get(c.slice(0, n)));
    if (parts.every(Boolean)) out[c] = parts.join(" ");
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The tasks behind a count: /regions/<code>/tasks?state=<column>&q=<name or part of ID>&page=

export const REGION_TASK_PAGE_SIZE = 50;
export const ZRegionTaskFilter = z.object({
  state: z.enum(PROGRESS_COLUMNS).optional().catch(undefined),
  q: z.string().trim().max(40).optional().catch(undefined),
});
export type TRegionTaskFilter = z.infer<typeof ZRegionTaskFilter>;

export interface RegionTaskRow {
  id: number;
  idMasked: string;
  name: string;
  regionCode: string;
  regionName: string;
  state: TTaskState;
  released: boolean;
  teamName: string | null;
  category: string;
  reason: string;
}

/** One page of the published tasks of `code` in a progress column, scoped (a surveyor: their team's only); audited. */
export async function regionTasks(actor: Actor, code: string, filter: TRegionTaskFilter, page: number): Promise<{ rows: RegionTaskRow[]; total: number }> {
  requireInScope(actor, "task:view", code);
  const params: unknown[] = [code];
  const parts = ["starts_with(t.region_code, $1)", "t.state <> 'SETTLED'"];
  const add = (sql: (n: number) => string, v: unknown) => {
    params.push(v);
    parts.push(sql(params.length));
  };
  if (actor.role === "COMMUNITY_SURVEYOR") add((n) => `$${n}::int = ANY(team.member_ids)`, actor.id);
  if (filter.state === "UNRELEASED") parts.push("t.state = 'PENDING' AND t.released_at IS NULL");
  else if (filter.state === "UNASSIGNED") parts.push("t.state = 'PENDING' AND t.released_at IS NOT NULL");
  else if (filter.state) add((n) => `t.state = $${n}::"SurveyTaskState"`, filter.state);
  if (filter.q) {
    const q = filter.q.replace(/[\\%_]/g, (c) => `\\${c}`);
    if (/^[0-9Xx]+$/.test(filter.q)) add((n) => `t.id_number LIKE $${n}`, `%${q.toUpperCase()}%`);
    else add((n) => `COALESCE(p.name, f.data -> 'newPerson' ->> 'name', '') ILIKE $${n}`, `%${q}%`);
  }
  const from = `FROM survey_task t LEFT JOIN survey_team team ON team.id = t.team_id LEFT JOIN person p ON p.id_number = t.id_number::char(18) LEFT JOIN survey_form f ON f.task_id = t.id WHERE ${parts.join(" AND ")}`;
  const n = params.length;
  const [count, rows] = await Promise.all([
    pool().query<{ n: number }>(`SELECT count(*)::int AS n ${from}`, params),
    pool().query<{ id: number; id_number: string; name: string; region_code: string; region_name: string | null; state: string; released: boolean; team_name: string | null; category: string; reason: string }>(
      `SELECT t.id, t.id_number, COALESCE(p.name, f.data -> 'newPerson' ->> 'name', '') AS name, t.region_code, g.name AS region_name, t.state::text AS state,
              t.released_at IS NOT NULL AS released, team.name AS team_name, t.category, t.reason
         ${from.replace("WHERE", "LEFT JOIN region g ON g.code = t.region_code WHERE")}
        ORDER BY t.region_code, t.id LIMIT $${n + 1} OFFSET $${n + 2}`,
      [...params, REGION_TASK_PAGE_SIZE, page * REGION_TASK_PAGE_SIZE],
    ),
  ]);
  // The region goes in the row's region column (shown with its name), the column as its state(s).
  await auditRead(actor, "task.list", { entity: "survey_task", regionCode: code, filters: { states: filter.state ? [filter.state] : undefined, q: filter.q, page }, rows: rows.rows.length });
  return {
    total: count.rows[0].n,
    rows: rows.rows.map((r) => ({
      id: r.id,
      idMasked: maskIdNumber(r.id_number),
      name: r.name,
      regionCode: r.region_code,
      regionName: r.region_name ?? r.region_code,
      state: r.state as TTaskState,
      released: r.released,
      teamName: r.team_name,
      category: r.category,
      reason: r.reason,
    })),
  };
}
