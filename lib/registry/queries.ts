import { auditRead, writeAudit } from "@/lib/audit/log";
import { pool, prisma } from "@/lib/db/client";
import { auditedSearch, parsePersonSearch, personSearchSql, type TPersonSearch } from "@/lib/lists/search";
import { maskIdNumber, normaliseIdNumber } from "@/lib/ids/id-number";
import { personRef } from "@/lib/ids/person-ref";
import { type Actor, NotFoundError, regionWhere, requireInScope, requirePermission, scopePrefix, taskWhere } from "@/lib/policy";
import { personRegion, personWhere } from "./scope";

/** Registry persons in the actor's region, counted per registration status. */
export async function personCountsByStatus(actor: Actor): Promise<Record<string, number>> {
  const rows = await prisma().person.groupBy({
    by: ["status"],
    where: { hukouRegionCode: regionWhere(actor, "region:view") },
    _count: { _all: true },
  });
  return Object.fromEntries(rows.map((r) => [r.status, r._count._all]));
}

// ---------------------------------------------------------------------------------------------
// The person page (人员信息) and the registry search. Every read goes through the policy; a person
// outside the actor's scope answers as not found. Opening a person writes an audit row (domain.md
// "Confidentiality"): the page shows the full ID number and phone.

export interface PersonHistoryRow {
  id: number;
  idNumber: string;
  field: string;
  oldValue: string | null;
  newValue: string | null;
  reason: string | null;
  taskId: number | null;
  changeRequestId: number | null;
  changedBy: string | null;
  changedAt: Date;
}

/** The person in the actor's scope, with the audit row of this view. */
export async function viewPerson(actor: Actor, idNumber: string) {
  requirePermission(actor, "person:view");
  const person = await prisma().person.findUnique({ where: { idNumber } });
  if (!person) throw new NotFoundError("person");
  const regionCode = personRegion(person);
  requireInScope(actor, "person:view", regionCode);
  await writeAudit(actor, { action: "person.view", entity: "person", entityId: person.idNumber, regionCode });
  return person;
}

/** Everything the person page shows: the person (audited), region names, history, tasks, changes. */
export async function getPersonPage(actor: Actor, idNumber: string) {
  const person = await viewPerson(actor, idNumber);
  const db = prisma();
  const regionCodes = new Set<string>();
  const history = await personHistory(person.idNumber);
  const surveyResidence = (person.surveyData as { residenceRegionCode?: unknown } | null)?.residenceRegionCode;
  // Every region code the page shows, by name: the person's, the survey's residence, the history's.
  const shownCodes = [person.hukouRegionCode, person.residenceRegionCode, person.surveyRegionCode, typeof surveyResidence === "string" ? surveyResidence : null];
  for (const h of history) if (/regionCode$/i.test(h.field)) shownCodes.push(h.oldValue, h.newValue);
  for (const code of shownCodes) {
    if (code) for (const len of [4, 6, 9, 12]) if (code.length >= len) regionCodes.add(code.slice(0, len));
  }
  const [regions, tasks, changes] = await Promise.all([
    db.region.findMany({ where: { code: { in: [...regionCodes] } }, select: { code: true, name: true } }),
    db.surveyTask.findMany({
      // The tasks the actor may see (a surveyor: only their team's), by the same rule as the task lists.
      where: { idNumber: person.idNumber, ...taskWhere(actor, "task:view") },
      include: { events: { orderBy: { id: "asc" } }, team: { select: { name: true } } },
      orderBy: { id: "desc" },
    }),
    db.changeRequest.findMany({ where: { idNumber: person.idNumber, regionCode: regionWhere(actor, "person:view") }, orderBy: { id: "desc" } }),
  ]);
  const userIds = new Set<number>();
  for (const t of tasks) for (const e of t.events) if (e.actorId) userIds.add(e.actorId);
  for (const c of changes) if (c.requestedById) userIds.add(c.requestedById);
  const names = await userNames([...userIds]);
  const regionName = new Map(regions.map((r) => [r.code, r.name]));
  /** "天宁区 青龙街道 甲社区" for a region code, from the district down. */
  const regionPath = (code: string | null | undefined) =>
    code
      ? [6, 9, 12]
          .filter((len) => code.length >= len)
          .map((len) => regionName.get(code.slice(0, len)) ?? code.slice(0, len))
          .join(" ")
      : null;
  return {
    person,
    regionCode: personRegion(person),
    hukouRegion: regionPath(person.hukouRegionCode),
    residenceRegion: regionPath(person.residenceRegionCode),
    /** The person's region (the survey's, else the hukou's) by name. */
    regionName: regionPath(personRegion(person)),
    /** Names of the region codes the page shows (history values, the survey's residence). */
    regionNames: Object.fromEntries([...regionCodes].map((code) => [code, regionPath(code)])) as Record<string, string | null>,
    history,
    tasks: tasks.map((t) => ({ ...t, events: t.events.map((e) => ({ ...e, actor: e.actorId ? (names.get(e.actorId) ?? null) : null })) })),
    changes: changes.map((c) => ({ ...c, requestedBy: c.requestedById ? (names.get(c.requestedById) ?? null) : null })),
  };
}

async function userNames(ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const users = await prisma().user.findMany({ where: { id: { in: ids } }, select: { id: true, realName: true } });
  return new Map(users.map((u) => [u.id, u.realName]));
}

/**
 * The full history of a person, including the rows written under former ID numbers: an approved ID
 * change writes its history row under both the old and the new ID (lib/changes/mutations.ts), so
 * following `idNumber` rows backwards finds every former ID. Called only after the scope check.
 */
async function personHistory(idNumber: string): Promise<PersonHistoryRow[]> {
  const db = prisma();
  const ids = new Set([idNumber]);
  for (let depth = 0; depth < 10; depth++) {
    const links = await db.personHistory.findMany({ where: { idNumber: { in: [...ids] }, field: "idNumber", newValue: { in: [...ids] } }, select: { oldValue: true } });
    const before = ids.size;
    for (const l of links) if (l.oldValue) ids.add(l.oldValue);
    if (ids.size === before) break;
  }
  const rows = await db.personHistory.findMany({ where: { idNumber: { in: [...ids] } }, orderBy: [{ changedAt: "desc" }, { id: "desc" }] });
  // The re-keying row exists under both IDs: show it once.
  const seen = new Set<string>();
  const unique = rows.filter((r) => {
    if (r.field !== "idNumber") return true;
    const key = `${r.changeRequestId}:${r.oldValue}:${r.newValue}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const names = await userNames([...new Set(unique.map((r) => r.changedById).filter((v): v is number => v !== null))]);
  return unique.map((r) => ({
    id: r.id,
    idNumber: r.idNumber,
    field: r.field,
    oldValue: r.oldValue,
    newValue: r.newValue,
    reason: r.reason,
    taskId: r.taskId,
    changeRequestId: r.changeRequestId,
    changedBy: r.changedById ? (names.get(r.changedById) ?? null) : null,
    changedAt: r.changedAt,
  }));
}

export interface PersonListRow {
  /** The opaque URL key (lib/ids/person-ref.ts): a list never carries the full ID number. */
  ref: string;
  maskedId: string;
  name: string;
  status: string;
  regionCode: string | null;
}

/**
 * 按身份号码查找: the person with this full ID number in the actor's scope (a list: masked). The
 * search is audited here, with what was searched for and how many rows it found.
 */
export async function searchPersons(actor: Actor, query: string): Promise<PersonListRow[]> {
  const where = personWhere(actor, "person:view");
  const id = normaliseIdNumber(query);
  const rows = /^\d{17}[\dX]$/.test(id)
    ? await prisma().person.findMany({
        where: { AND: [{ idNumber: id }, where] },
        select: { idNumber: true, name: true, status: true, surveyRegionCode: true, hukouRegionCode: true },
        take: 20,
      })
    : [];
  await auditRead(actor, "registry.search", { entity: "person", filters: { idNumber: id.slice(0, 18) }, rows: rows.length });
  return rows.map((r) => ({ ref: personRef(r.idNumber), maskedId: maskIdNumber(r.idNumber), name: r.name, status: r.status, regionCode: personRegion(r) }));
}

// ---------------------------------------------------------------------------------------------
// 登记库 list (issue 13, "lists that scale"): the persons of the actor's scope, filtered by status
// and region, searched by part of a name or of an ID number (lib/lists/search.ts, the gram index),
// paged and counted in SQL. The page, its export and the tests read the same rows.

export const REGISTRY_STATUSES = ["CONFIRMED_BY_COMPARISON", "NEEDS_SURVEY", "REGISTERED_BY_SURVEY", "EXCLUDED"] as const;
export const REGISTRY_PAGE_SIZE = 20;

export interface RegistryFilter {
  q?: string;
  status?: (typeof REGISTRY_STATUSES)[number];
  /** A region inside the actor's scope (outside: not found). */
  region?: string;
}

export interface RegistryListRow extends PersonListRow {
  gender: string | null;
  /** The person's region path by name ("天宁区 青龙街道 南苑社区"). */
  regionName: string | null;
}

/** The WHERE of the registry list (scope first: the actor's region or the chosen one inside it). */
function registryWhere(actor: Actor, filter: RegistryFilter) {
  const scope = scopePrefix(actor, "person:view");
  if (filter.region) requireInScope(actor, "person:view", filter.region);
  const prefix = filter.region ?? scope;
  const params: unknown[] = [`${prefix}%`];
  const where = ["(p.survey_region_code LIKE $1 OR (p.survey_region_code IS NULL AND p.hukou_region_code LIKE $1))"];
  if (filter.status) {
    params.push(filter.status);
    where.push(`p.status = $${params.length}::"RegistrationStatus"`);
  }
  const search = parsePersonSearch(filter.q);
  const cond = personSearchSql(search, "p", params.length + 1);
  if (cond) {
    where.push(cond.sql);
    params.push(...cond.params);
  }
  return { sql: where.join(" AND "), params, search };
}

const REGISTRY_SELECT = `SELECT p.id_number AS "idNumber", p.name, p.gender, p.status::text AS status,
  coalesce(p.survey_region_code, p.hukou_region_code) AS "regionCode",
  concat_ws(' ', d.name, s.name, c.name) AS "regionName"
  FROM person p
  LEFT JOIN region d ON d.code = left(coalesce(p.survey_region_code, p.hukou_region_code), 6)
  LEFT JOIN region s ON s.code = left(coalesce(p.survey_region_code, p.hukou_region_code), 9) AND length(coalesce(p.survey_region_code, p.hukou_region_code)) >= 9
  LEFT JOIN region c ON c.code = coalesce(p.survey_region_code, p.hukou_region_code) AND length(coalesce(p.survey_region_code, p.hukou_region_code)) = 12`;

type RawRegistryRow = { idNumber: string; name: string; gender: string | null; status: string; regionCode: string | null; regionName: string | null };
const registryRow = (r: RawRegistryRow): RegistryListRow => ({ ref: personRef(r.idNumber), maskedId: maskIdNumber(r.idNumber), name: r.name, gender: r.gender, status: r.status, regionCode: r.regionCode, regionName: r.regionName || null });

/**
 * The list counts at most this many rows: at 1 M persons an exact count of a whole city (or of a
 * surname as common as 王) reads every matching row — 150–500 ms measured — while a page needs
 * only its 20. Past the cap the page says "超过 10,000 条" and offers pages up to it; the export
 * still writes every matching row.
 */
export const REGISTRY_COUNT_CAP = 10_000;

/** One page (1-based) of the registry list and the total (capped), audited as a search or a list view. */
export async function listRegistry(actor: Actor, filter: RegistryFilter, page = 1, pageSize = REGISTRY_PAGE_SIZE): Promise<{ rows: RegistryListRow[]; total: number; capped: boolean; search: TPersonSearch }> {
  const { sql, params, search } = registryWhere(actor, filter);
  const offset = (Math.min(Math.max(1, page), Math.ceil(REGISTRY_COUNT_CAP / pageSize)) - 1) * pageSize;
  const [rows, count] = await Promise.all([
    pool().query<RawRegistryRow>(`${REGISTRY_SELECT} WHERE ${sql} ORDER BY p.id_number LIMIT ${pageSize} OFFSET ${offset}`, params),
    pool().query<{ n: number }>(`SELECT count(*)::int AS n FROM (SELECT 1 FROM person p WHERE ${sql} LIMIT ${REGISTRY_COUNT_CAP + 1}) AS matched`, params),
  ]);
  const capped = count.rows[0].n > REGISTRY_COUNT_CAP;
  const total = Math.min(count.rows[0].n, REGISTRY_COUNT_CAP);
  await auditRead(actor, search.kind === "none" ? "registry.list" : "registry.search", {
    entity: "person",
    regionCode: filter.region ?? actor.regionCode,
    filters: { q: auditedSearch(search), status: filter.status, region: filter.region, page },
    rows: total,
  });
  return { rows: rows.rows.map(registryRow), total, capped, search };
}

/** Every row of the list with the same filters, in the list's order, in batches (the export). */
export async function* iterateRegistry(actor: Actor, filter: RegistryFilter, batch = 2000): AsyncGenerator<RegistryListRow[]> {
  const { sql, params } = registryWhere(actor, filter);
  let after = "";
  for (;;) {
    const res = await pool().query<RawRegistryRow>(`${REGISTRY_SELECT} WHERE ${sql} AND p.id_number > $${params.length + 1} ORDER BY p.id_number LIMIT ${batch}`, [...params, after]);
    if (res.rows.length === 0) return;
    yield res.rows.map(registryRow);
    if (res.rows.length < batch) return;
    after = res.rows[res.rows.length - 1].idNumber;
  }
}

/** The count the export will write (for its audit row), with the list's filters and scope. */
export async function countRegistry(actor: Actor, filter: RegistryFilter): Promise<number> {
  const { sql, params } = registryWhere(actor, filter);
  return (await pool().query<{ n: number }>(`SELECT count(*)::int AS n FROM person p WHERE ${sql}`, params)).rows[0].n;
}
