import { auditRead, writeAudit } from "@/lib/audit/log";
import { pool, prisma } from "@/lib/db/client";
import { maskIdNumber } from "@/lib/ids/id-number";
import { type Actor, can, NotFoundError, regionWhere, requireInScope, requirePermission, requireTaskAccess, scopePrefix, taskWhere, type TPermission } from "@/lib/policy";
import { FILLING_EVENTS } from "@/lib/review/transition";
import type { TTaskState } from "@/lib/review/workflow";

// Read side of the survey: progress counts, task lists, one task with everything the form needs.
// Every query takes the actor's scope (region prefix; team membership for surveyors).

export interface ProgressRow {
  regionCode: string;
  regionName: string;
  counts: Partial<Record<TTaskState | "UNRELEASED", number>>;
  total: number;
}

/** Task counts per state for each child region of `regionCode` (street/community), scoped. */
export async function taskProgress(actor: Actor, regionCode: string): Promise<ProgressRow[]> {
  requireInScope(actor, "task:view", regionCode);
  const childLength = regionCode.length === 4 ? 6 : regionCode.length === 6 ? 9 : 12;
  const rows = await prisma().$queryRaw<{ child: string; state: string; released: boolean; n: bigint }[]>`
    SELECT left(region_code, ${childLength}) AS child, state::text AS state, released_at IS NOT NULL AS released, count(*) AS n
    FROM survey_task WHERE region_code LIKE ${regionCode + "%"} AND state <> 'SETTLED'
    GROUP BY 1, 2, 3`;
  const regions = await prisma().region.findMany({ where: { parentCode: regionCode }, orderBy: { code: "asc" } });
  const byChild = new Map<string, ProgressRow>(regions.map((r) => [r.code, { regionCode: r.code, regionName: r.name, counts: {}, total: 0 }]));
  for (const r of rows) {
    const row = byChild.get(r.child) ?? { regionCode: r.child, regionName: r.child, counts: {}, total: 0 };
    const n = Number(r.n);
    row.counts[r.state as TTaskState] = (row.counts[r.state as TTaskState] ?? 0) + n;
    if (r.state === "PENDING" && !r.released) row.counts.UNRELEASED = (row.counts.UNRELEASED ?? 0) + n;
    row.total += n;
    byChild.set(r.child, row);
  }
  return [...byChild.values()];
}

export interface TaskListItem {
  id: number;
  idMasked: string;
  name: string;
  address: string | null;
  regionCode: string;
  /** The community's name (a lookup over the codes of the tasks returned, so within scope). */
  regionName: string;
  state: TTaskState;
  reason: string;
  category: string;
  released: boolean;
  teamName: string | null;
  newlyFound: boolean;
  version: number;
  /** In a review queue: the actor filled this form, so someone else must review it (four eyes). */
  filledByMe?: boolean;
}

/** Tasks in the actor's scope, ordered for walking: by community, then address. */
export async function listTasks(actor: Actor, filter: { permission?: TPermission; regionCode?: string; states?: TTaskState[]; limit?: number } = {}): Promise<TaskListItem[]> {
  const permission = filter.permission ?? "task:view";
  const where = taskWhere(actor, permission);
  if (filter.regionCode) requireInScope(actor, permission, filter.regionCode);
  const tasks = await prisma().surveyTask.findMany({
    where: { ...where, ...(filter.regionCode ? { regionCode: { startsWith: filter.regionCode } } : {}), ...(filter.states ? { state: { in: filter.states } } : { state: { not: "SETTLED" } }) },
    include: { team: { select: { name: true } }, form: { select: { data: true } } },
    orderBy: [{ regionCode: "asc" }, { id: "asc" }],
    take: filter.limit ?? 500,
  });
  const people = await prisma().person.findMany({ where: { idNumber: { in: tasks.map((t) => t.idNumber) } }, select: { idNumber: true, name: true, hukouAddress: true, residenceAddress: true } });
  const byId = new Map(people.map((p) => [p.idNumber, p]));
  const regions = await prisma().region.findMany({ where: { code: { in: [...new Set(tasks.map((t) => t.regionCode))] } }, select: { code: true, name: true } });
  const regionNames = new Map(regions.map((r) => [r.code, r.name]));
  const items = tasks.map((t) => {
    const p = byId.get(t.idNumber);
    const newPerson = (t.form?.data as { newPerson?: { name: string; hukouAddress: string | null } } | null)?.newPerson;
    return {
      id: t.id,
      idMasked: maskIdNumber(t.idNumber),
      name: p?.name ?? newPerson?.name ?? "",
      address: p?.residenceAddress ?? p?.hukouAddress ?? newPerson?.hukouAddress ?? null,
      regionCode: t.regionCode,
      regionName: regionNames.get(t.regionCode) ?? t.regionCode,
      state: t.state as TTaskState,
      reason: t.reason,
      category: t.category,
      released: t.releasedAt !== null,
      teamName: t.team?.name ?? null,
      newlyFound: t.newlyFound,
      version: t.version,
    };
  });
  // A list view of personal data (names, addresses): audited where it is read (issue 11 §6).
  await auditRead(actor, "task.list", { entity: "survey_task", filters: { permission, regionCode: filter.regionCode, states: filter.states, limit: filter.limit }, rows: items.length });
  return items.sort((a, b) => a.regionCode.localeCompare(b.regionCode) || (a.address ?? "").localeCompare(b.address ?? "", "zh-CN") || a.id - b.id);
}

/**
 * One task with the registry data, the form, visits and the transition trail. It shows the person's
 * full data, so every read is audited here (person.view, with the page it was read for).
 */
export async function getTaskDetail(actor: Actor, taskId: number, permission: TPermission = "task:view", via = "task") {
  const task = await prisma().surveyTask.findUnique({
    where: { id: taskId },
    include: { team: true, form: true, visits: { orderBy: { visitedAt: "asc" } }, events: { orderBy: { id: "asc" } } },
  });
  if (!task) throw new NotFoundError("task");
  requireTaskAccess(actor, permission, { regionCode: task.regionCode, memberIds: task.team?.memberIds ?? null });
  const [person, region, actors, enrolment] = await Promise.all([
    prisma().person.findUnique({ where: { idNumber: task.idNumber } }),
    prisma().region.findUnique({ where: { code: task.regionCode } }),
    prisma().user.findMany({ where: { id: { in: [...new Set([...task.events.map((e) => e.actorId), ...task.visits.map((v) => v.visitedById), ...(task.team?.memberIds ?? [])].filter((x): x is number => x !== null))] } }, select: { id: true, realName: true } }),
    currentEnrolment(task.idNumber),
  ]);
  await writeAudit(actor, { action: "person.view", entity: "person", entityId: task.idNumber, regionCode: task.regionCode, detail: { via, taskId: task.id } });
  return { task, person, region, names: new Map(actors.map((a) => [a.id, a.realName])), enrolment };
}

/** Current enrolment records of a person from the active enrolment batches (for the pre-filled form). */
export async function currentEnrolment(idNumber: string) {
  return prisma().$queryRaw<{ scheme: string; status: number; region_code: string | null; region_name: string | null; employer: string | null; start_date: Date | null }[]>`
    SELECT DISTINCT e.scheme, e.status, e.region_code, g.name AS region_name, e.employer, e.start_date
    FROM enrolment_record e JOIN import_batch b ON b.id = e.batch_id AND b.status = 'ACTIVE'
    LEFT JOIN region g ON g.code = e.region_code
    WHERE e.id_number = ${idNumber}
    ORDER BY e.scheme, e.status`;
}

/** Teams of the communities in the actor's scope. */
export async function listTeams(actor: Actor, permission: TPermission = "task:assign-community") {
  return prisma().surveyTeam.findMany({ where: { communityCode: regionWhere(actor, permission) }, orderBy: [{ communityCode: "asc" }, { id: "asc" }] });
}

/** Active surveyors in the actor's scope (for forming teams). */
export async function listSurveyors(actor: Actor) {
  return prisma().user.findMany({ where: { role: "COMMUNITY_SURVEYOR", active: true, regionCode: { startsWith: scopePrefix(actor, "task:assign-community") } }, select: { id: true, realName: true, regionCode: true }, orderBy: [{ regionCode: "asc" }, { id: "asc" }] });
}

/** The teams a surveyor belongs to. */
export async function myTeams(actor: Actor) {
  return prisma().surveyTeam.findMany({ where: { communityCode: regionWhere(actor, "survey:fill"), ...(actor.role === "COMMUNITY_SURVEYOR" ? { memberIds: { has: actor.id } } : {}) }, orderBy: { id: "asc" } });
}

/**
 * What awaits this actor's review: submitted forms (street) or street-approved ones (district).
 * Forms the actor filled are marked (four eyes: lib/review/transition.ts refuses their approval).
 */
export async function reviewQueue(actor: Actor): Promise<TaskListItem[]> {
  const tasks = can(actor, "review:initial")
    ? await listTasks(actor, { permission: "review:initial", states: ["SUBMITTED"] })
    : can(actor, "review:final")
      ? await listTasks(actor, { permission: "review:final", states: ["STREET_APPROVED"] })
      : [];
  if (tasks.length === 0) return tasks;
  const own = await prisma().$queryRaw<{ id: number }[]>`
    SELECT DISTINCT task_id AS id FROM task_event WHERE task_id = ANY(${tasks.map((t) => t.id)}::int[]) AND actor_id = ${actor.id} AND event = ANY(${[...FILLING_EVENTS]}::text[])
    UNION SELECT task_id FROM survey_form WHERE task_id = ANY(${tasks.map((t) => t.id)}::int[]) AND updated_by_id = ${actor.id}`;
  const mine = new Set(own.map((r) => r.id));
  return tasks.map((t) => ({ ...t, filledByMe: mine.has(t.id) }));
}

// ---------------------------------------------------------------------------------------------
// 入户登记 list (/survey): the tasks the actor fills, by tab, searched, paged and counted in SQL.

/** The tabs of the surveyor's list: what is still to be surveyed, what came back, what was handed in. */
export const SURVEY_TABS = {
  open: ["ASSIGNED", "DRAFT"],
  returned: ["RETURNED"],
  submitted: ["SUBMITTED", "STREET_APPROVED", "DISTRICT_APPROVED"],
} as const satisfies Record<string, readonly TTaskState[]>;
export type TSurveyTab = keyof typeof SURVEY_TABS;

export interface SurveyListFilter {
  tab: TSurveyTab;
  /** A part of the name (Chinese, any part) or of the ID number. */
  q?: string;
}

/** The page's query string → a filter (unknown values fall back to the defaults). */
export function cleanSurveyFilter(params: Record<string, string | string[] | undefined>): SurveyListFilter & { page: number } {
  const one = (k: string) => (Array.isArray(params[k]) ? params[k][0] : params[k]) ?? "";
  const tab = one("tab") in SURVEY_TABS ? (one("tab") as TSurveyTab) : "open";
  const q = one("q").trim().slice(0, 40);
  const page = Math.max(1, Math.min(100_000, Number.parseInt(one("page"), 10) || 1));
  return { tab, q: q || undefined, page };
}

export const SURVEY_PAGE_SIZE = 50;

const SURVEY_LIST_SQL = `
  FROM survey_task t
  LEFT JOIN survey_team tm ON tm.id = t.team_id
  LEFT JOIN person p ON p.id_number = t.id_number::char(18)
  LEFT JOIN survey_form f ON f.task_id = t.id AND t.newly_found
  LEFT JOIN region g ON g.code = t.region_code
 WHERE t.region_code LIKE $1 AND t.state::text = ANY($2::text[])
   AND ($3::int IS NULL OR $3::int = ANY(tm.member_ids))
   AND ($4::text IS NULL OR coalesce(p.name, f.data -> 'newPerson' ->> 'name', '') LIKE '%' || $4 || '%' OR t.id_number LIKE '%' || upper($4) || '%')`;

/** The policy's scope of `survey:fill` for the SQL: the region prefix, and the team member a surveyor must be (lib/policy taskWhere). */
function surveyScope(actor: Actor): [string, number | null] {
  const where = taskWhere(actor, "survey:fill") as { regionCode: { startsWith: string }; team?: { memberIds: { has: number } } };
  return [`${where.regionCode.startsWith}%`, where.team?.memberIds.has ?? null];
}

function escapeLike(q: string | undefined): string | null {
  return q ? q.replace(/[\\%_]/g, (c) => `\\${c}`) : null;
}

interface SurveyListRow {
  id: number;
  id_number: string;
  name: string;
  address: string | null;
  region_code: string;
  region_name: string | null;
  state: TTaskState;
  reason: string;
  category: string;
  released: boolean;
  team_name: string | null;
  newly_found: boolean;
  version: number;
}

function toItem(r: SurveyListRow): TaskListItem {
  return {
    id: r.id,
    idMasked: maskIdNumber(r.id_number),
    name: r.name,
    address: r.address,
    regionCode: r.region_code,
    regionName: r.region_name ?? r.region_code,
    state: r.state,
    reason: r.reason,
    category: r.category,
    released: r.released,
    teamName: r.team_name,
    newlyFound: r.newly_found,
    version: r.version,
  };
}

async function surveyRows(actor: Actor, filter: SurveyListFilter, limit: number, offset: number): Promise<TaskListItem[]> {
  const [prefix, member] = surveyScope(actor);
  const { rows } = await pool().query<SurveyListRow>(
    `SELECT t.id, t.id_number, coalesce(p.name, f.data -> 'newPerson' ->> 'name', '') AS name,
            coalesce(p.residence_address, p.hukou_address, f.data -> 'newPerson' ->> 'hukouAddress') AS address,
            t.region_code, g.name AS region_name, t.state::text AS state, t.reason, t.category,
            t.released_at IS NOT NULL AS released, tm.name AS team_name, t.newly_found, t.version
     ${SURVEY_LIST_SQL}
     ORDER BY t.region_code, address NULLS LAST, t.id
     LIMIT $5 OFFSET $6`,
    [prefix, SURVEY_TABS[filter.tab], member, escapeLike(filter.q), limit, offset],
  );
  return rows.map(toItem);
}

/** How many tasks each tab holds (for the tab labels), in one statement. */
async function surveyTabCounts(actor: Actor, q: string | undefined): Promise<Record<TSurveyTab, number>> {
  const [prefix, member] = surveyScope(actor);
  const all = Object.values(SURVEY_TABS).flat();
  const { rows } = await pool().query<{ state: string; n: string }>(`SELECT t.state::text AS state, count(*) AS n ${SURVEY_LIST_SQL} GROUP BY 1`, [prefix, all, member, escapeLike(q)]);
  const by = new Map(rows.map((r) => [r.state, Number(r.n)]));
  const count = (tab: TSurveyTab) => SURVEY_TABS[tab].reduce((a, s) => a + (by.get(s) ?? 0), 0);
  return { open: count("open"), returned: count("returned"), submitted: count("submitted") };
}

/** One page of the actor's /survey list, with every tab's count; audited as a list view (filters, rows). */
export async function surveyList(actor: Actor, filter: SurveyListFilter, page: number, pageSize = SURVEY_PAGE_SIZE): Promise<{ items: TaskListItem[]; counts: Record<TSurveyTab, number>; total: number; page: number }> {
  requirePermission(actor, "survey:fill");
  const counts = await surveyTabCounts(actor, filter.q);
  const total = counts[filter.tab];
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const current = Math.min(page, pages);
  const items = await surveyRows(actor, filter, pageSize, (current - 1) * pageSize);
  await auditRead(actor, "survey.list", { entity: "survey_task", filters: { tab: filter.tab, q: filter.q ?? null, page: current }, rows: items.length });
  return { items, counts, total, page: current };
}

/** Every row of the actor's /survey list under `filter` (for the export), in batches of `batch`. */
export async function* iterateSurveyList(actor: Actor, filter: SurveyListFilter, batch = 2000): AsyncGenerator<TaskListItem[]> {
  requirePermission(actor, "survey:fill");
  for (let offset = 0; ; offset += batch) {
    const rows = await surveyRows(actor, filter, batch, offset);
    if (rows.length > 0) yield rows;
    if (rows.length < batch) return;
  }
}

/** How many rows the export of `filter` holds (audited before the file is sent). */
export async function surveyListCount(actor: Actor, filter: SurveyListFilter): Promise<number> {
  requirePermission(actor, "survey:fill");
  return (await surveyTabCounts(actor, filter.q))[filter.tab];
}
