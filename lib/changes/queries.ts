import { auditRead } from "@/lib/audit/log";
import { prisma } from "@/lib/db/client";
import { maskIdNumber } from "@/lib/ids/id-number";
import { personRef } from "@/lib/ids/person-ref";
import { type Actor, can, NotAllowedError, regionWhere, roleHas } from "@/lib/policy";
import type { TChanges } from "./schema";
import { deciderPermission, type TChangeState } from "./workflow";

// Change-request lists (变更登记) for the /changes page: always scoped to the actor's region. Lists
// mask ID numbers (domain.md "Confidentiality"); the person page shows them in full.

export interface ChangeListRow {
  id: number;
  maskedId: string;
  /** The person's opaque URL key: lists never carry the full ID number. */
  ref: string;
  name: string | null;
  regionCode: string;
  changes: TChanges;
  evidence: string;
  sensitive: boolean;
  state: TChangeState;
  comment: string | null;
  version: number;
  requestedBy: string | null;
  createdAt: Date;
  /** The actor requested it (four eyes: someone else decides). */
  ownRequest: boolean;
  /** The actor may decide on it now (holds the permission of its next step, in scope, not their own). */
  decidable: boolean;
}

/** Who may open the list: requesters and both levels of approvers. */
export function canSeeChanges(actor: Actor): boolean {
  return roleHas(actor.role, "change:request") || roleHas(actor.role, "change:approve-basic") || roleHas(actor.role, "change:approve-sensitive");
}

/** Pending for the actor's decision, and the most recent requests of the actor's region. */
export async function listChangeRequests(actor: Actor): Promise<{ pending: ChangeListRow[]; recent: ChangeListRow[] }> {
  if (!canSeeChanges(actor)) throw new NotAllowedError("change:request");
  const regionCode = regionWhere(actor, "person:view");
  const pendingStates: TChangeState[] = [];
  if (roleHas(actor.role, "change:approve-basic")) pendingStates.push("SUBMITTED");
  if (roleHas(actor.role, "change:approve-sensitive")) pendingStates.push("STREET_APPROVED");
  const [pending, recent] = await Promise.all([
    pendingStates.length ? prisma().changeRequest.findMany({ where: { regionCode, state: { in: pendingStates } }, orderBy: { id: "asc" }, take: 200 }) : [],
    prisma().changeRequest.findMany({ where: { regionCode }, orderBy: { id: "desc" }, take: 50 }),
  ]);
  const all = [...pending, ...recent];
  const [persons, users] = await Promise.all([
    prisma().person.findMany({ where: { idNumber: { in: [...new Set(all.map((r) => r.idNumber))] } }, select: { idNumber: true, name: true } }),
    prisma().user.findMany({ where: { id: { in: [...new Set(all.map((r) => r.requestedById).filter((v): v is number => v !== null))] } }, select: { id: true, realName: true } }),
  ]);
  const nameOf = new Map(persons.map((p) => [p.idNumber, p.name]));
  const userOf = new Map(users.map((u) => [u.id, u.realName]));
  const row = (r: (typeof all)[number]): ChangeListRow => {
    const permission = deciderPermission(r.state, r.sensitive);
    return {
      id: r.id,
      maskedId: maskIdNumber(r.idNumber),
      ref: personRef(r.idNumber),
      name: nameOf.get(r.idNumber) ?? null,
      regionCode: r.regionCode,
      changes: r.changes as TChanges,
      evidence: r.evidence,
      sensitive: r.sensitive,
      state: r.state,
      comment: r.comment,
      version: r.version,
      requestedBy: r.requestedById ? (userOf.get(r.requestedById) ?? null) : null,
      createdAt: r.createdAt,
      // Four eyes: one's own request is shown, marked, and not decidable by oneself.
      ownRequest: r.requestedById === actor.id,
      decidable: permission !== null && can(actor, permission, r.regionCode) && r.requestedById !== actor.id,
    };
  };
  const rows = { pending: pending.filter((r) => deciderPermission(r.state, r.sensitive) && can(actor, deciderPermission(r.state, r.sensitive)!, r.regionCode)).map(row), recent: recent.map(row) };
  await auditRead(actor, "change.list", { entity: "change_request", filters: { states: pendingStates }, rows: rows.pending.length + rows.recent.length });
  return rows;
}
