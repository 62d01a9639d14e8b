import { isWithin } from "@/lib/regions/codes";
import { roleHas, type TPermission, type TRole } from "./permissions";

export { ACCOUNT_CONFIRMER, PERMISSIONS, ROLES, ROLE_LEVEL, roleHas, type TPermission, type TRole } from "./permissions";

// The one policy: "may this user do this action on this region?", and the region filter every
// query applies. A user acts only inside the region of their post (a region nests by code prefix).

export interface Actor {
  id: number;
  login: string;
  role: TRole;
  /** Region of the user's post; null for the system administrator. */
  regionCode: string | null;
}

export class NotAllowedError extends Error {
  constructor(public readonly permission: TPermission) {
    super(`not allowed: ${permission}`);
    this.name = "NotAllowedError";
  }
}

/** Out-of-scope resources are answered as "not found" so that their existence is not revealed. */
export class NotFoundError extends Error {
  constructor(what = "resource") {
    super(`not found: ${what}`);
    this.name = "NotFoundError";
  }
}

/** May `actor` do `permission` on `regionCode` (the region the data belongs to)? */
export function can(actor: Actor, permission: TPermission, regionCode?: string | null): boolean {
  if (!roleHas(actor.role, permission)) return false;
  if (regionCode === undefined) return true;
  if (!actor.regionCode || !regionCode) return false;
  return isWithin(regionCode, actor.regionCode);
}

export function requirePermission(actor: Actor, permission: TPermission): void {
  if (!can(actor, permission)) throw new NotAllowedError(permission);
}

/** Checks the permission and that `regionCode` lies in the actor's scope (not found otherwise). */
export function requireInScope(actor: Actor, permission: TPermission, regionCode: string | null): void {
  requirePermission(actor, permission);
  if (!can(actor, permission, regionCode)) throw new NotFoundError("region");
}

/**
 * The region filter for a query: the code prefix rows must start with. Throws when the actor holds
 * no region-scoped permission at all, so that no query can run unscoped by accident.
 */
export function scopePrefix(actor: Actor, permission: TPermission): string {
  requirePermission(actor, permission);
  if (!actor.regionCode) throw new NotAllowedError(permission);
  return actor.regionCode;
}

/** A Prisma `where` fragment for a region-code column, scoped to the actor. */
export function regionWhere(actor: Actor, permission: TPermission): { startsWith: string } {
  return { startsWith: scopePrefix(actor, permission) };
}

export type Guarded<T> = { ok: true; value: T } | { ok: false; refusal: "error.notFound" | "error.forbidden" };

/**
 * For pages: runs a scoped load and turns a policy refusal into a value the page can render. The
 * refusal is audited (`what` says what was asked for), so that probing other regions shows in the log.
 */
export async function guarded<T>(load: Promise<T>, what: Record<string, unknown> = {}): Promise<Guarded<T>> {
  try {
    return { ok: true, value: await load };
  } catch (e) {
    if (e instanceof NotFoundError || e instanceof NotAllowedError) {
      await recordRefusal(e, what);
      return { ok: false, refusal: e instanceof NotFoundError ? "error.notFound" : "error.forbidden" };
    }
    throw e;
  }
}

/** Writes the audit row of a refused request (imported lazily: the policy itself stays free of I/O). */
export async function recordRefusal(e: NotFoundError | NotAllowedError, what: Record<string, unknown> = {}): Promise<void> {
  const [{ currentUser }, { auditRefusal }] = await Promise.all([import("@/lib/auth/session"), import("@/lib/audit/log")]);
  const user = await currentUser().catch(() => null);
  await auditRefusal(user, e instanceof NotFoundError ? "not-found" : "forbidden", { ...what, reason: e.message });
}

/**
 * Survey tasks: in the actor's region, and for a community surveyor only the tasks of a team they
 * belong to ("a surveyor sees only their own list"). Out of scope answers as not found.
 */
export function requireTaskAccess(actor: Actor, permission: TPermission, task: { regionCode: string; memberIds: number[] | null }): void {
  requireInScope(actor, permission, task.regionCode);
  if (actor.role === "COMMUNITY_SURVEYOR" && !(task.memberIds ?? []).includes(actor.id)) throw new NotFoundError("task");
}

/** The Prisma `where` for survey-task lists: the region prefix, and team membership for surveyors. */
export function taskWhere(actor: Actor, permission: TPermission) {
  const regionCode = regionWhere(actor, permission);
  return actor.role === "COMMUNITY_SURVEYOR" ? { regionCode, team: { memberIds: { has: actor.id } } } : { regionCode };
}

/**
 * The Prisma `where` for account steps the actor may confirm: pending, for a post whose confirmer
 * role is the actor's and whose region lies in the actor's region, and never about the actor's own
 * account. Anything else answers as not found.
 */
export function accountRequestWhere(actor: Actor) {
  const regionCode = regionWhere(actor, "account:confirm");
  return { state: "PENDING" as const, confirmerRole: actor.role, regionCode, userId: { not: actor.id }, requestedById: { not: actor.id } };
}
