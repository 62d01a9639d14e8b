import { DomainError } from "@/lib/auth/action";
import { writeAudit } from "@/lib/audit/log";
import { prisma, type Tx } from "@/lib/db/client";
import { validateIdNumber } from "@/lib/ids/id-number";
import { type Actor, can, NotFoundError, requireInScope, requirePermission } from "@/lib/policy";
import { type RegistryChange, writeHistory } from "@/lib/registry/mutations";
import { personRegion } from "@/lib/registry/scope";
import { CHANGE_FIELDS, isSensitive, type TChangeDecision, type TChangeField, type TChangeRequest, type TChanges } from "./schema";
import { findChangeTransition, type TChangeState } from "./workflow";

// 变更登记 use cases (seed 003 第十二条): request, then the street's and (for sensitive fields) the
// district's decision; the final approval writes the change into the registry with its history rows.
// Each use case is one transaction with its audit row.

type PersonRow = NonNullable<Awaited<ReturnType<Tx["person"]["findUnique"]>>>;

/** The registry's current value of a changeable field, as text (dates as YYYY-MM-DD). */
export function currentValue(person: PersonRow, field: TChangeField): string | null {
  if (field === "birthDate") return person.birthDate ? person.birthDate.toISOString().slice(0, 10) : null;
  const v = person[field];
  return v === null || v === undefined || v === "" ? null : String(v);
}

async function refuseExistingId(tx: Tx, idNumber: string): Promise<void> {
  // A new ID number must identify nobody else in the registry: two records would merge otherwise.
  // The refusal is neutral ("cannot change to this number") wherever that person is registered, so
  // that a change request cannot be used to learn whether an ID exists outside the actor's scope.
  if (await tx.person.findUnique({ where: { idNumber }, select: { idNumber: true } })) throw new DomainError("change.err.idRefused", undefined, "idNumber");
}

/** Whether `actor` requested this change (and so may not approve it). */
export function isOwnRequest(actor: Actor, request: { requestedById: number | null }): boolean {
  return request.requestedById === actor.id;
}

/** Files a change request for a person in the actor's scope. Returns the request's id. */
export async function requestChange(actor: Actor, input: TChangeRequest): Promise<number> {
  requirePermission(actor, "change:request");
  return prisma().$transaction(async (tx) => {
    const person = await tx.person.findUnique({ where: { idNumber: input.personId } });
    if (!person) throw new NotFoundError("person");
    const regionCode = personRegion(person);
    requireInScope(actor, "change:request", regionCode);
    const changes: TChanges = {};
    for (const field of CHANGE_FIELDS) {
      const to = input[field];
      if (to === undefined) continue;
      const from = currentValue(person, field);
      if (from !== to) changes[field] = { from, to };
    }
    const fields = Object.keys(changes) as TChangeField[];
    if (fields.length === 0) throw new DomainError("change.err.nothing");
    if (changes.idNumber) await refuseExistingId(tx, changes.idNumber.to);
    const sensitive = fields.some(isSensitive);
    const request = await tx.changeRequest.create({
      data: { idNumber: person.idNumber, regionCode: regionCode!, changes: changes as never, evidence: input.evidence, sensitive, requestedById: actor.id },
    });
    await writeAudit(actor, { action: "change.request", entity: "change_request", entityId: String(request.id), regionCode, reason: input.evidence, detail: { idNumber: person.idNumber, fields, sensitive } }, tx);
    return request.id;
  });
}

/**
 * A reviewer approves or returns a request. Of two reviewers deciding on the same request at once,
 * exactly one succeeds: the update is conditional on the version the reviewer saw, and the row lock
 * makes the second wait and then find the version moved on.
 */
export async function decideChange(actor: Actor, input: TChangeDecision): Promise<TChangeState> {
  return prisma().$transaction(async (tx) => {
    const request = await tx.changeRequest.findUnique({ where: { id: input.requestId } });
    // Another street's or district's request answers as not found, so its existence is not revealed.
    if (!request || !can(actor, "person:view", request.regionCode)) throw new NotFoundError("change_request");
    if (request.version !== input.expectedVersion) throw new DomainError("review.err.changedBySomeoneElse");
    const transition = findChangeTransition(request.state, input.decision, request.sensitive);
    if (!transition) throw new DomainError("review.err.invalidTransition", { from: request.state, event: input.decision });
    requireInScope(actor, transition.permission, request.regionCode);
    // Four eyes (四眼原则): the requester never approves their own request, at either level.
    if (input.decision === "approve" && isOwnRequest(actor, request)) throw new DomainError("change.err.ownRequest");
    if (transition.needsComment && !input.comment) throw new DomainError("review.err.commentRequired", undefined, "comment");
    const updated = await tx.changeRequest.updateMany({
      where: { id: request.id, version: input.expectedVersion, state: request.state },
      data: { state: transition.to, version: { increment: 1 }, comment: input.comment ?? request.comment },
    });
    if (updated.count !== 1) throw new DomainError("review.err.changedBySomeoneElse");
    if (transition.to === "APPROVED") await applyChange(tx, actor, request);
    await writeAudit(
      actor,
      { action: `change.${input.decision}`, entity: "change_request", entityId: String(request.id), regionCode: request.regionCode, reason: input.comment, detail: { from: request.state, to: transition.to, idNumber: request.idNumber } },
      tx,
    );
    return transition.to;
  });
}

/**
 * Writes an approved request into the registry. An ID number change re-keys the person: the
 * person row, their survey tasks and change requests move to the new ID, and the history row of the
 * change is written under both IDs, so that the old ID's history leads to the new one and the new
 * ID's history (lib/registry/queries.ts) leads back to the old rows.
 */
async function applyChange(tx: Tx, actor: Actor, request: { id: number; idNumber: string; changes: unknown; evidence: string }): Promise<void> {
  const person = await tx.person.findUnique({ where: { idNumber: request.idNumber } });
  if (!person) throw new NotFoundError("person");
  const changes = request.changes as TChanges;
  const history: RegistryChange[] = [];
  const data: Record<string, unknown> = {};
  for (const field of CHANGE_FIELDS) {
    const change = changes[field];
    if (!change) continue;
    const old = currentValue(person, field);
    if (old === change.to) continue;
    history.push({ field, oldValue: old, newValue: change.to });
    data[field] = field === "birthDate" ? new Date(`${change.to}T00:00:00Z`) : change.to;
  }
  const why = { reason: `变更登记：${request.evidence}`, changeRequestId: request.id };
  const newId = data.idNumber as string | undefined;
  if (newId) {
    if (!validateIdNumber(newId).ok) throw new DomainError("survey.err.idNumber", undefined, "idNumber");
    await refuseExistingId(tx, newId);
  }
  try {
    await tx.person.update({ where: { idNumber: person.idNumber }, data: { ...data, version: { increment: 1 } } });
  } catch (e) {
    // Two approvals re-keying two persons to the same new ID at once: the primary key lets one through.
    if ((e as { code?: string }).code === "P2002") throw new DomainError("change.err.idRefused", undefined, "idNumber");
    throw e;
  }
  if (newId) {
    await tx.surveyTask.updateMany({ where: { idNumber: person.idNumber }, data: { idNumber: newId } });
    await tx.changeRequest.updateMany({ where: { idNumber: person.idNumber }, data: { idNumber: newId } });
    await writeHistory(tx, actor, person.idNumber, history.filter((h) => h.field === "idNumber"), why);
  }
  await writeHistory(tx, actor, newId ?? person.idNumber, history, why);
}
