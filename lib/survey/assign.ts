import { z } from "zod";
import { DomainError } from "@/lib/auth/errors";
import { auditRead, writeAudit } from "@/lib/audit/log";
import { pool, prisma } from "@/lib/db/client";
import { maskIdNumber } from "@/lib/ids/id-number";
import { type Actor, NotFoundError, requireInScope, requirePermission, scopePrefix } from "@/lib/policy";
import { findTransition, TASK_STATES, type TTaskState } from "@/lib/review/workflow";

// The street's task list and its assignment work (issue 13 "assignment that always works", "lists
// that scale"): one filtered query, paged and counted in SQL, that the page, its export, the roster
// and the "all N matching" assignment all read — so what the clerk sees is exactly what is exported
// or assigned. Scope is the SQL's first condition (the actor's region prefix).

export const TASK_FILTER_STATES = ["UNRELEASED", ...TASK_STATES.filter((s) => s !== "SETTLED")] as const;
export type TTaskFilterState = (typeof TASK_FILTER_STATES)[number];
export const TASK_CATEGORIES = ["NOT_INSURED", "INTERRUPTED", "PARTIAL", "DUPLICATE", "INFO_ERROR", "NEWLY_FOUND"] as const;

const blankToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);
/** The list's filters as they come in a URL or a form (empty fields mean "any"). */
export const ZTaskFilter = z.object({
  community: z.preprocess(blankToUndefined, z.string().regex(/^\d{12}$/).optional()),
  category: z.preprocess(blankToUndefined, z.enum(TASK_CATEGORIES).optional()),
  state: z.preprocess(blankToUndefined, z.enum(TASK_FILTER_STATES).optional()),
  team: z.preprocess(blankToUndefined, z.union([z.literal("none"), z.coerce.number().int().positive()]).optional()),
  /** A name (or part of one) or part of an ID number. */
  q: z.preprocess(blankToUndefined, z.string().trim().max(40).optional()),
  /** Part of the address. */
  addr: z.preprocess(blankToUndefined, z.string().trim().max(60).optional()),
});
export type TTaskFilter = z.infer<typeof ZTaskFilter>;

/** The filters of a URL's search params (anything malformed is dropped, not an error). */
export function parseTaskFilter(raw: Record<string, string | string[] | undefined>): TTaskFilter {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(ZTaskFilter.shape) as (keyof TTaskFilter)[]) {
    const v = raw[key];
    if (typeof v !== "string") continue;
    const one = ZTaskFilter.shape[key].safeParse(v);
    if (one.success && one.data !== undefined) out[key] = one.data;
  }
  return out as TTaskFilter;
}

/** The filters as URL search params (for page links, the export and the roster). */
export function filterParams(f: TTaskFilter): URLSearchParams {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v !== undefined && v !== "") p.set(k, String(v));
  return p;
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The WHERE clause of the street's tasks under `prefix` matching `f` (and, when given, these task ids). */
function whereSql(prefix: string, f: TTaskFilter, params: unknown[], taskIds?: number[], memberId?: number): string {
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const cond = [`t.region_code LIKE ${p(`${prefix}%`)}`, `t.state <> 'SETTLED'`];
  if (f.community) cond.push(`t.region_code = ${p(f.community)}`);
  if (f.category) cond.push(`t.category = ${p(f.category)}`);
  if (f.state === "UNRELEASED") cond.push(`t.state = 'PENDING' AND t.released_at IS NULL`);
  else if (f.state === "PENDING") cond.push(`t.state = 'PENDING' AND t.released_at IS NOT NULL`);
  else if (f.state) cond.push(`t.state = ${p(f.state)}::"SurveyTaskState"`);
  if (f.team === "none") cond.push(`t.team_id IS NULL`);
  else if (f.team) cond.push(`t.team_id = ${p(f.team)}`);
  if (f.q) {
    // Digits (and X) search the ID number; anything else the name (partial Chinese).
    if (/^[0-9xX]+$/.test(f.q)) cond.push(`t.id_number LIKE ${p(`%${likeEscape(f.q.toUpperCase())}%`)}`);
    else cond.push(`COALESCE(p.name, f.data->'newPerson'->>'name') LIKE ${p(`%${likeEscape(f.q)}%`)}`);
  }
  if (f.addr) cond.push(`COALESCE(p.residence_address, p.hukou_address, f.data->'newPerson'->>'hukouAddress') LIKE ${p(`%${likeEscape(f.addr)}%`)}`);
  if (taskIds) cond.push(`t.id = ANY(${p(taskIds)}::int[])`);
  // A surveyor sees only the tasks of the teams they belong to (as lib/policy taskWhere).
  if (memberId !== undefined) cond.push(`t.team_id IN (SELECT id FROM survey_team WHERE ${p(memberId)} = ANY(member_ids))`);
  return cond.join(" AND ");
}

const FROM = `FROM survey_task t
  LEFT JOIN person p ON p.id_number = t.id_number::char(18)
  LEFT JOIN survey_form f ON f.task_id = t.id AND t.newly_found`;

export interface StreetTaskRow {
  id: number;
  idNumber: string;
  idMasked: string;
  name: string;
  gender: string | null;
  address: string | null;
  hukouAddress: string | null;
  residenceAddress: string | null;
  phone: string | null;
  regionCode: string;
  regionName: string;
  state: TTaskState;
  released: boolean;
  reason: string;
  category: string;
  teamId: number | null;
  teamName: string | null;
  newlyFound: boolean;
  inRegistry: boolean;
  version: number;
}

const SELECT = `SELECT t.id, t.id_number, COALESCE(p.name, f.data->'newPerson'->>'name', '') AS name, p.gender,
    COALESCE(p.residence_address, p.hukou_address, f.data->'newPerson'->>'hukouAddress') AS address,
    COALESCE(p.hukou_address, f.data->'newPerson'->>'hukouAddress') AS hukou_address, p.residence_address, p.phone,
    t.region_code, r.name AS region_name, t.state::text AS state, t.released_at IS NOT NULL AS released, t.reason, t.category,
    t.team_id, tm.name AS team_name, t.newly_found, p.id_number IS NOT NULL AS in_registry, t.version`;
const ORDER = `ORDER BY t.region_code, address NULLS LAST, t.id`;

type RawRow = Record<string, unknown>;
function toRow(r: RawRow): StreetTaskRow {
  return {
    id: r.id as number,
    idNumber: r.id_number as string,
    idMasked: maskIdNumber(r.id_number as string),
    name: r.name as string,
    gender: (r.gender as string | null) ?? null,
    address: (r.address as string | null) ?? null,
    hukouAddress: (r.hukou_address as string | null) ?? null,
    residenceAddress: (r.residence_address as string | null) ?? null,
    phone: (r.phone as string | null) ?? null,
    regionCode: r.region_code as string,
    regionName: (r.region_name as string | null) ?? (r.region_code as string),
    state: r.state as TTaskState,
    released: r.released as boolean,
    reason: r.reason as string,
    category: r.category as string,
    teamId: (r.team_id as number | null) ?? null,
    teamName: (r.team_name as string | null) ?? null,
    newlyFound: r.newly_found as boolean,
    inRegistry: r.in_registry as boolean,
    version: r.version as number,
  };
}

/** The prefix the actor's street list covers, with the community filter checked against the scope. */
function listScope(actor: Actor, f: TTaskFilter): { prefix: string; memberId?: number } {
  const prefix = scopePrefix(actor, "task:view");
  if (f.community) requireInScope(actor, "task:view", f.community);
  return { prefix, memberId: actor.role === "COMMUNITY_SURVEYOR" ? actor.id : undefined };
}

/** Counting stops here: a count beyond it is shown as "more than" (never a city-wide scan). */
export const COUNT_CAP = 100_000;
export const PAGE_SIZE = 50;

/** The SQL of one page of the list and of its bounded count (exported for the query-plan test). */
export function streetTaskSql(actor: Actor, f: TTaskFilter, limit: number, offset: number): { page: { text: string; values: unknown[] }; count: { text: string; values: unknown[] } } {
  const { prefix, memberId } = listScope(actor, f);
  const countValues: unknown[] = [];
  const countWhere = whereSql(prefix, f, countValues, undefined, memberId);
  countValues.push(COUNT_CAP);
  const values: unknown[] = [];
  const where = whereSql(prefix, f, values, undefined, memberId);
  values.push(limit, offset);
  return {
    count: { text: `SELECT count(*) AS n FROM (SELECT 1 ${FROM} WHERE ${countWhere} LIMIT $${countValues.length}) x`, values: countValues },
    page: {
      text: `${SELECT} ${FROM} LEFT JOIN survey_team tm ON tm.id = t.team_id LEFT JOIN region r ON r.code = t.region_code
     WHERE ${where} ${ORDER} LIMIT $${values.length - 1} OFFSET $${values.length}`,
      values,
    },
  };
}

/** One page of the street's tasks and the (bounded) count of all that match. Audited (task.list). */
export async function listStreetTasks(actor: Actor, f: TTaskFilter, page: number, pageSize = PAGE_SIZE): Promise<{ rows: StreetTaskRow[]; total: number; page: number; pageSize: number }> {
  const counting = streetTaskSql(actor, f, pageSize, 0).count;
  const { rows: counted } = await pool().query<{ n: string }>(counting.text, counting.values);
  const total = Number(counted[0].n);
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const current = Math.min(Math.max(1, Math.floor(page) || 1), pages);
  const paging = streetTaskSql(actor, f, pageSize, (current - 1) * pageSize).page;
  const { rows } = await pool().query<RawRow>(paging.text, paging.values);
  const out = rows.map(toRow);
  await auditRead(actor, "task.list", { entity: "survey_task", filters: { ...f, page: current }, rows: out.length });
  return { rows: out, total, page: current, pageSize };
}

/** How many tasks match the filter (and the selected ids): what an export or the roster will hold. */
export async function countStreetTasks(actor: Actor, f: TTaskFilter, taskIds?: number[]): Promise<number> {
  const { prefix, memberId } = listScope(actor, f);
  const params: unknown[] = [];
  const where = whereSql(prefix, f, params, taskIds, memberId);
  const { rows } = await pool().query<{ n: string }>(`SELECT count(*) AS n ${FROM} WHERE ${where}`, params);
  return Number(rows[0].n);
}

/**
 * Every row matching the filter (and, when given, the selected task ids), in the list's order, in
 * batches of 1,000 (keyset on the list's order would need the address; OFFSET over one street's
 * tasks is cheap). For exports and the roster; the caller audits what left.
 */
export async function* streetTaskRows(actor: Actor, f: TTaskFilter, taskIds?: number[]): AsyncGenerator<StreetTaskRow[]> {
  const { prefix, memberId } = listScope(actor, f);
  const batch = 1000;
  for (let offset = 0; ; offset += batch) {
    const params: unknown[] = [];
    const where = whereSql(prefix, f, params, taskIds, memberId);
    params.push(batch, offset);
    const { rows } = await pool().query<RawRow>(
      `${SELECT} ${FROM} LEFT JOIN survey_team tm ON tm.id = t.team_id LEFT JOIN region r ON r.code = t.region_code
       WHERE ${where} ${ORDER} LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    );
    if (rows.length) yield rows.map(toRow);
    if (rows.length < batch) return;
  }
}

// ---------------------------------------------------------------------------------------------
// Teams and their surveyors.

export interface CommunityStaff {
  code: string;
  name: string;
  surveyors: { id: number; realName: string; login: string }[];
  teams: { id: number; name: string; memberIds: number[]; memberNames: string[] }[];
}

/** The communities of the actor's street with their active surveyors and teams (one query each). */
export async function communityStaff(actor: Actor): Promise<CommunityStaff[]> {
  const prefix = scopePrefix(actor, "task:assign-community");
  const [regions, users, teams] = await Promise.all([
    prisma().region.findMany({ where: { code: { startsWith: prefix }, level: "COMMUNITY" }, orderBy: { code: "asc" }, select: { code: true, name: true } }),
    prisma().user.findMany({ where: { role: "COMMUNITY_SURVEYOR", active: true, regionCode: { startsWith: prefix } }, orderBy: { id: "asc" }, select: { id: true, realName: true, login: true, regionCode: true } }),
    prisma().surveyTeam.findMany({ where: { communityCode: { startsWith: prefix } }, orderBy: { id: "asc" } }),
  ]);
  const names = new Map(users.map((u) => [u.id, u.realName]));
  return regions.map((r) => ({
    code: r.code,
    name: r.name,
    surveyors: users.filter((u) => u.regionCode === r.code).map(({ id, realName, login }) => ({ id, realName, login })),
    teams: teams.filter((t) => t.communityCode === r.code).map((t) => ({ id: t.id, name: t.name, memberIds: t.memberIds, memberNames: t.memberIds.map((id) => names.get(id) ?? "") })),
  }));
}

/**
 * 调查小组: 2–3 active surveyors of the team's own community, checked in the query (a surveyor of
 * another community, a disabled one or another role is refused with the field marked).
 */
export async function createCommunityTeam(actor: Actor, input: { communityCode: string; name: string; memberIds: number[] }): Promise<{ id: number; members: string[] }> {
  requireInScope(actor, "task:assign-community", input.communityCode);
  const members = [...new Set(input.memberIds)];
  return prisma().$transaction(async (tx) => {
    const community = await tx.region.findFirst({ where: { code: input.communityCode, level: "COMMUNITY" } });
    if (!community) throw new NotFoundError("region");
    const available = await tx.user.count({ where: { role: "COMMUNITY_SURVEYOR", active: true, regionCode: input.communityCode } });
    if (available === 0) throw new DomainError("assign.err.noSurveyors", { community: community.name }, "memberIds");
    if (members.length === 0) throw new DomainError("assign.err.chooseSurveyors", undefined, "memberIds");
    if (members.length < 2 || members.length > 3) throw new DomainError("survey.err.teamSize", undefined, "memberIds");
    const ok = await tx.user.findMany({ where: { id: { in: members }, role: "COMMUNITY_SURVEYOR", active: true, regionCode: input.communityCode }, select: { realName: true } });
    if (ok.length !== members.length) throw new DomainError("assign.err.otherCommunity", { community: community.name }, "memberIds");
    const team = await tx.surveyTeam.create({ data: { communityCode: input.communityCode, name: input.name, memberIds: members, createdById: actor.id } });
    await writeAudit(actor, { action: "team.create", entity: "survey_team", entityId: String(team.id), regionCode: input.communityCode, detail: { memberIds: members, name: input.name } }, tx);
    return { id: team.id, members: ok.map((u) => u.realName) };
  });
}

// ---------------------------------------------------------------------------------------------
// Assignment of a selection.

export interface AssignOutcome {
  teamName: string;
  communityName: string;
  /** Tasks now with the team. */
  assigned: number;
  /** Of those, tasks that were with another team before (reassigned). */
  reassigned: number;
  /** Selected tasks left as they were: another community, not yet released, or already being worked on. */
  skipped: number;
}

/**
 * 街道 → 调查小组: assigns a selection — the given task ids, or every task matching the list's filter
 * — to a team, in one statement. Only tasks of the team's community that are released and whose
 * state has an `assign` transition in lib/review/workflow.ts move (PENDING → ASSIGNED, and ASSIGNED →
 * ASSIGNED to another team: a reassignment); the rest of the selection is counted as skipped. Each
 * moved task gets its version raised and its event row; one audit row names the selection, the
 * count and the tasks taken from other teams.
 */
export async function assignSelection(actor: Actor, input: { teamId: number; taskIds?: number[]; filter?: TTaskFilter }): Promise<AssignOutcome> {
  requirePermission(actor, "task:assign-community");
  const prefix = scopePrefix(actor, "task:assign-community");
  if (!input.taskIds?.length && !input.filter) throw new DomainError("assign.err.noSelection", undefined, "task");
  const from = TASK_STATES.filter((state) => findTransition(state, "assign")?.to === "ASSIGNED");
  return prisma().$transaction(async (tx) => {
    const team = await tx.surveyTeam.findUnique({ where: { id: input.teamId } });
    if (!team) throw new NotFoundError("team");
    requireInScope(actor, "task:assign-community", team.communityCode);
    const community = await tx.region.findUnique({ where: { code: team.communityCode }, select: { name: true } });
    const params: unknown[] = [];
    const where = whereSql(prefix, input.filter ?? {}, params, input.taskIds?.length ? input.taskIds : undefined);
    params.push(team.communityCode, from, team.id, actor.id);
    const n = params.length;
    const [row] = await tx.$queryRawUnsafe<{ selected: bigint; assigned: bigint; reassigned: bigint; previous: number[] | null }[]>(
      `WITH selected AS (
         SELECT t.id ${FROM} WHERE ${where}
       ), target AS (
         SELECT s.id, s.state, s.team_id FROM survey_task s JOIN selected USING (id)
         WHERE s.region_code = $${n - 3} AND s.state::text = ANY($${n - 2}::text[]) AND s.released_at IS NOT NULL
           AND s.team_id IS DISTINCT FROM $${n - 1}
         ORDER BY s.id FOR UPDATE OF s
       ), moved AS (
         UPDATE survey_task t SET state = 'ASSIGNED', team_id = $${n - 1}, version = t.version + 1, updated_at = now()
         FROM target WHERE t.id = target.id
         RETURNING t.id, target.state AS from_state, target.team_id AS from_team
       ), events AS (
         INSERT INTO task_event (task_id, event, from_state, to_state, actor_id)
         SELECT id, 'assign', from_state, 'ASSIGNED', $${n} FROM moved RETURNING task_id
       )
       SELECT (SELECT count(*) FROM selected) AS selected, (SELECT count(*) FROM events) AS assigned,
              (SELECT count(*) FROM moved WHERE from_team IS NOT NULL) AS reassigned,
              (SELECT array_agg(DISTINCT from_team) FROM moved WHERE from_team IS NOT NULL) AS previous`,
      ...params,
    );
    const selected = Number(row.selected);
    if (selected === 0) throw new DomainError("assign.err.noSelection", undefined, "task");
    const outcome = { teamName: team.name, communityName: community?.name ?? team.communityCode, assigned: Number(row.assigned), reassigned: Number(row.reassigned), skipped: selected - Number(row.assigned) };
    await writeAudit(
      actor,
      {
        action: "task.assign",
        entity: "survey_team",
        entityId: String(team.id),
        regionCode: team.communityCode,
        detail: { tasks: outcome.assigned, selected, reassigned: outcome.reassigned, fromTeams: row.previous ?? [], skipped: outcome.skipped, ...(input.taskIds?.length ? { taskIds: input.taskIds } : { filters: input.filter }) },
      },
      tx,
    );
    return outcome;
  });
}

// ---------------------------------------------------------------------------------------------
// The survey roster (花名册): the selected tasks of one community, for the surveyors' round.

/** The roster's rows: tasks of one community matching the filter (or the selected ids), in walking order. */
export async function rosterRows(actor: Actor, communityCode: string, f: TTaskFilter, taskIds?: number[]): Promise<{ communityName: string; rows: StreetTaskRow[] }> {
  requireInScope(actor, "task:view", communityCode);
  const region = await prisma().region.findFirst({ where: { code: communityCode, level: "COMMUNITY" }, select: { name: true } });
  if (!region) throw new NotFoundError("region");
  const rows: StreetTaskRow[] = [];
  for await (const batch of streetTaskRows(actor, { ...f, community: communityCode }, taskIds)) rows.push(...batch);
  return { communityName: region.name, rows };
}

/** The ticked task ids of a roster URL (task=<id>, repeated); no task parameter means "the filter decides". */
export function rosterSelection(raw: string[]): number[] | undefined {
  const ids = raw.map(Number).filter((n) => Number.isInteger(n) && n > 0);
  return raw.length ? [...new Set(ids)].slice(0, 5000) : undefined;
}
