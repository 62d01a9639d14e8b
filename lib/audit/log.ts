import type { Actor } from "@/lib/policy";
import type { Tx } from "@/lib/db/client";
import { pool } from "@/lib/db/client";

// Append-only audit writer (the table refuses UPDATE/DELETE by trigger). Call it with the
// transaction client of the change it records, so that the change and its trace commit together.

export interface AuditEntry {
  action: string;
  entity?: string;
  entityId?: string;
  regionCode?: string | null;
  reason?: string;
  detail?: Record<string, unknown>;
}

/** The audit row of an entry (the columns' Prisma names), as writeAudit writes it; also for writers in set-based SQL. */
export function auditRecord(actor: Pick<Actor, "id" | "login"> | null, entry: AuditEntry) {
  return {
    userId: actor?.id ?? null,
    userLogin: actor?.login ?? null,
    action: entry.action,
    entity: entry.entity ?? null,
    entityId: entry.entityId ?? null,
    regionCode: entry.regionCode ?? null,
    reason: entry.reason ?? null,
    detail: entry.detail ?? undefined,
  };
}

/** SQL inserting the audit row of auditRecord's JSON (parameter $n), for writers in plain SQL. */
export function auditInsertSql(n: number): string {
  return `INSERT INTO audit_log (user_id, user_login, action, entity, entity_id, region_code, reason, detail)
    SELECT a."userId", a."userLogin", a.action, a.entity, a."entityId", a."regionCode", a.reason, a.detail
      FROM jsonb_to_record($${n}::jsonb) AS a("userId" int, "userLogin" text, action text, entity text, "entityId" text, "regionCode" text, reason text, detail jsonb)`;
}

export async function writeAudit(actor: Pick<Actor, "id" | "login"> | null, entry: AuditEntry, tx?: Tx): Promise<void> {
  const record = auditRecord(actor, entry);
  if (tx) {
    await tx.auditLog.create({ data: { ...record, detail: record.detail as never } });
    return;
  }
  // On its own (a list view, a search, a sign-in): one plain statement through the pool, which
  // every list view pays — no ORM query to compile.
  await pool().query(auditInsertSql(1), [JSON.stringify(record)]);
}

/**
 * A read of personal data — a list view, a search, an export — recorded by the scoped query that
 * returns it (style.md: "audit where the data is read, not where it is shown"), with the filters
 * the user gave and the number of rows they got.
 */
export async function auditRead(actor: Pick<Actor, "id" | "login" | "regionCode">, action: string, read: { filters?: Record<string, unknown>; rows: number; entity?: string; entityId?: string; regionCode?: string | null; reason?: string }): Promise<void> {
  await writeAudit(actor, {
    action,
    entity: read.entity,
    entityId: read.entityId,
    regionCode: read.regionCode ?? actor.regionCode,
    reason: read.reason,
    detail: { filters: read.filters ?? {}, rows: read.rows },
  });
}

/**
 * A request refused as out of scope ("not found") or not allowed: recorded so that probing for
 * records of other regions shows in the log even though the prober learns nothing.
 */
export async function auditRefusal(actor: Pick<Actor, "id" | "login" | "regionCode"> | null, refusal: "not-found" | "forbidden", what: Record<string, unknown>): Promise<void> {
  await writeAudit(actor, { action: "access.refused", regionCode: actor?.regionCode ?? null, detail: { refusal, ...what } });
}
