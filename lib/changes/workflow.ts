import type { TPermission } from "@/lib/policy";

// The change-request state machine (变更登记, seed 003 第十二条), as data. lib/changes/mutations.ts
// reads this table and tests/integration/changes.test.ts enumerates it.
//
// basic:     SUBMITTED ─street approve→ APPROVED (applied to the registry)
// sensitive: SUBMITTED ─street approve (初审)→ STREET_APPROVED ─district approve (审批)→ APPROVED
// either:    SUBMITTED ─street return→ RETURNED;  STREET_APPROVED ─district return→ RETURNED
// RETURNED and APPROVED are final: a returned request is corrected by submitting a new one.

export const CHANGE_STATES = ["SUBMITTED", "STREET_APPROVED", "APPROVED", "RETURNED"] as const;
export type TChangeState = (typeof CHANGE_STATES)[number];
export type TChangeEvent = "approve" | "return";

export interface ChangeTransition {
  from: TChangeState;
  event: TChangeEvent;
  /** Applies to basic-only requests (false), requests with a sensitive field (true), or both. */
  sensitive: boolean | "any";
  to: TChangeState;
  permission: TPermission;
  needsComment?: boolean;
}

export const CHANGE_TRANSITIONS: readonly ChangeTransition[] = [
  { from: "SUBMITTED", event: "approve", sensitive: false, to: "APPROVED", permission: "change:approve-basic" },
  { from: "SUBMITTED", event: "approve", sensitive: true, to: "STREET_APPROVED", permission: "change:approve-basic" },
  { from: "SUBMITTED", event: "return", sensitive: "any", to: "RETURNED", permission: "change:approve-basic", needsComment: true },
  { from: "STREET_APPROVED", event: "approve", sensitive: true, to: "APPROVED", permission: "change:approve-sensitive" },
  { from: "STREET_APPROVED", event: "return", sensitive: true, to: "RETURNED", permission: "change:approve-sensitive", needsComment: true },
];

export function findChangeTransition(from: TChangeState, event: TChangeEvent, sensitive: boolean): ChangeTransition | undefined {
  return CHANGE_TRANSITIONS.find((t) => t.from === from && t.event === event && (t.sensitive === "any" || t.sensitive === sensitive));
}

/** The permission that decides on a request in `state` (for lists and for showing the buttons). */
export function deciderPermission(state: TChangeState, sensitive: boolean): TPermission | null {
  return findChangeTransition(state, "approve", sensitive)?.permission ?? null;
}
