import { prisma } from "@/lib/db/client";
import { type Actor, requirePermission } from "@/lib/policy";

export async function adminCounts(actor: Actor): Promise<{ users: number; activeUsers: number; regions: number }> {
  requirePermission(actor, "admin:users");
  const [users, activeUsers, regions] = await Promise.all([prisma().user.count(), prisma().user.count({ where: { active: true } }), prisma().region.count()]);
  return { users, activeUsers, regions };
}

/** Accounts for administration: no personal data beyond the account itself. */
export async function listUsers(actor: Actor) {
  requirePermission(actor, "admin:users");
  const users = await prisma().user.findMany({
    orderBy: [{ role: "asc" }, { regionCode: "asc" }, { login: "asc" }],
    select: {
      id: true,
      login: true,
      realName: true,
      role: true,
      regionCode: true,
      active: true,
      confirmedAt: true,
      region: { select: { name: true } },
      accountRequests: { where: { state: "PENDING" }, select: { kind: true } },
    },
  });
  return users.map(({ accountRequests, ...u }) => ({ ...u, pendingKind: accountRequests[0]?.kind ?? null }));
}

export async function listRegionsForAdmin(actor: Actor) {
  requirePermission(actor, "admin:regions");
  return prisma().region.findMany({ orderBy: { code: "asc" }, select: { code: true, name: true, level: true, parentCode: true } });
}
