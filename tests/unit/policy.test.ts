import { describe, expect, it } from "vitest";
import { type Actor, can, PERMISSIONS, ROLES, scopePrefix, type TPermission, type TRole } from "@/lib/policy";

// Each role, at a post in the demo city, against its own region, a child, a sibling and its parent.
const POSTS: Record<TRole, { own: string | null; child: string | null; sibling: string | null; parent: string | null }> = {
  CITY_STAFF: { own: "3204", child: "320402", sibling: "3205", parent: "32" },
  AUDITOR: { own: "3204", child: "320402", sibling: "3205", parent: "32" },
  DISTRICT_REVIEWER: { own: "320402", child: "320402002", sibling: "320404", parent: "3204" },
  STREET_CLERK: { own: "320402002", child: "320402002001", sibling: "320402004", parent: "320402" },
  COMMUNITY_SURVEYOR: { own: "320402002001", child: null, sibling: "320402002002", parent: "320402002" },
  SYSTEM_ADMIN: { own: null, child: null, sibling: "320402", parent: "3204" },
};

function actor(role: TRole): Actor {
  return { id: 1, login: role, role, regionCode: POSTS[role].own };
}

const permissions = Object.keys(PERMISSIONS) as TPermission[];

describe("policy: role × region", () => {
  for (const role of ROLES) {
    describe(role, () => {
      const held = permissions.filter((p) => (PERMISSIONS[p].roles as readonly string[]).includes(role));
      const notHeld = permissions.filter((p) => !held.includes(p));
      const { own, child, sibling, parent } = POSTS[role];
      for (const p of held) {
        if (own) it(`may ${p} in its own region`, () => expect(can(actor(role), p, own)).toBe(true));
        if (child) it(`may ${p} in a child region`, () => expect(can(actor(role), p, child)).toBe(true));
        if (sibling) it(`may not ${p} in a sibling region`, () => expect(can(actor(role), p, sibling)).toBe(false));
        if (parent) it(`may not ${p} in its parent region`, () => expect(can(actor(role), p, parent)).toBe(false));
      }
      for (const p of notHeld) {
        it(`may not ${p} anywhere, not even in its own region`, () => {
          expect(can(actor(role), p)).toBe(false);
          if (own) expect(can(actor(role), p, own)).toBe(false);
        });
      }
    });
  }
});

describe("separation of duties", () => {
  it("the system administrator holds no business permission and cannot see persons", () => {
    const business = permissions.filter((p) => !p.startsWith("admin:"));
    for (const p of business) expect(can(actor("SYSTEM_ADMIN"), p)).toBe(false);
  });
  it("the auditor can only read the audit log", () => {
    expect(permissions.filter((p) => can(actor("AUDITOR"), p))).toEqual(["audit:view"]);
  });
  it("no query can be scoped for a role without the permission", () => {
    expect(() => scopePrefix(actor("SYSTEM_ADMIN"), "person:view")).toThrow();
    expect(scopePrefix(actor("STREET_CLERK"), "person:view")).toBe("320402002");
  });
  it("a record with no region is outside every scope", () => {
    expect(can(actor("CITY_STAFF"), "person:view", null)).toBe(false);
  });
});
