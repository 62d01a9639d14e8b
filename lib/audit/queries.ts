import { regionCodesIn } from "./labels";
import { z } from "zod";
import { prisma } from "@/lib/db/client";
import { normaliseIdNumber } from "@/lib/ids/id-number";
import { type Actor, requirePermission } from "@/lib/policy";
import { auditRead } from "./log";

// The auditor's reads of the audit log (/audit and its export): search by user, person, action,
// region and time, newest first, paged. Reading the log is itself audited.

export async function auditCount(actor: Actor): Promise<number> {
  requirePermission(actor, "audit:view");
  return prisma().auditLog.count();
}

const blank = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const day = z.preprocess(blank, z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional()).catch(undefined);

/** The filters of /audit?user=&person=&action=&region=&from=&to= (anything malformed is ignored). */
export const ZAuditFilter = z.object({
  user: z.preprocess(blank, z.string().trim().max(40).optional()).catch(undefined),
  person: z.preprocess(blank, z.string().trim().max(18).optional()).catch(undefined),
  action: z.preprocess(blank, z.string().trim().max(60).regex(/^[a-z][a-z._-]*$/).optional()).catch(undefined),
  region: z.preprocess(blank, z.string().trim().regex(/^\d{4,12}$/).optional()).catch(undefined),
  from: day,
  to: day,
});
export type TAuditFilter = z.infer<typeof ZAuditFilter>;

/** The Prisma `where` of a filter. A person matches rows about them by entity id or in the detail. */
function auditWhere(f: TAuditFilter) {
  const and: object[] = [];
  if (f.user) and.push({ userLogin: f.user });
  if (f.action) and.push({ action: f.action });
  if (f.region) and.push({ regionCode: { startsWith: f.region } });
  if (f.from) and.push({ at: { gte: new Date(`${f.from}T00:00:00+08:00`) } });
  if (f.to) and.push({ at: { lt: new Date(new Date(`${f.to}T00:00:00+08:00`).getTime() + 86_400_000) } });
  if (f.person) {
    const id = normaliseIdNumber(f.person);
    and.push({
      OR: [
        { entityId: id },
        { detail: { path: ["idNumber"], equals: id } },
        { detail: { path: ["idNumbers"], array_contains: [id] } },
        { detail: { path: ["filters", "idNumber"], equals: id } },
      ],
    });
  }
  return and.length ? { AND: and } : {};
}

export const AUDIT_PAGE_SIZE = 50;

/** One page of the log, newest first, with the total; the auditor's read is audited. */
export async function listAudit(actor: Actor, filter: TAuditFilter, page: number) {
  requirePermission(actor, "audit:view");
  const where = auditWhere(filter);
  const [rows, total] = await Promise.all([
    prisma().auditLog.findMany({ where, orderBy: { id: "desc" }, skip: page * AUDIT_PAGE_SIZE, take: AUDIT_PAGE_SIZE }),
    prisma().auditLog.count({ where }),
  ]);
  await auditRead(actor, "audit.list", { entity: "audit_log", filters: { ...filter, page }, rows: rows.length });
  // The rows' regions by name (the auditor reads the whole city's log).
  const codes = [...new Set(rows.map((r) => r.regionCode).filter((c): c is string => !!c))];
  for (const r of rows) for (const c of regionCodesIn(r.detail)) if (!codes.includes(c)) codes.push(c);
  const regionNames = new Map((await prisma().region.findMany({ where: { code: { in: codes } }, select: { code: true, name: true } })).map((r) => [r.code, r.name]));
  return { rows, total, regionNames };
}

/** Every row of a filtered log in batches of 5,000, newest first (for the export). */
export async function* iterateAudit(actor: Actor, filter: TAuditFilter): AsyncGenerator<Awaited<ReturnType<typeof listAudit>>["rows"]> {
  requirePermission(actor, "audit:view");
  const where = auditWhere(filter);
  let before: bigint | undefined;
  for (;;) {
    const rows = await prisma().auditLog.findMany({ where: before === undefined ? where : { AND: [where, { id: { lt: before } }] }, orderBy: { id: "desc" }, take: 5000 });
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < 5000) return;
    before = rows[rows.length - 1].id;
  }
}

/** How many rows a filtered export holds (for its audit row). */
export async function countAudit(actor: Actor, filter: TAuditFilter): Promise<number> {
  requirePermission(actor, "audit:view");
  return prisma().auditLog.count({ where: auditWhere(filter) });
}
