import { auditRead } from "@/lib/audit/log";
import { pool } from "@/lib/db/client";
import { containsPattern } from "@/lib/lists/search";
import { type Actor, requirePermission, ROLES, type TRole } from "@/lib/policy";

// 用户管理 and 区划 lists for the administrator (issue 13, "lists that scale"): filtered, searched,
// paged and counted in SQL, exported with the same rows. The administrator's permission is not
// region-scoped (they hold no post); it is checked first, in every query.

export const USER_PAGE_SIZE = 20;
export const REGION_PAGE_SIZE = 50;
export const USER_STATES = ["active", "disabled", "pending", "unconfirmed"] as const;
export const REGION_LEVELS = ["CITY", "DISTRICT", "STREET", "COMMUNITY"] as const;

export interface UserFilter {
  /** Part of the login or of the real name. */
  q?: string;
  role?: TRole;
  /** Accounts whose region lies in this one. */
  region?: string;
  state?: (typeof USER_STATES)[number];
}

export interface UserListRow {
  id: number;
  login: string;
  realName: string;
  role: TRole;
  regionCode: string | null;
  regionName: string | null;
  active: boolean;
  confirmed: boolean;
  pendingKind: string | null;
}

function userWhere(actor: Actor, f: UserFilter) {
  requirePermission(actor, "admin:users");
  const params: unknown[] = [];
  const where = ["true"];
  const add = (sql: (n: number) => string, v: unknown) => {
    params.push(v);
    where.push(sql(params.length));
  };
  if (f.q) add((n) => `(u.login ILIKE $${n} OR u.real_name LIKE $${n})`, containsPattern(f.q));
  if (f.role) add((n) => `u.role = $${n}::"Role"`, f.role);
  if (f.region) add((n) => `u.region_code LIKE $${n}`, `${f.region}%`);
  if (f.state === "active") where.push("u.active AND u.confirmed_at IS NOT NULL");
  if (f.state === "disabled") where.push("NOT u.active");
  if (f.state === "pending") where.push(`EXISTS (SELECT 1 FROM account_request a WHERE a.user_id = u.id AND a.state = 'PENDING')`);
  if (f.state === "unconfirmed") where.push("u.confirmed_at IS NULL");
  return { sql: where.join(" AND "), params };
}

const USER_SELECT = `SELECT u.id, u.login, u.real_name AS "realName", u.role::text AS role, u.region_code AS "regionCode",
  concat_ws(' ', CASE WHEN length(u.region_code) > 6 THEN d.name END, CASE WHEN length(u.region_code) > 9 THEN s.name END, r.name) AS "regionName",
  u.active, u.confirmed_at IS NOT NULL AS confirmed,
  (SELECT a.kind::text FROM account_request a WHERE a.user_id = u.id AND a.state = 'PENDING' LIMIT 1) AS "pendingKind"
  FROM app_user u
  LEFT JOIN region r ON r.code = u.region_code
  LEFT JOIN region d ON d.code = left(u.region_code, 6)
  LEFT JOIN region s ON s.code = left(u.region_code, 9)`;
const USER_ORDER = `ORDER BY u.role, u.region_code NULLS FIRST, u.login`;

export async function listUsersPage(actor: Actor, f: UserFilter, page = 1, pageSize = USER_PAGE_SIZE): Promise<{ rows: UserListRow[]; total: number }> {
  const { sql, params } = userWhere(actor, f);
  const offset = (Math.max(1, page) - 1) * pageSize;
  const [rows, count] = await Promise.all([
    pool().query<UserListRow>(`${USER_SELECT} WHERE ${sql} ${USER_ORDER} LIMIT ${pageSize} OFFSET ${offset}`, params),
    pool().query<{ n: number }>(`SELECT count(*)::int AS n FROM app_user u WHERE ${sql}`, params),
  ]);
  const total = count.rows[0].n;
  await auditRead(actor, "user.list", { entity: "user", filters: { ...f, page }, rows: total });
  return { rows: rows.rows.map((r) => ({ ...r, regionName: r.regionName || null })), total };
}

export async function allUsers(actor: Actor, f: UserFilter): Promise<UserListRow[]> {
  const { sql, params } = userWhere(actor, f);
  return (await pool().query<UserListRow>(`${USER_SELECT} WHERE ${sql} ${USER_ORDER}`, params)).rows.map((r) => ({ ...r, regionName: r.regionName || null }));
}

export interface RegionFilter {
  /** Part of the name or of the code. */
  q?: string;
  level?: (typeof REGION_LEVELS)[number];
  /** Regions in this one (itself included). */
  under?: string;
}

export interface RegionListRow {
  code: string;
  name: string;
  level: string;
  parentCode: string | null;
  parentName: string | null;
  children: number;
  users: number;
}

function regionListWhere(actor: Actor, f: RegionFilter) {
  requirePermission(actor, "admin:regions");
  const params: unknown[] = [];
  const where = ["true"];
  const add = (sql: (n: number) => string, v: unknown) => {
    params.push(v);
    where.push(sql(params.length));
  };
  if (f.q) add((n) => `(r.name LIKE $${n} OR r.code LIKE $${n})`, containsPattern(f.q));
  if (f.level) add((n) => `r.level = $${n}::"RegionLevel"`, f.level);
  if (f.under) add((n) => `r.code LIKE $${n}`, `${f.under}%`);
  return { sql: where.join(" AND "), params };
}

const REGION_SELECT = `SELECT r.code, r.name, r.level::text AS level, r.parent_code AS "parentCode", p.name AS "parentName",
  (SELECT count(*)::int FROM region c WHERE c.parent_code = r.code) AS children,
  (SELECT count(*)::int FROM app_user u WHERE u.region_code = r.code) AS users
  FROM region r LEFT JOIN region p ON p.code = r.parent_code`;

export async function listRegionsPage(actor: Actor, f: RegionFilter, page = 1, pageSize = REGION_PAGE_SIZE): Promise<{ rows: RegionListRow[]; total: number }> {
  const { sql, params } = regionListWhere(actor, f);
  const offset = (Math.max(1, page) - 1) * pageSize;
  const [rows, count] = await Promise.all([
    pool().query<RegionListRow>(`${REGION_SELECT} WHERE ${sql} ORDER BY r.code LIMIT ${pageSize} OFFSET ${offset}`, params),
    pool().query<{ n: number }>(`SELECT count(*)::int AS n FROM region r WHERE ${sql}`, params),
  ]);
  const total = count.rows[0].n;
  await auditRead(actor, "region.list", { entity: "region", filters: { ...f, page }, rows: total });
  return { rows: rows.rows, total };
}

export async function allRegions(actor: Actor, f: RegionFilter): Promise<RegionListRow[]> {
  const { sql, params } = regionListWhere(actor, f);
  return (await pool().query<RegionListRow>(`${REGION_SELECT} WHERE ${sql} ORDER BY r.code`, params)).rows;
}

export { ROLES };
