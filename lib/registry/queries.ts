import { prisma } from "@/lib/db/client";
import { type Actor, regionWhere } from "@/lib/policy";

/** Registry persons in the actor's region, counted per registration status. */
export async function personCountsByStatus(actor: Actor): Promise<Record<string, number>> {
  const rows = await prisma().person.groupBy({
    by: ["status"],
    where: { hukouRegionCode: regionWhere(actor, "region:view") },
    _count: { _all: true },
  });
  return Object.fromEntries(rows.map((r) => [r.status, r._count._all]));
}
