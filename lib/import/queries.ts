import { prisma, pool } from "@/lib/db/client";
import { type Actor, requirePermission } from "@/lib/policy";
import type { TImportKind } from "./formats";
import { auditRead } from "@/lib/audit/log";

// Reads for the import pages. Import batches are city-wide source data, so the scope is the
// permission itself: only city staff ("import:run") see batches and their invalid rows.

/** The record table of each kind; regions keep no per-batch rows. */
export const RECORD_TABLE: Record<TImportKind, string | null> = {
  regions: null,
  population: "population_record",
  enrolment: "enrolment_record",
  department: "department_record",
  elsewhere: "elsewhere_record",
};

export async function listBatches(actor: Actor, take = 100) {
  requirePermission(actor, "import:run");
  const batches = await prisma().importBatch.findMany({ orderBy: { id: "desc" }, take });
  const userIds = [...new Set(batches.map((b) => b.importedById).filter((id): id is number => id !== null))];
  const users = await prisma().user.findMany({ where: { id: { in: userIds } }, select: { id: true, realName: true, login: true } });
  const byId = new Map(users.map((u) => [u.id, u]));
  return batches.map((b) => ({ ...b, importedBy: b.importedById === null ? null : (byId.get(b.importedById) ?? null) }));
}

export async function getBatch(actor: Actor, id: number) {
  requirePermission(actor, "import:run");
  const batch = await prisma().importBatch.findUnique({ where: { id } });
  if (!batch) return null;
  const importedBy = batch.importedById === null ? null : await prisma().user.findUnique({ where: { id: batch.importedById }, select: { realName: true, login: true } });
  return { ...batch, importedBy };
}

export interface InvalidRow {
  lineNo: number;
  idRaw: string | null;
  name: string | null;
  reason: string;
}

/** The first `limit` invalid rows of a batch, in line order, and how many there are. */
export async function listInvalidRows(actor: Actor, batchId: number, kind: TImportKind, limit = 200): Promise<{ rows: InvalidRow[]; total: number }> {
  requirePermission(actor, "import:run");
  const table = RECORD_TABLE[kind];
  if (!table) return { rows: [], total: 0 };
  const [rows, total] = await Promise.all([
    pool().query<InvalidRow>(
      `SELECT line_no AS "lineNo", id_raw AS "idRaw", name, id_invalid AS reason FROM ${table}
       WHERE batch_id = $1 AND id_invalid IS NOT NULL ORDER BY line_no LIMIT $2`,
      [batchId, limit],
    ),
    pool().query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE batch_id = $1 AND id_invalid IS NOT NULL`, [batchId]),
  ]);
  // A list view of (partly) personal data: audited where it is read (issue 11 §6).
  await auditRead(actor, "import.invalid-list", { entity: "import_batch", entityId: String(batchId), filters: { kind, limit }, rows: rows.rows.length });
  return { rows: rows.rows, total: total.rows[0].n };
}
