import { auditRead } from "@/lib/audit/log";
import { pool } from "@/lib/db/client";
import { containsPattern } from "@/lib/lists/search";
import { dateParam, oneOf } from "@/lib/lists/url";
import { type Actor, requirePermission } from "@/lib/policy";
import { IMPORT_KINDS, type TImportKind } from "./formats";

// 最近的导入 (issue 13, "lists that scale"): the import batches filtered by kind, status and date,
// searched by file name, paged and counted in SQL, exported with the same rows. Batches are the
// city's source data: the scope is the permission (import:run), checked first.

export const BATCH_PAGE_SIZE = 20;
export const BATCH_STATUSES = ["LOADING", "ACTIVE", "RETIRED"] as const;

export interface BatchFilter {
  kind?: TImportKind;
  status?: (typeof BATCH_STATUSES)[number];
  from?: string;
  to?: string;
  /** Part of the file name. */
  q?: string;
}

export interface BatchRow {
  id: number;
  kind: TImportKind;
  fileName: string;
  status: (typeof BATCH_STATUSES)[number];
  rowsRead: number;
  rowsLoaded: number;
  rowsInvalid: number;
  importedAt: Date;
  importedBy: string | null;
}

function batchWhere(actor: Actor, f: BatchFilter) {
  requirePermission(actor, "import:run");
  const params: unknown[] = [];
  const where = ["true"];
  const add = (sql: (n: number) => string, v: unknown) => {
    params.push(v);
    where.push(sql(params.length));
  };
  if (f.kind) add((n) => `b.kind = $${n}::"ImportKind"`, f.kind);
  if (f.status) add((n) => `b.status = $${n}::"BatchStatus"`, f.status);
  if (f.from) add((n) => `b.imported_at >= $${n}::date`, f.from);
  if (f.to) add((n) => `b.imported_at < $${n}::date + 1`, f.to);
  if (f.q) add((n) => `b.file_name ILIKE $${n}`, containsPattern(f.q));
  return { sql: where.join(" AND "), params };
}

const SELECT = `SELECT b.id, b.kind::text AS kind, b.file_name AS "fileName", b.status::text AS status, b.rows_read AS "rowsRead",
  b.rows_loaded AS "rowsLoaded", b.rows_invalid AS "rowsInvalid", b.imported_at AS "importedAt", u.real_name AS "importedBy"
  FROM import_batch b LEFT JOIN app_user u ON u.id = b.imported_by_id`;

export async function listBatchesPage(actor: Actor, f: BatchFilter, page = 1, pageSize = BATCH_PAGE_SIZE): Promise<{ rows: BatchRow[]; total: number }> {
  const { sql, params } = batchWhere(actor, f);
  const offset = (Math.max(1, page) - 1) * pageSize;
  const [rows, count] = await Promise.all([
    pool().query<BatchRow>(`${SELECT} WHERE ${sql} ORDER BY b.id DESC LIMIT ${pageSize} OFFSET ${offset}`, params),
    pool().query<{ n: number }>(`SELECT count(*)::int AS n FROM import_batch b WHERE ${sql}`, params),
  ]);
  const total = count.rows[0].n;
  await auditRead(actor, "import.list", { entity: "import_batch", filters: { ...f, page }, rows: total });
  return { rows: rows.rows, total };
}

export async function allBatches(actor: Actor, f: BatchFilter): Promise<BatchRow[]> {
  const { sql, params } = batchWhere(actor, f);
  return (await pool().query<BatchRow>(`${SELECT} WHERE ${sql} ORDER BY b.id DESC`, params)).rows;
}

/** The filter of /imports and its export from the URL. */
export function batchFilterOf(sp: Record<string, string | undefined>): BatchFilter {
  return { kind: oneOf(IMPORT_KINDS, sp.kind), status: oneOf(BATCH_STATUSES, sp.status), from: dateParam(sp.from), to: dateParam(sp.to), q: sp.q?.trim().slice(0, 60) || undefined };
}
