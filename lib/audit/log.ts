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

export async function writeAudit(actor: Pick<Actor, "id" | "login"> | null, entry: AuditEntry, tx?: Tx): Promise<void> {
  const db = tx ?? prisma();
  await db.auditLog.create({
    data: {
      userId: actor?.id ?? null,
      userLogin: actor?.login ?? null,
      action: entry.action,
      entity: entry.entity ?? null,
      entityId: entry.entityId ?? null,
      regionCode: entry.regionCode ?? null,
      reason: entry.reason ?? null,
      detail: (entry.detail ?? undefined) as never,
    },
  });
}
