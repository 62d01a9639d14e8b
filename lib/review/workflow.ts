import type { TPermission } from "@/lib/policy";

// The survey task state machine (domain.md "Survey task states"), as data: one row per allowed
// transition. Nothing else may change a task's state: lib/review/transition.ts reads this table,
// and tests/unit/workflow.test.ts enumerates it (every allowed and every forbidden pair).
//
// PENDING → ASSIGNED → DRAFT → SUBMITTED → STREET_APPROVED → DISTRICT_APPROVED (= in the registry);
// SUBMITTED / STREET_APPROVED → RETURNED (with a comment) → DRAFT; ASSIGNED / DRAFT / RETURNED →
// UNREACHABLE after repeated failed visits, which the district can reopen. SETTLED is set only by
// a comparison run (lib/comparison), never by a user.

export const TASK_STATES = ["PENDING", "ASSIGNED", "DRAFT", "SUBMITTED", "STREET_APPROVED", "DISTRICT_APPROVED", "RETURNED", "UNREACHABLE", "SETTLED"] as const;
export type TTaskState = (typeof TASK_STATES)[number];

export const TASK_EVENTS = ["release", "assign", "save_draft", "submit", "approve", "return", "close_unreachable", "reopen"] as const;
export type TTaskEvent = (typeof TASK_EVENTS)[number];

export interface Transition {
  from: TTaskState;
  event: TTaskEvent;
  to: TTaskState;
  /** The permission the actor needs, checked with the task's region by lib/policy. */
  permission: TPermission;
  /** A comment is required (returns, closing as unreachable). */
  needsComment?: boolean;
}

export const TRANSITIONS: readonly Transition[] = [
  // 区 → 街道: the district releases published tasks to their street (the state stays PENDING).
  { from: "PENDING", event: "release", to: "PENDING", permission: "task:assign-street" },
  // 街道 → 社区/调查小组
  { from: "PENDING", event: "assign", to: "ASSIGNED", permission: "task:assign-community" },
  { from: "ASSIGNED", event: "assign", to: "ASSIGNED", permission: "task:assign-community" },
  // 入户登记
  { from: "ASSIGNED", event: "save_draft", to: "DRAFT", permission: "survey:fill" },
  { from: "DRAFT", event: "save_draft", to: "DRAFT", permission: "survey:fill" },
  { from: "RETURNED", event: "save_draft", to: "DRAFT", permission: "survey:fill" },
  { from: "DRAFT", event: "submit", to: "SUBMITTED", permission: "survey:fill" },
  // 街道初审
  { from: "SUBMITTED", event: "approve", to: "STREET_APPROVED", permission: "review:initial" },
  { from: "SUBMITTED", event: "return", to: "RETURNED", permission: "review:initial", needsComment: true },
  // 区审定 (入库)
  { from: "STREET_APPROVED", event: "approve", to: "DISTRICT_APPROVED", permission: "review:final" },
  { from: "STREET_APPROVED", event: "return", to: "RETURNED", permission: "review:final", needsComment: true },
  // 无法联系
  { from: "ASSIGNED", event: "close_unreachable", to: "UNREACHABLE", permission: "survey:fill", needsComment: true },
  { from: "DRAFT", event: "close_unreachable", to: "UNREACHABLE", permission: "survey:fill", needsComment: true },
  { from: "RETURNED", event: "close_unreachable", to: "UNREACHABLE", permission: "survey:fill", needsComment: true },
  { from: "UNREACHABLE", event: "reopen", to: "ASSIGNED", permission: "task:reopen" },
];

/** Failed visits (nobody home, not found) needed before a task may be closed as unreachable. */
export const MIN_FAILED_VISITS = 2;

/** States in which the form may be edited. */
export const EDITABLE_STATES: readonly TTaskState[] = ["ASSIGNED", "DRAFT", "RETURNED"];

export function findTransition(from: TTaskState, event: TTaskEvent): Transition | undefined {
  return TRANSITIONS.find((t) => t.from === from && t.event === event);
}

/**
 * Tasks created by a user rather than by a comparison run (lib/comparison/sql/08-task-rows.sql): the
 * event recorded, the state the task starts in and the permission needed on its region. Created only
 * by lib/review/transition.ts createTask, and only when the person has no open task.
 * spot_check_reopen: a district's quality spot check (lib/quality) found a registered record
 * inconsistent; the new task goes to the person's community for a new survey, released to the street.
 */
export const TASK_CREATIONS = [{ event: "spot_check_reopen", to: "PENDING", permission: "quality:spot-check" }] as const satisfies readonly { event: string; to: TTaskState; permission: TPermission }[];
export type TTaskCreation = (typeof TASK_CREATIONS)[number]["event"];

/** Tasks not yet decided (as comparison-rules.md §6 / 08-tasks.sql count them). */
export const OPEN_STATES: readonly TTaskState[] = ["PENDING", "ASSIGNED", "DRAFT", "SUBMITTED", "STREET_APPROVED", "RETURNED"];
