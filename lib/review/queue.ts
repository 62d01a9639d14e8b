import { z } from "zod";
import { auditRead } from "@/lib/audit/log";
import { pool } from "@/lib/db/client";
import { maskIdNumber } from "@/lib/ids/id-number";
import { type Actor, can, requireInScope, scopePrefix, type TPermission } from "@/lib/policy";
import { FILLING_EVENTS } from "./transition";
import type { TTaskState } from "./workflow";

// The review queue (街道初审 / 区审定), paged and filtered in SQL: what awaits the actor's review in
// their region — submitted forms for the street, street-approved ones for the district. Filters:
// region (a code prefix inside the actor's scope), category, who submitted, returned before (yes/no),
// and a search by part of the name or part of the ID number. The list, the export and "the next
// task after a decision" run the same WHERE, in the same order (oldest submission first).

export const QUEUE_PAGE_SIZE = 50;

const optional = <T extends z.ZodType>(s: T) => z.preprocess((v) => (v === "" || v === null ? undefined : v), s.optional());

export const ZQueueFilter = z.object({
  region: optional(z.string().regex(/^\d{4,12}$/)),
  category: optional(z.string().regex(/^[A-Z_]{1,40}$/)),
  submittedBy: optional(z.coerce.number().int().positive()),
  returned: optional(z.enum(["yes", "no"])),
  q: optional(z.string().trim().max(40)),
});
export type TQueueFilter = z.infer<typeof ZQueueFilter>;

/** The filter from URL parameters; an invalid value is dropped rather than refused (a list is still shown). */
export function parseQueueFilter(params: Record<string, string | string[] | undefined>): TQueueFilter {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(ZQueueFilter.shape)) {
    const raw = params[key];
    const value = Array.isArray(raw) ? raw[0] : raw;
    const one = (ZQueueFilter.shape as Record<string, z.ZodType>)[key].safeParse(value);
    if (one.success && one.data !== undefined) out[key] = one.data;
  }
  return out as TQueueFilter;
}

/** The filter as URL parameters (only those set), to keep it across pages, exports and decisions. */
export function queueFilterQuery(filter: TQueueFilter, extra: Record<string, string | number | undefined> = {}): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...filter, ...extra })) if (v !== undefined && v !== "") p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : "";
}

/** Which review the actor does, and the state its queue holds (lib/review/workflow.ts's transitions). */
export function queueLevel(actor: Actor): { permission: TPermission; state: TTaskState } | null {
  if (can(actor, "review:initial")) return { permission: "review:initial", state: "SUBMITTED" };
  if (can(actor, "review:final")) return { permission: "review:final", state: "STREET_APPROVED" };
  return null;
}

export interface QueueRow {
  id: number;
  idMasked: string;
  name: string;
  regionCode: string;
  regionName: string;
  category: string;
  reason: string;
  state: TTaskState;
  version: number;
  newlyFound: boolean;
  everReturned: boolean;
  submittedAt: Date | null;
  submittedBy: number | null;
  submittedByName: string | null;
  filledByMe: boolean;
}

/** The WHERE of the queue for `actor` with `filter`, and its parameters ($1 = state, $2 = scope). */
function queueWhere(actor: Actor, filter: TQueueFilter): { level: NonNullable<ReturnType<typeof queueLevel>>; where: string; params: unknown[] } | null {
  const level = queueLevel(actor);
  if (!level) return null;
  const scope = scopePrefix(actor, level.permission);
  // A region filter outside the actor's region answers "not found" (as any out-of-scope request).
  if (filter.region) requireInScope(actor, level.permission, filter.region);
  const params: unknown[] = [level.state, scope];
  const parts = ["t.state = $1::\"SurveyTaskState\"", "starts_with(t.region_code, $2)"];
  const add = (sql: (n: number) => string, value: unknown) => {
    params.push(value);
    parts.push(sql(params.length));
  };
  if (filter.region) add((n) => `starts_with(t.region_code, $${n})`, filter.region);
  if (filter.category) add((n) => `t.category = $${n}`, filter.category);
  if (filter.submittedBy) add((n) => `sub.actor_id = $${n}`, filter.submittedBy);
  if (filter.returned) parts.push(filter.returned === "yes" ? "t.ever_returned" : "NOT t.ever_returned");
  if (filter.q) {
    const q = filter.q.replace(/[\\%_]/g, (c) => `\\${c}`);
    // Digits (and the check letter X) search the ID number; anything else the name.
    if (/^[0-9Xx]+$/.test(filter.q)) add((n) => `t.id_number LIKE $${n}`, `%${q.toUpperCase()}%`);
    else add((n) => `COALESCE(p.name, f.data -> 'newPerson' ->> 'name', '') ILIKE $${n}`, `%${q}%`);
  }
  return { level, where: parts.join(" AND "), params };
}

const FROM = `
  FROM survey_task t
  LEFT JOIN person p ON p.id_number = t.id_number::char(18)
  LEFT JOIN survey_form f ON f.task_id = t.id
  LEFT JOIN LATERAL (SELECT e.actor_id FROM task_event e WHERE e.task_id = t.id AND e.event = 'submit' ORDER BY e.id DESC LIMIT 1) sub ON true`;

/** The FROM of the queue's count: the joins only where the filter reads them (the count of a large queue). */
function countFrom(filter: TQueueFilter): string {
  return `FROM survey_task t
  ${filter.q ? "LEFT JOIN person p ON p.id_number = t.id_number::char(18) LEFT JOIN survey_form f ON f.task_id = t.id" : ""}
  ${filter.submittedBy ? "LEFT JOIN LATERAL (SELECT e.actor_id FROM task_event e WHERE e.task_id = t.id AND e.event = 'submit' ORDER BY e.id DESC LIMIT 1) sub ON true" : ""}`;
}

const SELECT = `
  SELECT t.id, t.id_number, t.region_code, COALESCE(g.name, t.region_code) AS region_name, t.category, t.reason, t.state::text AS state, t.version,
         t.newly_found, t.ever_returned, COALESCE(p.name, f.data -> 'newPerson' ->> 'name', '') AS name,
         f.submitted_at, sub.actor_id AS submitted_by, u.real_name AS submitted_by_name,
         (COALESCE((SELECT bool_or(o.actor_id = $ME::int AND o.event = ANY($FILL::text[])) FROM task_event o WHERE o.task_id = t.id), false) OR f.updated_by_id IS NOT DISTINCT FROM $ME::int) AS filled_by_me`;

const JOIN_NAMES = `
  LEFT JOIN region g ON g.code = t.region_code
  LEFT JOIN app_user u ON u.id = sub.actor_id`;

const ORDER = "ORDER BY f.submitted_at NULLS FIRST, t.id";

interface RawRow {
  id: number;
  id_number: string;
  region_code: string;
  region_name: string;
  category: string;
  reason: string;
  state: string;
  version: number;
  newly_found: boolean;
  ever_returned: boolean;
  name: string;
  submitted_at: Date | null;
  submitted_by: number | null;
  submitted_by_name: string | null;
  filled_by_me: boolean;
}

const toRow = (r: RawRow): QueueRow => ({
  id: r.id,
  idMasked: maskIdNumber(r.id_number),
  name: r.name,
  regionCode: r.region_code,
  regionName: r.region_name,
  category: r.category,
  reason: r.reason,
  state: r.state as TTaskState,
  version: r.version,
  newlyFound: r.newly_found,
  everReturned: r.ever_returned,
  submittedAt: r.submitted_at,
  submittedBy: r.submitted_by,
  submittedByName: r.submitted_by_name,
  filledByMe: r.filled_by_me,
});

/** The SELECT with the filter's parameters first, then the actor ($n+1), the filling events ($n+2), and `tail`'s from $n+3. */
function selectSql(where: string, paramsLength: number, tail: string): string {
  return `${SELECT.replaceAll("$ME", `$${paramsLength + 1}`).replace("$FILL", `$${paramsLength + 2}`)} ${FROM} ${JOIN_NAMES} WHERE ${where} ${tail}`;
}

/**
 * The filter as the audit row records it: the region in the row's region column (shown by name), the
 * rest as details whose keys and values the audit page labels.
 */
export function queueAuditFilters(filter: TQueueFilter, state: TTaskState, page?: number): Record<string, unknown> {
  return { states: [state], category: filter.category, submittedBy: filter.submittedBy, returnedBefore: filter.returned === undefined ? undefined : filter.returned === "yes", q: filter.q, page };
}

/** One page (0-based) of the queue and the number of rows it holds; the read is audited with its filters. */
export async function reviewQueuePage(actor: Actor, filter: TQueueFilter, page: number): Promise<{ rows: QueueRow[]; total: number; state: TTaskState | null }> {
  const q = queueWhere(actor, filter);
  if (!q) return { rows: [], total: 0, state: null };
  const n = q.params.length;
  const [count, rows] = await Promise.all([
    pool().query<{ n: number }>(`SELECT count(*)::int AS n ${countFrom(filter)} WHERE ${q.where}`, q.params),
    pool().query<RawRow>(selectSql(q.where, n, `${ORDER} LIMIT $${n + 3} OFFSET $${n + 4}`), [...q.params, actor.id, [...FILLING_EVENTS], QUEUE_PAGE_SIZE, page * QUEUE_PAGE_SIZE]),
  ]);
  const total = count.rows[0]?.n ?? 0;
  await auditRead(actor, "review.queue", { entity: "survey_task", regionCode: filter.region ?? actor.regionCode, filters: queueAuditFilters(filter, q.level.state, page), rows: rows.rows.length });
  return { rows: rows.rows.map(toRow), total, state: q.level.state };
}

/** The number of rows of the queue with `filter` (for the export's audit row). */
export async function countQueue(actor: Actor, filter: TQueueFilter): Promise<number> {
  const q = queueWhere(actor, filter);
  if (!q) return 0;
  const { rows } = await pool().query<{ n: number }>(`SELECT count(*)::int AS n ${countFrom(filter)} WHERE ${q.where}`, q.params);
  return rows[0]?.n ?? 0;
}

/** The whole filtered queue in batches (keyset by the queue's order), for the export. */
export async function* iterateQueue(actor: Actor, filter: TQueueFilter, batch = 1000): AsyncGenerator<QueueRow[]> {
  const q = queueWhere(actor, filter);
  if (!q) return;
  for (let offset = 0; ; offset += batch) {
    const n = q.params.length;
    const { rows } = await pool().query<RawRow>(selectSql(q.where, n, `${ORDER} LIMIT $${n + 3} OFFSET $${n + 4}`), [...q.params, actor.id, [...FILLING_EVENTS], batch, offset]);
    if (rows.length) yield rows.map(toRow);
    if (rows.length < batch) return;
  }
}

/**
 * The task to open after a decision on `afterTaskId`: the next one in the queue's order with the same
 * filter (wrapping round to the first), never the one just decided, preferring forms the actor may
 * approve (not filled by them). Null when the queue is empty.
 */
export async function nextInQueue(actor: Actor, filter: TQueueFilter, afterTaskId: number): Promise<number | null> {
  const q = queueWhere(actor, filter);
  if (!q) return null;
  const n = q.params.length;
  const { rows } = await pool().query<{ id: number }>(
    `WITH cur AS (SELECT COALESCE(submitted_at, '-infinity'::timestamptz) AS at FROM survey_form WHERE task_id = $${n + 3}
                  UNION ALL SELECT '-infinity'::timestamptz LIMIT 1)
     SELECT t.id ${FROM}, cur
      WHERE ${q.where} AND t.id <> $${n + 3}
      ORDER BY (EXISTS (SELECT 1 FROM task_event o WHERE o.task_id = t.id AND o.actor_id = $${n + 1}::int AND o.event = ANY($${n + 2}::text[])) OR f.updated_by_id IS NOT DISTINCT FROM $${n + 1}::int),
               (COALESCE(f.submitted_at, '-infinity'::timestamptz), t.id) <= (cur.at, $${n + 3}::int),
               f.submitted_at NULLS FIRST, t.id
      LIMIT 1`,
    [...q.params, actor.id, [...FILLING_EVENTS], afterTaskId],
  );
  return rows[0]?.id ?? null;
}

/** What the queue's filter offers: the regions below the actor's, the categories and submitters present in the queue. */
export async function queueFilterOptions(actor: Actor): Promise<{ regions: { code: string; name: string; level: string }[]; categories: string[]; submitters: { id: number; name: string }[] }> {
  const level = queueLevel(actor);
  if (!level) return { regions: [], categories: [], submitters: [] };
  const scope = scopePrefix(actor, level.permission);
  const [regions, categories, submitters] = await Promise.all([
    pool().query<{ code: string; name: string; level: string }>(`SELECT code, name, level::text AS level FROM region WHERE starts_with(code, $1) AND code <> $1 ORDER BY code`, [scope]),
    pool().query<{ category: string }>(`SELECT DISTINCT category FROM survey_task WHERE state = $1::"SurveyTaskState" AND starts_with(region_code, $2) ORDER BY 1`, [level.state, scope]),
    pool().query<{ id: number; name: string }>(
      `SELECT DISTINCT u.id, u.real_name AS name
         FROM survey_task t JOIN task_event e ON e.task_id = t.id AND e.event = 'submit' JOIN app_user u ON u.id = e.actor_id
        WHERE t.state = $1::"SurveyTaskState" AND starts_with(t.region_code, $2) ORDER BY 2, 1`,
      [level.state, scope],
    ),
  ]);
  return { regions: regions.rows, categories: categories.rows.map((r) => r.category), submitters: submitters.rows };
}
