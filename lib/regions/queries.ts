import { prisma } from "@/lib/db/client";
import { env } from "@/lib/env";
import { type Actor, NotFoundError, regionWhere, requireInScope, requirePermission, type TPermission } from "@/lib/policy";

export interface RegionSummary {
  code: string;
  name: string;
  level: "CITY" | "DISTRICT" | "STREET" | "COMMUNITY";
  parentCode: string | null;
}

/** A region inside the actor's scope, or NotFoundError (out of scope answers as not found). */
export async function getRegionForUser(actor: Actor, code: string): Promise<RegionSummary> {
  requireInScope(actor, "region:view", code);
  const region = await prisma().region.findUnique({ where: { code } });
  if (!region) throw new NotFoundError("region");
  return region;
}

export async function childRegions(actor: Actor, code: string): Promise<RegionSummary[]> {
  requireInScope(actor, "region:view", code);
  return prisma().region.findMany({ where: { parentCode: code }, orderBy: { code: "asc" } });
}

/** Person counts per registration status for every child of `code` (and `code` itself). */
export async function personCountsByChild(actor: Actor, code: string): Promise<Map<string, Record<string, number>>> {
  requireInScope(actor, "region:view", code);
  const childLength = code.length === 4 ? 6 : code.length === 6 ? 9 : 12;
  const rows = await prisma().$queryRaw<{ child: string; status: string; n: bigint }[]>`
    SELECT left(hukou_region_code, ${childLength}) AS child, status::text AS status, count(*) AS n
    FROM person
    WHERE hukou_region_code LIKE ${code + "%"}
    GROUP BY 1, 2`;
  const out = new Map<string, Record<string, number>>();
  for (const r of rows) {
    const entry = out.get(r.child) ?? {};
    entry[r.status] = Number(r.n);
    out.set(r.child, entry);
  }
  return out;
}

/** The whole city tree for pickers (region names and codes only, no personal data). */
export async function cityRegions(actor: Actor): Promise<{ cityName: string; regions: RegionSummary[] }> {
  requirePermission(actor, "task:view");
  const city = env().CITY_CODE;
  const regions = await prisma().region.findMany({ where: { code: { startsWith: city } }, orderBy: { code: "asc" }, select: { code: true, name: true, level: true, parentCode: true } });
  return { cityName: regions.find((r) => r.code === city)?.name ?? city, regions };
}

/** The region tree below (and including) the actor's region, for the region pickers of list filters. */
export async function regionsInScope(actor: Actor, permission: TPermission): Promise<{ code: string; name: string; parentCode: string | null }[]> {
  return prisma().region.findMany({ where: { code: regionWhere(actor, permission) }, orderBy: { code: "asc" }, select: { code: true, name: true, parentCode: true } });
}
