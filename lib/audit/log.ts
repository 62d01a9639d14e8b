import type { Actor } from "@/lib/policy";
import type { Tx } from "@/lib/db/client";
import { prisma } from "@/lib/db/client";

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

export async function writeAudit(actor: Pick<Actor, "id" | "login"> | null, entry: AuditEntry, tx?: Tx): Promise<void> {
  const db = tx ?? prisma();
  const record = auditRecord(actor, entry);
  await db.auditLog.create({ data: { ...record, detail: record.detail as never } });
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
