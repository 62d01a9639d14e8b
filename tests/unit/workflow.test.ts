import { describe, expect, it } from "vitest";
import { EDITABLE_STATES, findTransition, TASK_EVENTS, TASK_STATES, TRANSITIONS } from "@/lib/review/workflow";

// The allowed transitions of domain.md, written out independently of the table in lib/review/workflow.ts.
const ALLOWED: Record<string, string> = {
  "PENDING release": "PENDING",
  "PENDING assign": "ASSIGNED",
  "ASSIGNED assign": "ASSIGNED",
  "ASSIGNED save_draft": "DRAFT",
  "DRAFT save_draft": "DRAFT",
  "RETURNED save_draft": "DRAFT",
  "DRAFT submit": "SUBMITTED",
  "SUBMITTED approve": "STREET_APPROVED",
  "SUBMITTED return": "RETURNED",
  "STREET_APPROVED approve": "DISTRICT_APPROVED",
  "STREET_APPROVED return": "RETURNED",
  "ASSIGNED close_unreachable": "UNREACHABLE",
  "DRAFT close_unreachable": "UNREACHABLE",
  "RETURNED close_unreachable": "UNREACHABLE",
  "UNREACHABLE reopen": "ASSIGNED",
};

describe("survey task state machine", () => {
  for (const from of TASK_STATES) {
    for (const event of TASK_EVENTS) {
      const key = `${from} ${event}`;
      if (ALLOWED[key]) it(`${from} --${event}--> ${ALLOWED[key]} is allowed`, () => expect(findTransition(from, event)?.to).toBe(ALLOWED[key]));
      else it(`${from} --${event}--> is refused`, () => expect(findTransition(from, event)).toBeUndefined());
    }
  }
  it("has no transition beyond those of domain.md", () => {
    expect(TRANSITIONS.length).toBe(Object.keys(ALLOWED).length);
  });
  it("an approved record is locked: nothing leaves DISTRICT_APPROVED or SETTLED", () => {
    expect(TRANSITIONS.filter((t) => t.from === "DISTRICT_APPROVED" || t.from === "SETTLED")).toEqual([]);
  });
  it("returns and closing as unreachable need a comment", () => {
    for (const t of TRANSITIONS) expect(Boolean(t.needsComment)).toBe(t.event === "return" || t.event === "close_unreachable");
  });
  it("the form is editable only while assigned, in draft or returned", () => {
    expect([...EDITABLE_STATES].sort()).toEqual(["ASSIGNED", "DRAFT", "RETURNED"]);
  });
});
