import { auditRead } from "@/lib/audit/log";
import { pool } from "@/lib/db/client";
import { maskIdNumber } from "@/lib/ids/id-number";
import { idNumberOfRef, personRef } from "@/lib/ids/person-ref";
import { dateParam, oneOf, regionParam } from "@/lib/lists/url";
import { auditedSearch, parsePersonSearch, personSearchSql } from "@/lib/lists/search";
import { type Actor, can, NotAllowedError, requireInScope, roleHas, scopePrefix } from "@/lib/policy";
import { canSeeChanges, type ChangeListRow } from "./queries";
import type { TChanges } from "./schema";
import { CHANGE_STATES, deciderPermission, type TChangeState } from "./workflow";

// 变更登记 list (issue 13, "lists that scale"): the change requests of the actor's region, filtered
// by state, kind (basic / sensitive), region and date, searched by part of the person's name or ID
// number, paged and counted in SQL. `mine=1` narrows to the requests waiting for the actor's
// decision (the states whose deciding permission the actor holds, not their own requests).

export const CHANGE_PAGE_SIZE = 20;
export const CHANGE_KINDS = ["basic", "sensitive"] as const;

export interface ChangeFilter {
  q?: string;
  state?: TChangeState;
  kind?: (typeof CHANGE_KINDS)[number];
  region?: string;
  from?: string;
  to?: string;
  /** Only those waiting for the actor's decision. */
  mine?: boolean;
}

export interface ChangeRow extends ChangeListRow {
  regionName: string | null;
}

/** The states the actor decides on (初审 for the street, 审定 for the district). */
export function decidableStates(actor: Actor): TChangeState[] {
  const states: TChangeState[] = [];
  if (roleHas(actor.role, "change:approve-basic")) states.push("SUBMITTED");
  if (roleHas(actor.role, "change:approve-sensitive")) states.push("STREET_APPROVED");
  return states;
}

function changeWhere(actor: Actor, f: ChangeFilter) {
  if (!canSeeChanges(actor)) throw new NotAllowedError("change:request");
  const scope = scopePrefix(actor, "person:view");
  if (f.region) requireInScope(actor, "person:view", f.region);
  const params: unknown[] = [`${f.region ?? scope}%`];
  const where = ["c.region_code LIKE $1"];
  const add = (sql: (n: number) => string, v: unknown) => {
    params.push(v);
    where.push(sql(params.length));
  };
  if (f.state) add((n) => `c.state = $${n}::"ChangeState"`, f.state);
  if (f.kind) add((n) => `c.sensitive = $${n}`, f.kind === "sensitive");
  if (f.from) add((n) => `c.created_at >= $${n}::date`, f.from);
  if (f.to) add((n) => `c.created_at < $${n}::date + 1`, f.to);
  if (f.mine) {
    add((n) => `c.state::text = ANY($${n}::text[])`, decidableStates(actor));
    add((n) => `c.requested_by_id IS DISTINCT FROM $${n}`, actor.id);
  }
  const search = parsePersonSearch(f.q);
  const cond = personSearchSql(search, "p", params.length + 1);
  if (cond) {
    // Searched through the person (the gram index), joined by ID number.
    where.push(`c.id_number IN (SELECT p.id_number FROM person p WHERE ${cond.sql})`);
    params.push(...cond.params);
  }
  return { sql: where.join(" AND "), params, search };
}

const SELECT = `SELECT c.id, c.id_number AS "idNumber", c.region_code AS "regionCode", c.changes, c.evidence, c.sensitive,
  c.state::text AS state, c.comment, c.version, c.created_at AS "createdAt", c.requested_by_id AS "requestedById",
  p.name, u.real_name AS "requestedBy", concat_ws(' ', s.name, r.name) AS "regionName"
  FROM change_request c
  LEFT JOIN person p ON p.id_number = c.id_number
  LEFT JOIN app_user u ON u.id = c.requested_by_id
  LEFT JOIN region r ON r.code = c.region_code
  LEFT JOIN region s ON s.code = left(c.region_code, 9) AND length(c.region_code) = 12`;

interface RawChange {
  id: number;
  idNumber: string;
  regionCode: string;
  changes: TChanges;
  evidence: string;
  sensitive: boolean;
  state: TChangeState;
  comment: string | null;
  version: number;
  createdAt: Date;
  requestedById: number | null;
  name: string | null;
  requestedBy: string | null;
  regionName: string | null;
}

function toRow(actor: Actor, r: RawChange): ChangeRow {
  const permission = deciderPermission(r.state, r.sensitive);
  return {
    id: r.id,
    maskedId: maskIdNumber(r.idNumber),
    ref: personRef(r.idNumber),
    name: r.name,
    regionCode: r.regionCode,
    regionName: r.regionName || null,
    changes: r.changes,
    evidence: r.evidence,
    sensitive: r.sensitive,
    state: r.state,
    comment: r.comment,
    version: r.version,
    requestedBy: r.requestedBy,
    createdAt: r.createdAt,
    ownRequest: r.requestedById === actor.id,
    decidable: permission !== null && can(actor, permission, r.regionCode) && r.requestedById !== actor.id,
  };
}

/** One page (1-based) of change requests and the total, audited with the filters. */
export async function listChanges(actor: Actor, f: ChangeFilter, page = 1, pageSize = CHANGE_PAGE_SIZE): Promise<{ rows: ChangeRow[]; total: number }> {
  const { sql, params, search } = changeWhere(actor, f);
  const offset = (Math.max(1, page) - 1) * pageSize;
  const order = f.mine ? "c.id ASC" : "c.id DESC";
  const [rows, count] = await Promise.all([
    pool().query<RawChange>(`${SELECT} WHERE ${sql} ORDER BY ${order} LIMIT ${pageSize} OFFSET ${offset}`, params),
    pool().query<{ n: number }>(`SELECT count(*)::int AS n FROM change_request c WHERE ${sql}`, params),
  ]);
  const total = count.rows[0].n;
  await auditRead(actor, "change.list", { entity: "change_request", regionCode: f.region ?? actor.regionCode, filters: { ...f, q: auditedSearch(search), page }, rows: total });
  return { rows: rows.rows.map((r) => toRow(actor, r)), total };
}

/** Every row of the list (same filters, same order), in batches: the export. */
export async function* iterateChanges(actor: Actor, f: ChangeFilter, batch = 1000): AsyncGenerator<ChangeRow[]> {
  const { sql, params } = changeWhere(actor, f);
  const asc = Boolean(f.mine);
  let after = asc ? 0 : 2_147_483_647;
  for (;;) {
    const res = await pool().query<RawChange>(`${SELECT} WHERE ${sql} AND c.id ${asc ? ">" : "<"} $${params.length + 1} ORDER BY c.id ${asc ? "ASC" : "DESC"} LIMIT ${batch}`, [...params, after]);
    if (res.rows.length === 0) return;
    yield res.rows.map((r) => toRow(actor, r));
    if (res.rows.length < batch) return;
    after = res.rows[res.rows.length - 1].id;
  }
}

export async function countChanges(actor: Actor, f: ChangeFilter): Promise<{ total: number; q?: string }> {
  const { sql, params, search } = changeWhere(actor, f);
  return { total: (await pool().query<{ n: number }>(`SELECT count(*)::int AS n FROM change_request c WHERE ${sql}`, params)).rows[0].n, q: auditedSearch(search) };
}

export { CHANGE_STATES };

/**
 * The filter of the page and its export from the URL: ?s= (a full number's opaque key) or ?q= (a
 * part), state, kind, region, from, to, view=mine|all (default: mine for an approver).
 */
export function changeFilterOf(sp: Record<string, string | undefined>, approver: boolean): ChangeFilter {
  const fullId = sp.s ? idNumberOfRef(sp.s) : null;
  return {
    q: fullId ?? (sp.q && sp.q.length <= 40 ? sp.q : undefined),
    state: oneOf(CHANGE_STATES, sp.state),
    kind: oneOf(CHANGE_KINDS, sp.kind),
    region: regionParam(sp.region),
    from: dateParam(sp.from),
    to: dateParam(sp.to),
    mine: approver && sp.view !== "all",
  };
}

/** The URL parameters that keep a filter (never the full number: its key `s` instead). */
export function changeQuery(sp: Record<string, string | undefined>, f: ChangeFilter): Record<string, string | undefined> {
  return { s: sp.s && f.q && !sp.q ? sp.s : undefined, q: sp.s ? undefined : f.q, state: f.state, kind: f.kind, region: f.region, from: f.from, to: f.to, view: f.mine ? "mine" : "all" };
}
