// Every permission in one table: what it allows and which roles hold it. lib/policy/index.ts checks
// it; tests/unit/policy.test.ts enumerates it. The system administrator holds no business permission
// and sees no personal data (separation of duties: seed 000 §六, seed 003 第十八条).

export const ROLES = ["CITY_STAFF", "DISTRICT_REVIEWER", "STREET_CLERK", "COMMUNITY_SURVEYOR", "SYSTEM_ADMIN", "AUDITOR"] as const;
export type TRole = (typeof ROLES)[number];

export const PERMISSIONS = {
  "region:view": { description: "see a region's page and its aggregate counts", roles: ["CITY_STAFF", "DISTRICT_REVIEWER", "STREET_CLERK", "COMMUNITY_SURVEYOR"] },
  "person:view": { description: "see persons' personal data (masked in lists)", roles: ["CITY_STAFF", "DISTRICT_REVIEWER", "STREET_CLERK", "COMMUNITY_SURVEYOR"] },
  "import:run": { description: "import source data files", roles: ["CITY_STAFF"] },
  "comparison:run": { description: "start a comparison run", roles: ["CITY_STAFF"] },
  "comparison:view": { description: "see comparison runs and results", roles: ["CITY_STAFF", "DISTRICT_REVIEWER", "STREET_CLERK"] },
  "export:run": { description: "export person lists", roles: ["CITY_STAFF", "DISTRICT_REVIEWER", "STREET_CLERK"] },
  "task:assign-street": { description: "distribute survey tasks to streets", roles: ["DISTRICT_REVIEWER"] },
  "task:assign-community": { description: "assign survey tasks to communities and surveyor teams", roles: ["STREET_CLERK"] },
  "task:reopen": { description: "reopen a task closed as unreachable", roles: ["DISTRICT_REVIEWER"] },
  "task:view": { description: "see survey tasks and their progress", roles: ["CITY_STAFF", "DISTRICT_REVIEWER", "STREET_CLERK", "COMMUNITY_SURVEYOR"] },
  "survey:fill": { description: "fill and submit registration forms", roles: ["COMMUNITY_SURVEYOR", "STREET_CLERK"] },
  "review:initial": { description: "initial review (初审) of submitted forms", roles: ["STREET_CLERK"] },
  "review:final": { description: "final review (审定) into the registry", roles: ["DISTRICT_REVIEWER"] },
  "change:request": { description: "propose a change of a person's basic data (变更登记)", roles: ["STREET_CLERK", "COMMUNITY_SURVEYOR"] },
  "change:approve-basic": { description: "approve name, gender, ethnicity and address changes", roles: ["STREET_CLERK"] },
  "change:approve-sensitive": { description: "approve ID number, birth date and hukou type changes after the street", roles: ["DISTRICT_REVIEWER"] },
  "stats:view": { description: "statistics dashboard of the own region (统计分析)", roles: ["CITY_STAFF", "DISTRICT_REVIEWER", "STREET_CLERK", "COMMUNITY_SURVEYOR"] },
  "stats:report": { description: "write and submit (报送) the district's analysis report (分析报告) to the city", roles: ["DISTRICT_REVIEWER"] },
  "task:progress": { description: "survey progress by region (/tasks)", roles: ["CITY_STAFF", "DISTRICT_REVIEWER", "STREET_CLERK"] },
  "admin:users": { description: "manage user accounts, posts and passwords", roles: ["SYSTEM_ADMIN"] },
  "admin:regions": { description: "see the region tree for administration", roles: ["SYSTEM_ADMIN"] },
  "audit:view": { description: "read the audit log", roles: ["AUDITOR"] },
  "outreach:view": { description: "see the outreach ledger (工作台账) of persons to mobilise, with contact data (masked above the street)", roles: ["CITY_STAFF", "DISTRICT_REVIEWER", "STREET_CLERK", "COMMUNITY_SURVEYOR"] },
  "outreach:record": { description: "record contacts with persons of the outreach ledger", roles: ["STREET_CLERK", "COMMUNITY_SURVEYOR"] },
  "outcomes:employers": { description: "see the employers for labour inspection (劳动保障监察) and the persons behind them, masked", roles: ["CITY_STAFF", "DISTRICT_REVIEWER"] },
  "outcomes:employers-export": { description: "export the employers' persons with full personal data for the inspection authority, stating a reason", roles: ["CITY_STAFF", "DISTRICT_REVIEWER"] },
  "quality:spot-check": { description: "draw quality spot checks (质量抽查) of the district's survey records and record their re-verification", roles: ["DISTRICT_REVIEWER"] },
  "quality:view": { description: "see quality spot checks and their pass rates", roles: ["CITY_STAFF", "DISTRICT_REVIEWER"] },
  "assessment:view": { description: "see the district assessment (考核) ranking and bulletin", roles: ["CITY_STAFF", "DISTRICT_REVIEWER"] },
  "assessment:settings": { description: "set survey deadlines and assessment indicator weights", roles: ["CITY_STAFF"] },
  "account:confirm": { description: "confirm or refuse account steps the administrator requested for posts below (ACCOUNT_CONFIRMER)", roles: ["CITY_STAFF", "DISTRICT_REVIEWER", "STREET_CLERK"] },
} as const satisfies Record<string, { description: string; roles: readonly TRole[] }>;

export type TPermission = keyof typeof PERMISSIONS;

export function roleHas(role: TRole, permission: TPermission): boolean {
  return (PERMISSIONS[permission].roles as readonly TRole[]).includes(role);
}

/** Which administrative level each role's region must be at (null: no region). */
export const ROLE_LEVEL: Record<TRole, "CITY" | "DISTRICT" | "STREET" | "COMMUNITY" | null> = {
  CITY_STAFF: "CITY",
  DISTRICT_REVIEWER: "DISTRICT",
  STREET_CLERK: "STREET",
  COMMUNITY_SURVEYOR: "COMMUNITY",
  SYSTEM_ADMIN: null,
  AUDITOR: "CITY",
};

/**
 * Who confirms an account step for a post (issue 11, finding 1): a new business account, a change to
 * the post, a password reset of its holder take effect only when a business user of this role, whose
 * region contains the post's region, confirms — the level above. City staff and auditor posts sit at
 * the top, so another city staff member of the city confirms them (never the account itself). The
 * system administrator holds no post and is confirmed by nobody: admin accounts carry no business right.
 */
export const ACCOUNT_CONFIRMER: Record<TRole, TRole | null> = {
  CITY_STAFF: "CITY_STAFF",
  AUDITOR: "CITY_STAFF",
  DISTRICT_REVIEWER: "CITY_STAFF",
  STREET_CLERK: "DISTRICT_REVIEWER",
  COMMUNITY_SURVEYOR: "STREET_CLERK",
  SYSTEM_ADMIN: null,
};
