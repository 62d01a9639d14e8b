import { DomainError } from "@/lib/auth/action";
import { writeAudit } from "@/lib/audit/log";
import { pool, prisma, type Tx } from "@/lib/db/client";
import { validateIdNumber } from "@/lib/ids/id-number";
import { type Actor, NotFoundError, requireInScope, requirePermission, requireTaskAccess, scopePrefix } from "@/lib/policy";
import { applyTransition, applyTransitionChain, loadTask, loadTaskWith } from "@/lib/review/transition";
import { findTransition, MIN_FAILED_VISITS } from "@/lib/review/workflow";
import { DraftRefused, FAILED_OUTCOMES, parseDraft, type TNewPerson, type TSurveyForm, ZSurveyForm } from "./schema";

// Survey work: release to streets, teams, assignment, drafts, submission, visits, unreachable,
// newly found persons. Each use case is one transaction with its audit row.

/** 区 → 街道: releases the district's published tasks (optionally one street's) to their streets. */
export async function releaseToStreets(actor: Actor, streetCode?: string): Promise<number> {
  const prefix = scopePrefix(actor, "task:assign-street");
  const target = streetCode ?? prefix;
  requireInScope(actor, "task:assign-street", target);
  if (!findTransition("PENDING", "release")) throw new DomainError("review.err.invalidTransition");
  return prisma().$transaction(async (tx) => {
    const released = await tx.$queryRaw<{ id: number }[]>`
      UPDATE survey_task SET released_at = now(), version = version + 1, updated_at = now()
      WHERE state = 'PENDING' AND released_at IS NULL AND region_code LIKE ${target + "%"}
      RETURNING id`;
    if (released.length > 0) {
      await tx.$executeRaw`
        INSERT INTO task_event (task_id, event, from_state, to_state, actor_id)
        SELECT unnest(${released.map((r) => r.id)}::int[]), 'release', 'PENDING', 'PENDING', ${actor.id}`;
    }
    await writeAudit(actor, { action: "task.release", entity: "region", entityId: target, regionCode: target, detail: { tasks: released.length } }, tx);
    return released.length;
  });
}

/** 调查小组: 2–3 active surveyors of one community in the clerk's street. */
export async function createTeam(actor: Actor, input: { communityCode: string; name: string; memberIds: number[] }): Promise<number> {
  requireInScope(actor, "task:assign-community", input.communityCode);
  const members = [...new Set(input.memberIds)];
  if (members.length < 2 || members.length > 3) throw new DomainError("survey.err.teamSize", undefined, "memberIds");
  return prisma().$transaction(async (tx) => {
    const ok = await tx.user.count({ where: { id: { in: members }, role: "COMMUNITY_SURVEYOR", active: true, regionCode: input.communityCode } });
    if (ok !== members.length) throw new DomainError("survey.err.teamMembers", undefined, "memberIds");
    const team = await tx.surveyTeam.create({ data: { communityCode: input.communityCode, name: input.name, memberIds: members, createdById: actor.id } });
    await writeAudit(actor, { action: "team.create", entity: "survey_team", entityId: String(team.id), regionCode: input.communityCode, detail: { memberIds: members } }, tx);
    return team.id;
  });
}

/**
 * 街道 → 调查小组: assigns released tasks of the team's community to the team, in one statement
 * (a community can hold hundreds): every task moves PENDING/ASSIGNED → ASSIGNED as the transition
 * table allows, with its version raised and its event row, and one audit row for the assignment.
 */
export async function assignTasks(actor: Actor, input: { teamId: number; taskIds?: number[] }): Promise<number> {
  requirePermission(actor, "task:assign-community");
  const from = (["PENDING", "ASSIGNED"] as const).filter((state) => findTransition(state, "assign")?.to === "ASSIGNED");
  return prisma().$transaction(async (tx) => {
    const team = await tx.surveyTeam.findUnique({ where: { id: input.teamId } });
    if (!team) throw new NotFoundError("team");
    // All tasks of one community: one policy check covers them all.
    requireInScope(actor, "task:assign-community", team.communityCode);
    const ids = input.taskIds ?? null;
    const moved = await tx.$queryRaw<{ task_id: number }[]>`
      WITH target AS (
        SELECT id, state FROM survey_task
        WHERE region_code = ${team.communityCode} AND state::text = ANY(${from}::text[]) AND released_at IS NOT NULL
          AND (${ids}::int[] IS NULL OR id = ANY(${ids}::int[]))
        ORDER BY id FOR UPDATE
      ), moved AS (
        UPDATE survey_task t SET state = 'ASSIGNED', team_id = ${team.id}, version = t.version + 1, updated_at = now()
        FROM target WHERE t.id = target.id
        RETURNING t.id, target.state AS from_state
      )
      INSERT INTO task_event (task_id, event, from_state, to_state, actor_id)
      SELECT id, 'assign', from_state, 'ASSIGNED', ${actor.id} FROM moved
      RETURNING task_id`;
    await writeAudit(actor, { action: "task.assign", entity: "survey_team", entityId: String(team.id), regionCode: team.communityCode, detail: { tasks: moved.length, taskIds: input.taskIds ?? "all released" } }, tx);
    return moved.length;
  });
}

/** Writes the form; the basic data of a newly found person (kept beside the form) survives edits. */
async function upsertForm(tx: Tx, taskId: number, data: object, actorId: number, submitted: boolean) {
  const existing = await tx.surveyForm.findUnique({ where: { taskId } });
  const newPerson = (existing?.data as { newPerson?: unknown } | undefined)?.newPerson;
  const merged = newPerson && !("newPerson" in data) ? { ...data, newPerson } : data;
  await tx.surveyForm.upsert({
    where: { taskId },
    create: { taskId, data: merged as never, updatedById: actorId, submittedAt: submitted ? new Date() : null },
    update: { data: merged as never, updatedById: actorId, updatedAt: new Date(), submittedAt: submitted ? new Date() : null },
  });
}

function checkedDraft(data: unknown) {
  try {
    return parseDraft(data);
  } catch (e) {
    if (e instanceof DraftRefused) throw new DomainError(e.key);
    throw e;
  }
}

/**
 * Saves a draft of the form (partial content of the form's own fields only: lib/survey/schema.ts
 * ZSurveyDraft, capped in size). Returns the task's new version.
 */
export async function saveDraft(actor: Actor, taskId: number, data: unknown, expectedVersion: number): Promise<number> {
  requirePermission(actor, "survey:fill");
  const draft = checkedDraft(data);
  return prisma().$transaction(async (tx) => {
    const task = await loadTask(tx, taskId);
    if (!task) throw new NotFoundError("task");
    const { version } = await applyTransition(tx, actor, task, "save_draft", { expectedVersion });
    await upsertForm(tx, taskId, draft, actor.id, false);
    return version;
  });
}

/**
 * Validates and submits the form (saving it as a draft first when it was not one yet). Two round
 * trips: the task read, then one statement (lib/review/transition.ts applyTransitionChain) that
 * moves it through save_draft and submit with their events and audit rows, stores the form as
 * upsertForm does (keeping a newly found person's basic data) and records the completed visit —
 * all of it, or nothing when the task changed since it was read.
 */
export async function submitForm(actor: Actor, taskId: number, input: unknown, expectedVersion: number): Promise<TSurveyForm> {
  const form = ZSurveyForm.parse(input);
  const db = pool();
  const task = await loadTaskWith(db, taskId);
  if (!task) throw new NotFoundError("task");
  const events = task.state === "DRAFT" ? (["submit"] as const) : (["save_draft", "submit"] as const);
  await applyTransitionChain(db, actor, task, [...events], { expectedVersion }, (param) => [
    `INSERT INTO survey_form AS f (task_id, data, updated_by_id, updated_at, submitted_at)
       SELECT moved.id, ${param(JSON.stringify(form))}::jsonb, ${param(actor.id)}::int, now(), now() FROM moved
     ON CONFLICT (task_id) DO UPDATE SET
       data = CASE WHEN COALESCE(f.data -> 'newPerson', 'null'::jsonb) <> 'null'::jsonb AND NOT (EXCLUDED.data ? 'newPerson')
                   THEN EXCLUDED.data || jsonb_build_object('newPerson', f.data -> 'newPerson') ELSE EXCLUDED.data END,
       updated_by_id = EXCLUDED.updated_by_id, updated_at = EXCLUDED.updated_at, submitted_at = EXCLUDED.submitted_at`,
    `INSERT INTO survey_visit (task_id, outcome, visited_by_id) SELECT moved.id, 'COMPLETED', ${param(actor.id)}::int FROM moved`,
  ]);
  return form;
}

/** Records a visit that did not complete the form (nobody home, refused, moved away, not found). */
export async function recordVisit(actor: Actor, taskId: number, outcome: (typeof FAILED_OUTCOMES)[number], note?: string): Promise<void> {
  await prisma().$transaction(async (tx) => {
    const task = await loadTask(tx, taskId);
    if (!task) throw new NotFoundError("task");
    // Recording a visit needs the same rights as filling the form, on an editable task.
    if (!findTransition(task.state, "save_draft")) throw new DomainError("review.err.invalidTransition", { from: task.state, event: "visit" });
    requireTaskAccess(actor, "survey:fill", task);
    await tx.surveyVisit.create({ data: { taskId, outcome, note: note || null, visitedById: actor.id } });
    await tx.surveyTask.update({ where: { id: taskId }, data: { failedVisits: { increment: 1 } } });
    await writeAudit(actor, { action: "task.visit", entity: "survey_task", entityId: String(taskId), regionCode: task.regionCode, detail: { outcome } }, tx);
  });
}

/** Closes a task as unreachable after repeated failed visits, with the reason. */
export async function closeUnreachable(actor: Actor, taskId: number, reason: string, expectedVersion: number): Promise<void> {
  await prisma().$transaction(async (tx) => {
    const task = await loadTask(tx, taskId);
    if (!task) throw new NotFoundError("task");
    const row = await tx.surveyTask.findUniqueOrThrow({ where: { id: taskId }, select: { failedVisits: true } });
    if (row.failedVisits < MIN_FAILED_VISITS) throw new DomainError("survey.err.notEnoughVisits", { n: MIN_FAILED_VISITS });
    await applyTransition(tx, actor, task, "close_unreachable", { expectedVersion, comment: reason, data: { unreachableReason: reason, closedAt: new Date() } });
  });
}

/** The district reopens a task closed as unreachable: back to its team. */
export async function reopenTask(actor: Actor, taskId: number, expectedVersion: number): Promise<void> {
  await prisma().$transaction(async (tx) => {
    const task = await loadTask(tx, taskId);
    if (!task) throw new NotFoundError("task");
    await applyTransition(tx, actor, task, "reopen", { expectedVersion, data: { failedVisits: 0, closedAt: null } });
  });
}

/**
 * 新发现人员: a person found on a visit who is not on the list. Needs a valid ID not already in the
 * registry (nor on an open task). The task goes straight to the surveyor's team, ready to fill.
 */
export async function addNewlyFoundPerson(actor: Actor, input: TNewPerson & { teamId: number }): Promise<number> {
  requirePermission(actor, "survey:fill");
  const check = validateIdNumber(input.idNumber);
  if (!check.ok) throw new DomainError("survey.err.idNumber", undefined, "idNumber");
  return prisma().$transaction(async (tx) => {
    const team = await tx.surveyTeam.findUnique({ where: { id: input.teamId } });
    if (!team) throw new NotFoundError("team");
    requireTaskAccess(actor, "survey:fill", { regionCode: team.communityCode, memberIds: team.memberIds });
    const inRegistry = await tx.person.findUnique({ where: { idNumber: check.id } });
    const openTask = await tx.surveyTask.findFirst({ where: { idNumber: check.id, state: { notIn: ["DISTRICT_APPROVED", "SETTLED"] } } });
    if (inRegistry || openTask) {
      // One neutral answer whether the person is in this team's region or anywhere else, so that
      // the form cannot be used to learn that an ID exists outside the surveyor's scope. The
      // refusal is audited (in its own write: the transaction is about to roll back), so that
      // probing shows in the log.
      await writeAudit(actor, { action: "task.add-newly-found-refused", entity: "survey_team", entityId: String(team.id), regionCode: team.communityCode, detail: { idNumber: check.id } });
      throw new DomainError("survey.err.newPersonRefused", undefined, "idNumber");
    }
    const task = await tx.surveyTask.create({
      data: { idNumber: check.id, regionCode: team.communityCode, state: "ASSIGNED", reason: "新发现人员", category: "NEWLY_FOUND", teamId: team.id, releasedAt: new Date(), newlyFound: true },
    });
    await upsertForm(tx, task.id, { newPerson: { idNumber: check.id, name: input.name, hukouAddress: input.hukouAddress ?? null } }, actor.id, false);
    await tx.taskEvent.create({ data: { taskId: task.id, event: "add_newly_found", fromState: "ASSIGNED", toState: "ASSIGNED", actorId: actor.id } });
    await writeAudit(actor, { action: "task.add-newly-found", entity: "survey_task", entityId: String(task.id), regionCode: team.communityCode, detail: { idNumber: check.id } }, tx);
    return task.id;
  });
}
