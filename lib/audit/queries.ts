import { prisma } from "@/lib/db/client";
import { type Actor, requirePermission } from "@/lib/policy";

export async function auditCount(actor: Actor): Promise<number> {
  requirePermission(actor, "audit:view");
  return prisma().auditLog.count();
}

export async function listAudit(actor: Actor, page: number, pageSize = 50) {
  requirePermission(actor, "audit:view");
  return prisma().auditLog.findMany({ orderBy: { id: "desc" }, skip: page * pageSize, take: pageSize });
}
