import { DomainError } from "@/lib/auth/action";
import { auditRecord, writeAudit } from "@/lib/audit/log";
import type pg from "pg";
import type { Tx } from "@/lib/db/client";
import { type Actor, requireInScope, requireTaskAccess } from "@/lib/policy";
import { findTransition, OPEN_STATES, TASK_CREATIONS, type Transition, type TTaskCreation, type TTaskEvent, type TTaskState } from "./workflow";

// Applies one transition of the state machine to a task, inside the caller's transaction:
// refuses a transition the table does not have, checks the actor's permission on the task's region
// (and team, for surveyors), and updates with an optimistic version check, so that of two reviewers
// acting on the same record at once exactly one succeeds and the other is told it changed.

export interface TaskRef {
  id: number;
  state: TTaskState;
  version: number;
  regionCode: string;
  idNumber: string;
  memberIds: number[] | null;
}

const LOAD_TASK_SQL = `
    SELECT t.id, t.state::text AS state, t.version, t.region_code AS "regionCode", t.id_number AS "idNumber", team.member_ids AS "memberIds"
    FROM survey_task t LEFT JOIN survey_team team ON team.id = t.team_id
    WHERE t.id = $1::int`;

/** Loads a task with what the policy needs (its version is checked again by the update that changes it). */
export async function loadTask(tx: Tx, taskId: number): Promise<TaskRef | null> {
  const rows = await tx.$queryRawUnsafe<TaskRef[]>(LOAD_TASK_SQL, taskId);
  return rows[0] ?? null;
}

/** loadTask through a pg pool or client (for applyTransitionChain). */
export async function loadTaskWith(db: pg.Pool | pg.PoolClient, taskId: number): Promise<TaskRef | null> {
  const { rows } = await db.query<TaskRef>(LOAD_TASK_SQL, [taskId]);
  return rows[0] ?? null;
}

/** The checks of a transition that need no database, in their order; returns the transition. */
function checkTransition(actor: Actor, task: TaskRef, event: TTaskEvent, expectedVersion: number | undefined): Transition {
  // Scope first: a task outside the actor's region (or team) answers "not found" whatever its
  // version or state, so that "changed by someone else" or "not allowed in this state" cannot tell
  // a prober that it exists.
  requireTaskAccess(actor, "task:view", task);
  // A stale view next: whoever acted on a record the user has not seen yet changed it.
  if (expectedVersion !== undefined && expectedVersion !== task.version) throw new DomainError("review.err.changedBySomeoneElse");
  const transition = findTransition(task.state, event);
  if (!transition) throw new DomainError("review.err.invalidTransition", { from: task.state, event });
  requireTaskAccess(actor, transition.permission, task);
  return transition;
}

export async function applyTransition(
  tx: Tx,
  actor: Actor,
  task: TaskRef,
  event: TTaskEvent,
  opts: { expectedVersion?: number; comment?: string; data?: Record<string, unknown> } = {},
): Promise<{ to: TTaskState; version: number }> {
  const transition = checkTransition(actor, task, event, opts.expectedVersion);
  // Four eyes (四眼原则): whoever filled the form never approves it, at either level.
  if (event === "approve" && (await fillerIds(tx, task.id)).includes(actor.id)) throw new DomainError("review.err.ownWork");
  if (transition.needsComment && !opts.comment?.trim()) throw new DomainError(event === "return" ? "review.err.returnReason" : "review.err.commentRequired", undefined, "comment");
  const expected = opts.expectedVersion ?? task.version;
  const updated = await tx.surveyTask.updateMany({
    where: { id: task.id, version: expected, state: task.state },
    data: { state: transition.to, version: { increment: 1 }, ...(opts.data ?? {}) },
  });
  if (updated.count !== 1) throw new DomainError("review.err.changedBySomeoneElse");
  await tx.taskEvent.create({ data: { taskId: task.id, event, fromState: task.state, toState: transition.to, actorId: actor.id, comment: opts.comment?.trim() || null } });
  await writeAudit(actor, { action: `task.${event}`, entity: "survey_task", entityId: String(task.id), regionCode: task.regionCode, reason: opts.comment, detail: { from: task.state, to: transition.to, idNumber: task.idNumber } }, tx);
  const next = { ...task, state: transition.to, version: expected + 1 };
  Object.assign(task, next);
  return { to: transition.to, version: expected + 1 };
}

/**
 * Several transitions of one task in a row (the form's save_draft then submit), each checked as
 * applyTransition checks it, written by ONE SQL statement (one round trip, one commit, nothing
 * half-written): one update of the task to the last state — checked against the version and state
 * it was loaded with, its version raised by one per step as step-by-step updates would — and per
 * step the task_event and the audit row applyTransition writes. `more` adds data-modifying CTEs
 * (given a function that binds a parameter and returns its placeholder) that select from `moved`
 * (the task's `id`), so they run only when the update did. Approvals are not chained (their four-
 * eyes check reads the database), nor steps that need a comment.
 */
export async function applyTransitionChain(
  db: pg.Pool | pg.PoolClient,
  actor: Actor,
  task: TaskRef,
  events: TTaskEvent[],
  opts: { expectedVersion: number },
  more: (param: (value: unknown) => string) => string[] = () => [],
): Promise<{ to: TTaskState; version: number }> {
  const steps: { event: TTaskEvent; from: TTaskState; to: TTaskState }[] = [];
  let at = { ...task };
  for (const event of events) {
    const transition = checkTransition(actor, at, event, steps.length === 0 ? opts.expectedVersion : undefined);
    if (event === "approve") throw new Error("applyTransitionChain: approvals go through applyTransition (four eyes)");
    if (transition.needsComment) throw new DomainError("review.err.commentRequired", undefined, "comment");
    steps.push({ event, from: at.state, to: transition.to });
    at = { ...at, state: transition.to, version: at.version + 1 };
  }
  if (steps.length === 0) throw new Error("applyTransitionChain: no transition");
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const audit = steps.map((s, n) => ({
    n,
    ...auditRecord(actor, { action: `task.${s.event}`, entity: "survey_task", entityId: String(task.id), regionCode: task.regionCode, detail: { from: s.from, to: s.to, idNumber: task.idNumber } }),
  }));
  const sql = `WITH moved AS (
      UPDATE survey_task SET state = ${param(at.state)}::"SurveyTaskState", version = version + ${param(steps.length)}::int, updated_at = now()
       WHERE id = ${param(task.id)}::int AND version = ${param(opts.expectedVersion)}::int AND state = ${param(task.state)}::"SurveyTaskState"
      RETURNING id
    ), events AS (
      INSERT INTO task_event (task_id, event, from_state, to_state, actor_id, comment)
      SELECT moved.id, e.event, e.from_state::"SurveyTaskState", e.to_state::"SurveyTaskState", ${param(actor.id)}::int, NULL
        FROM moved, jsonb_to_recordset(${param(JSON.stringify(steps.map((s, n) => ({ n, event: s.event, from_state: s.from, to_state: s.to }))))}::jsonb)
             AS e(n int, event text, from_state text, to_state text)
       ORDER BY e.n
    ), audit AS (
      INSERT INTO audit_log (user_id, user_login, action, entity, entity_id, region_code, reason, detail)
      SELECT a."userId", a."userLogin", a.action, a.entity, a."entityId", a."regionCode", a.reason, a.detail
        FROM moved, jsonb_to_recordset(${param(JSON.stringify(audit))}::jsonb)
             AS a(n int, "userId" int, "userLogin" text, action text, entity text, "entityId" text, "regionCode" text, reason text, detail jsonb)
       ORDER BY a.n
    )${more(param)
      .map((cte, i) => `, more${i} AS (${cte})`)
      .join("")}
    SELECT count(*)::int AS n FROM moved`;
  const { rows } = await db.query<{ n: number }>(sql, params);
  // Moved meanwhile (another version or state): nothing was written.
  if (rows[0]?.n !== 1) throw new DomainError("review.err.changedBySomeoneElse");
  Object.assign(task, { state: at.state, version: opts.expectedVersion + steps.length });
  return { to: at.state, version: opts.expectedVersion + steps.length };
}

/**
 * Creates a task as TASK_CREATIONS allows (the creation's permission on the task's region, its start
 * state), with its event and audit row, inside the caller's transaction. A person with an open task
 * gets no second one.
 */
export async function createTask(
  tx: Tx,
  actor: Actor,
  creation: TTaskCreation,
  data: { idNumber: string; regionCode: string; reason: string; category: string; flags: string[]; missingSchemes: string[]; released: boolean },
  comment?: string,
): Promise<number> {
  const c = TASK_CREATIONS.find((x) => x.event === creation);
  if (!c) throw new DomainError("review.err.invalidTransition", { from: "-", event: creation });
  requireInScope(actor, c.permission, data.regionCode);
  const open = await tx.surveyTask.findFirst({ where: { idNumber: data.idNumber, state: { in: [...OPEN_STATES] } }, select: { id: true } });
  if (open) throw new DomainError("quality.err.openTaskExists", { id: open.id });
  const task = await tx.surveyTask.create({
    data: { idNumber: data.idNumber, regionCode: data.regionCode, state: c.to, reason: data.reason, category: data.category, flags: data.flags, missingSchemes: data.missingSchemes, releasedAt: data.released ? new Date() : null },
  });
  await tx.taskEvent.create({ data: { taskId: task.id, event: c.event, fromState: c.to, toState: c.to, actorId: actor.id, comment: comment?.trim() || null } });
  await writeAudit(actor, { action: `task.${c.event}`, entity: "survey_task", entityId: String(task.id), regionCode: data.regionCode, reason: comment, detail: { idNumber: data.idNumber, state: c.to } }, tx);
  return task.id;
}

/** Form-filling events: whoever did one of them on a task filled its form. */
export const FILLING_EVENTS = ["save_draft", "submit", "add_newly_found"] as const;

/**
 * Everyone who filled a task's form (saved a draft, submitted, or added the newly found person),
 * and its last editor. They may not approve it (four eyes), whatever post they hold now.
 */
export async function fillerIds(tx: Tx, taskId: number): Promise<number[]> {
  const rows = await tx.$queryRaw<{ id: number }[]>`
    SELECT actor_id AS id FROM task_event WHERE task_id = ${taskId} AND event = ANY(${[...FILLING_EVENTS]}::text[]) AND actor_id IS NOT NULL
    UNION SELECT updated_by_id FROM survey_form WHERE task_id = ${taskId} AND updated_by_id IS NOT NULL`;
  return rows.map((r) => r.id);
}
