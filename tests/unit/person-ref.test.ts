import { describe, expect, it } from "vitest";
import { makeIdNumber } from "@/lib/ids/id-number";
import { idNumberOfRef, personRef } from "@/lib/ids/person-ref";

// Issue 11 §6: URLs carry an opaque key, never the ID number.

describe("the person's URL key", () => {
  const id = makeIdNumber("320402", "19800101", 7);
  it("round-trips, is stable, and contains no part of the ID number", () => {
    const ref = personRef(id);
    expect(ref).toMatch(/^[A-Za-z0-9_-]{46}$/);
    expect(personRef(id)).toBe(ref);
    expect(idNumberOfRef(ref)).toBe(id);
    expect(ref).not.toContain(id.slice(-4));
    expect(ref).not.toContain(id.slice(0, 6));
  });
  it("two IDs differing in one digit give unrelated keys", () => {
    const other = makeIdNumber("320402", "19800101", 8);
    const [a, b] = [personRef(id), personRef(other)];
    let same = 0;
    for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
    expect(same).toBeLessThan(10);
  });
  it("a forged or altered key, the ID itself, or a malformed one decodes to nothing", () => {
    const ref = personRef(id);
    const flipped = ref.slice(0, 20) + (ref[20] === "A" ? "B" : "A") + ref.slice(21);
    for (const bad of [flipped, id, "", "%E0%A4%A", "x".repeat(46), ref + "A"]) expect(idNumberOfRef(bad)).toBeNull();
  });
});
