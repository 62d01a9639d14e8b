import { hashPassword } from "@/lib/auth/password-hash";
import { DomainError } from "@/lib/auth/errors";
import { clearAccount } from "@/lib/auth/throttle";
import { writeAudit } from "@/lib/audit/log";
import { prisma, type Tx } from "@/lib/db/client";
import { accountRequestWhere, type Actor, NotFoundError, type TRole } from "@/lib/policy";
import { checkPostRegion, newOneTimePassword } from "./mutations";

// The second person of an account step (issue 11, finding 1). The administrator requests a business
// account, a change of post or a password reset (lib/users/mutations.ts); a business user at the
// level above (lib/policy ACCOUNT_CONFIRMER) confirms or refuses it. The scope is in the query
// (accountRequestWhere): another level's, another region's or one's own request answers "not found".
// Confirming makes the step effective in one transaction with its audit row, ends the account's
// sessions, and — for a new account or a reset — generates the one-time password, shown once to
// the confirmer, who hands it to the account's holder; the administrator never learns it.

export interface ConfirmResult {
  kind: "CREATE" | "CHANGE_POST" | "RESET_PASSWORD";
  login: string;
  oneTimePassword: string | null;
}

type Decider = Pick<Actor, "id" | "login"> | null;

async function lockPending(tx: Tx, where: object, requestId: number) {
  const request = await tx.accountRequest.findFirst({ where: { ...where, id: requestId }, include: { user: true } });
  if (!request) throw new NotFoundError("account request");
  // Of two confirmers acting at once exactly one decides.
  const claimed = await tx.accountRequest.updateMany({ where: { id: requestId, state: "PENDING" }, data: { decidedAt: new Date() } });
  if (claimed.count !== 1) throw new DomainError("users.requestDecided");
  return request;
}

async function apply(tx: Tx, decider: Decider, requestId: number, where: object, via: "portal" | "cli"): Promise<ConfirmResult> {
  const request = await lockPending(tx, where, requestId);
  const now = new Date();
  let oneTimePassword: string | null = null;
  if (request.kind === "CHANGE_POST") {
    await checkPostRegion(tx, request.role as TRole, request.regionCode);
    await tx.userPost.updateMany({ where: { userId: request.userId, endedAt: null }, data: { endedAt: now } });
    await tx.userPost.create({ data: { userId: request.userId, role: request.role, regionCode: request.regionCode, changedById: request.requestedById } });
    await tx.user.update({ where: { id: request.userId }, data: { role: request.role, regionCode: request.regionCode, sessionVersion: { increment: 1 } } });
  } else {
    oneTimePassword = newOneTimePassword();
    const passwordHash = await hashPassword(oneTimePassword);
    if (request.kind === "CREATE") {
      await checkPostRegion(tx, request.role as TRole, request.regionCode);
      await tx.userPost.create({ data: { userId: request.userId, role: request.role, regionCode: request.regionCode, changedById: request.requestedById } });
      await tx.user.update({ where: { id: request.userId }, data: { passwordHash, mustChangePassword: true, confirmedAt: now, role: request.role, regionCode: request.regionCode, sessionVersion: { increment: 1 } } });
    } else {
      await tx.user.update({ where: { id: request.userId }, data: { passwordHash, mustChangePassword: true, sessionVersion: { increment: 1 } } });
    }
  }
  await tx.accountRequest.update({ where: { id: requestId }, data: { state: "CONFIRMED", decidedById: decider?.id ?? null, decidedAt: now } });
  await writeAudit(
    decider,
    { action: "user.confirm-request", entity: "user", entityId: String(request.userId), regionCode: request.regionCode, detail: { requestId, kind: request.kind, login: request.user.login, role: request.role, regionCode: request.regionCode, requestedById: request.requestedById, via } },
    tx,
  );
  return { kind: request.kind, login: request.user.login, oneTimePassword };
}

/** Confirms a pending account step in the actor's scope. */
export async function confirmAccountRequest(actor: Actor, requestId: number): Promise<ConfirmResult> {
  const where = accountRequestWhere(actor);
  const result = await prisma().$transaction((tx) => apply(tx, actor, requestId, where, "portal"));
  if (result.kind === "RESET_PASSWORD") await clearAccount(result.login);
  return result;
}

/** Refuses a pending account step in the actor's scope; nothing changes on the account. */
export async function refuseAccountRequest(actor: Actor, requestId: number): Promise<void> {
  const where = accountRequestWhere(actor);
  await prisma().$transaction(async (tx) => {
    const request = await lockPending(tx, where, requestId);
    await tx.accountRequest.update({ where: { id: requestId }, data: { state: "REFUSED", decidedById: actor.id, decidedAt: new Date() } });
    if (request.kind === "CREATE") await tx.user.update({ where: { id: request.userId }, data: { active: false } });
    await writeAudit(actor, { action: "user.refuse-request", entity: "user", entityId: String(request.userId), regionCode: request.regionCode, detail: { requestId, kind: request.kind, login: request.user.login, role: request.role, regionCode: request.regionCode } }, tx);
  });
}

/** Pending account steps the actor may decide (scoped in the query). */
export async function listPendingAccountRequests(actor: Actor) {
  const requests = await prisma().accountRequest.findMany({
    where: accountRequestWhere(actor),
    orderBy: { requestedAt: "asc" },
    select: {
      id: true,
      kind: true,
      role: true,
      regionCode: true,
      requestedAt: true,
      user: { select: { login: true, realName: true, role: true, regionCode: true, confirmedAt: true, region: { select: { name: true } } } },
    },
  });
  // The requested post's region by name (never a bare code on the page).
  const regions = await prisma().region.findMany({ where: { code: { in: [...new Set(requests.map((r) => r.regionCode))] } }, select: { code: true, name: true } });
  const nameOf = new Map(regions.map((r) => [r.code, r.name]));
  return requests.map((r) => ({ ...r, regionName: nameOf.get(r.regionCode) ?? null }));
}

/**
 * Bootstrap (npm run cli -- confirm-account): the first business accounts of a new installation have
 * no one above them who could confirm. The CLI — run by whoever operates the server, not through the
 * portal — confirms a request only when no active, confirmed account could confirm it in the portal.
 */
export async function confirmAccountRequestBootstrap(requestId: number): Promise<ConfirmResult> {
  return prisma().$transaction(async (tx) => {
    const request = await tx.accountRequest.findFirst({ where: { id: requestId, state: "PENDING" } });
    if (!request) throw new DomainError("users.requestDecided");
    const confirmers = await tx.user.findMany({ where: { role: request.confirmerRole, active: true, confirmedAt: { not: null }, id: { not: request.userId } }, select: { regionCode: true } });
    const inScope = confirmers.some((u) => u.regionCode && request.regionCode.startsWith(u.regionCode));
    if (inScope) throw new DomainError("users.confirmerExists");
    return apply(tx, null, requestId, { state: "PENDING" }, "cli");
  });
}
