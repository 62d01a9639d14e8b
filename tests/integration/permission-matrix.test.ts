import fs from "node:fs";
import path from "node:path";
import bcrypt from "bcryptjs";
import { beforeAll, describe, expect, it } from "vitest";
import { DomainError } from "@/lib/auth/action";
import { listAudit } from "@/lib/audit/queries";
import { decideChange, requestChange } from "@/lib/changes/mutations";
import { listChangeRequests } from "@/lib/changes/queries";
import { listRuns } from "@/lib/comparison/queries";
import { prisma } from "@/lib/db/client";
import { makeIdNumber } from "@/lib/ids/id-number";
import { listBatches } from "@/lib/import/queries";
import { type Actor, can, NotFoundError, PERMISSIONS, ROLE_LEVEL, ROLES, type TPermission, type TRole } from "@/lib/policy";
import { getRegionForUser } from "@/lib/regions/queries";
import { dashboard } from "@/lib/stats/dashboard";
import { submittedReports } from "@/lib/stats/analysis";
import { currentMonth, statsReport } from "@/lib/stats/report";
import { getPersonPage, listRegistry, searchPersons } from "@/lib/registry/queries";
import { listChanges } from "@/lib/changes/list";
import { listRunsPage } from "@/lib/comparison/run-list";
import { listBatchesPage } from "@/lib/import/batch-list";
import { listRegionsPage, listUsersPage } from "@/lib/users/list";
import { bulkApprove, reviewTask } from "@/lib/review/mutations";
import { queueLevel, reviewQueuePage } from "@/lib/review/queue";
import { regionProgress, regionTasks } from "@/lib/regions/progress";
import type { TTaskState } from "@/lib/review/workflow";
import { assignSelection, communityStaff, createCommunityTeam, listStreetTasks, rosterRows } from "@/lib/survey/assign";
import { addNewlyFoundPerson, closeUnreachable, recordVisit, releaseToStreets, reopenTask, saveDraft, submitForm } from "@/lib/survey/mutations";
import { printCommunityForms, printCommunitySummary, printPersonForm, printTaskForm } from "@/lib/survey/print";
import { getTaskDetail, listTasks, surveyList, taskProgress } from "@/lib/survey/queries";
import { listRegionsForAdmin, listUsers } from "@/lib/users/queries";
import { freshDatabase } from "../helpers/db";

// The permission matrix, generated (issue 11 "Done when"): every role × every operation a server
// action or page performs × the actor's own, child, sibling and parent region. The expected answer
// is not written by hand: it is lib/policy's `can(actor, permission, region of the data)` — so the
// table PERMISSIONS decides, and this test proves every operation actually asks it. A denial must
// be a refusal (not allowed / not found) or an empty answer: no data. Two coverage checks make sure
// no server action, page or permission is forgotten.

// ---------------------------------------------------------------------------------------------
// The region tree and one actor per role at its level.

const REGIONS: [string, string, string | null][] = [
  ["3204", "CITY", null],
  ["320402", "DISTRICT", "3204"],
  ["320404", "DISTRICT", "3204"],
  ["320402002", "STREET", "320402"],
  ["320402004", "STREET", "320402"],
  ["320404001", "STREET", "320404"],
  ["320402002001", "COMMUNITY", "320402002"],
  ["320402002002", "COMMUNITY", "320402002"],
  ["320402004001", "COMMUNITY", "320402004"],
  ["320404001001", "COMMUNITY", "320404001"],
];
const parentOf = new Map(REGIONS.map(([c, , p]) => [c, p]));
const COMMUNITIES = REGIONS.filter(([, l]) => l === "COMMUNITY").map(([c]) => c);
const HOME: Record<TRole, string | null> = { CITY_STAFF: "3204", AUDITOR: "3204", DISTRICT_REVIEWER: "320402", STREET_CLERK: "320402002", COMMUNITY_SURVEYOR: "320402002001", SYSTEM_ADMIN: null };

const RELATIONS = ["own", "child", "sibling", "parent"] as const;
type Relation = (typeof RELATIONS)[number];

/** The region the data lies in, for an actor at `home` and a relation (null: no such region). */
function targetRegion(home: string | null, relation: Relation): string | null {
  if (!home) return relation === "own" ? "320402002001" : null; // no home: try someone's data anyway
  if (relation === "own") return home;
  if (relation === "child") return REGIONS.find(([, , p]) => p === home)?.[0] ?? null;
  const parent = parentOf.get(home) ?? null;
  if (relation === "parent") return parent;
  return REGIONS.find(([c, , p]) => p === parent && c !== home && parent !== null)?.[0] ?? null;
}

/** A community inside `region` and, for the parent relation, outside the actor's own region. */
function communityIn(region: string, notUnder: string | null): string {
  const found = COMMUNITIES.find((c) => c.startsWith(region) && !(notUnder && c.startsWith(notUnder)));
  if (!found) throw new Error(`no community in ${region}`);
  return found;
}

const actors = {} as Record<TRole, Actor>;
/** Surveyors per community (two each), who form each community's team. */
const surveyors = new Map<string, number[]>();
const teams = new Map<string, number>();
let requester: Actor;

// ---------------------------------------------------------------------------------------------
// Fixtures: fresh records in a community, in the state an operation needs.

let seq = 0;
async function personIn(community: string) {
  const idNumber = makeIdNumber(community.slice(0, 6), "19750101", seq++);
  return prisma().person.create({ data: { idNumber, name: `人员${seq}`, hukouRegionCode: community, surveyRegionCode: community, status: "NEEDS_SURVEY" } });
}
const FORM = { employment: "UNEMPLOYED", mobile: "13912345678", pension: "RESIDENT", medical: "RESIDENT", surveyors: ["甲", "乙"] };
async function taskIn(community: string, state: TTaskState, extra: { failedVisits?: number; released?: boolean } = {}) {
  const p = await personIn(community);
  const task = await prisma().surveyTask.create({
    data: { idNumber: p.idNumber, regionCode: community, state, reason: "未参保", category: "NOT_INSURED", releasedAt: extra.released === false ? null : new Date(), teamId: state === "PENDING" ? null : teams.get(community)!, failedVisits: extra.failedVisits ?? 0 },
  });
  if (["DRAFT", "SUBMITTED", "STREET_APPROVED"].includes(state)) await prisma().surveyForm.create({ data: { taskId: task.id, data: FORM } });
  return task;
}
async function changeIn(community: string, sensitive: boolean) {
  const p = await personIn(community);
  const id = await requestChange({ ...requester, regionCode: "3204", role: "STREET_CLERK" }, sensitive ? { personId: p.idNumber, birthDate: "1975-02-02", evidence: "证明" } : { personId: p.idNumber, name: "新名", evidence: "证明" });
  if (sensitive) await prisma().changeRequest.update({ where: { id }, data: { state: "STREET_APPROVED", version: { increment: 1 } } });
  return prisma().changeRequest.findUniqueOrThrow({ where: { id } });
}

// ---------------------------------------------------------------------------------------------
// The operations: what each server action and page does, run against data in region `r`.
// `empty` says whether a read's answer holds no data (a denial may answer so instead of refusing).

interface Operation {
  /** The permission it needs; with several, any one of them (in the data's region) suffices. */
  permission: TPermission | TPermission[];
  /** "region": r is a region code the call names; "record": r is where the record lies (a community); "role": no region. */
  scope: "region" | "record" | "role";
  run: (actor: Actor, r: string) => Promise<unknown>;
  empty?: (answer: unknown) => boolean;
}

const OPERATIONS: Record<string, Operation> = {
  // 调查任务 (lib/survey/actions.ts, /tasks)
  "task.release": { permission: "task:assign-street", scope: "region", run: (a, r) => releaseToStreets(a, r.length >= 9 ? r.slice(0, 9) : r) },
  "task.createTeam": { permission: "task:assign-community", scope: "record", run: (a, r) => createCommunityTeam(a, { communityCode: r, name: "新组", memberIds: surveyors.get(r)! }) },
  "task.assign": { permission: "task:assign-community", scope: "record", run: async (a, r) => assignSelection(a, { teamId: teams.get(r)!, taskIds: [(await taskIn(r, "PENDING")).id] }) },
  "task.streetList": { permission: "task:view", scope: "record", run: async (a, r) => { const t = await taskIn(r, "ASSIGNED"); return (await listStreetTasks(a, {}, 1, 500).catch(() => ({ rows: [] }))).rows.filter((x) => x.id === t.id); }, empty: (x) => (x as unknown[]).length === 0 },
  "task.staff": { permission: "task:assign-community", scope: "role", run: (a) => communityStaff(a) },
  "print.roster": { permission: "task:view", scope: "record", run: async (a, r) => rosterRows(a, r, {}, [(await taskIn(r, "ASSIGNED")).id]) },
  "task.reopen": { permission: "task:reopen", scope: "record", run: async (a, r) => { const t = await taskIn(r, "UNREACHABLE"); return reopenTask(a, t.id, t.version); } },
  "task.progress": { permission: "task:view", scope: "region", run: (a, r) => taskProgress(a, r), empty: (x) => (x as unknown[]).length === 0 },
  "task.list": { permission: "task:view", scope: "record", run: async (a, r) => { const t = await taskIn(r, "ASSIGNED"); return (await listTasks(a).catch(() => [])).filter((x) => x.id === t.id); }, empty: (x) => (x as unknown[]).length === 0 },
  "survey.list": { permission: "survey:fill", scope: "record", run: async (a, r) => { const t = await taskIn(r, "ASSIGNED"); return (await surveyList(a, { tab: "open" }, 1, 100_000)).items.filter((x) => x.id === t.id); }, empty: (x) => (x as unknown[]).length === 0 },
  "task.detail": { permission: "task:view", scope: "record", run: async (a, r) => getTaskDetail(a, (await taskIn(r, "ASSIGNED")).id) },
  // 入户登记 (/survey)
  "survey.saveDraft": { permission: "survey:fill", scope: "record", run: async (a, r) => { const t = await taskIn(r, "ASSIGNED"); return saveDraft(a, t.id, { mobile: "139" }, t.version); } },
  "survey.submit": { permission: "survey:fill", scope: "record", run: async (a, r) => { const t = await taskIn(r, "ASSIGNED"); return submitForm(a, t.id, FORM, t.version); } },
  "survey.visit": { permission: "survey:fill", scope: "record", run: async (a, r) => recordVisit(a, (await taskIn(r, "ASSIGNED")).id, "NOBODY_HOME") },
  "survey.unreachable": { permission: "survey:fill", scope: "record", run: async (a, r) => { const t = await taskIn(r, "ASSIGNED", { failedVisits: 2 }); return closeUnreachable(a, t.id, "多次无人", t.version); } },
  "survey.newPerson": { permission: "survey:fill", scope: "record", run: (a, r) => addNewlyFoundPerson(a, { idNumber: makeIdNumber(r.slice(0, 6), "19960101", 700 + seq++), name: "新", teamId: teams.get(r)! }) },
  // 审核 (/review)
  "review.initial": { permission: "review:initial", scope: "record", run: async (a, r) => { const t = await taskIn(r, "SUBMITTED"); return reviewTask(a, { taskId: t.id, decision: "approve", expectedVersion: t.version }); } },
  "review.final": { permission: "review:final", scope: "record", run: async (a, r) => { const t = await taskIn(r, "STREET_APPROVED"); return reviewTask(a, { taskId: t.id, decision: "approve", expectedVersion: t.version }); } },
  "review.queue": { permission: ["review:initial", "review:final"], scope: "record", run: async (a, r) => { const t = await taskIn(r, queueLevel(a)?.state ?? "SUBMITTED"); return (await reviewQueuePage(a, {}, 0)).rows.filter((x) => x.id === t.id); }, empty: (x) => (x as unknown[]).length === 0 },
  "review.bulk": {
    permission: "review:initial",
    scope: "record",
    run: async (a, r) => {
      const t = await taskIn(r, "SUBMITTED");
      const { refused } = await bulkApprove(a, [{ taskId: t.id, version: t.version }]);
      if (refused.length) throw refused[0].key === "error.notFound" ? new NotFoundError("task") : new DomainError(refused[0].key);
    },
  },
  // 调查进度 (home, /regions/<code>, /regions/<code>/tasks)
  "region.progress": { permission: "task:view", scope: "region", run: (a, r) => regionProgress(a, r) },
  "region.tasks": { permission: "task:view", scope: "record", run: async (a, r) => { const t = await taskIn(r, "ASSIGNED"); return (await regionTasks(a, r, {}, 0)).rows.filter((x) => x.id === t.id); }, empty: (x) => (x as unknown[]).length === 0 },
  // 登记库 (/registry) and printing
  "registry.person": { permission: "person:view", scope: "record", run: async (a, r) => getPersonPage(a, (await personIn(r)).idNumber) },
  "registry.search": { permission: "person:view", scope: "record", run: async (a, r) => searchPersons(a, (await personIn(r)).idNumber), empty: (x) => (x as unknown[]).length === 0 },
  "print.person": { permission: "person:view", scope: "record", run: async (a, r) => printPersonForm(a, (await personIn(r)).idNumber) },
  "print.task": { permission: "task:view", scope: "record", run: async (a, r) => printTaskForm(a, (await taskIn(r, "ASSIGNED")).id) },
  "print.community": { permission: "task:view", scope: "record", run: async (a, r) => { await taskIn(r, "ASSIGNED"); return printCommunityForms(a, r); } },
  "print.summary": { permission: "task:view", scope: "record", run: async (a, r) => { await taskIn(r, "ASSIGNED"); return printCommunitySummary(a, r); } },
  // 变更登记 (/changes, the person page)
  "change.request": { permission: "change:request", scope: "record", run: async (a, r) => requestChange(a, { personId: (await personIn(r)).idNumber, name: "改名", evidence: "证明" }) },
  "change.approveBasic": { permission: "change:approve-basic", scope: "record", run: async (a, r) => { const c = await changeIn(r, false); return decideChange(a, { requestId: c.id, decision: "approve", expectedVersion: c.version }); } },
  "change.approveSensitive": { permission: "change:approve-sensitive", scope: "record", run: async (a, r) => { const c = await changeIn(r, true); return decideChange(a, { requestId: c.id, decision: "approve", expectedVersion: c.version }); } },
  "change.list": { permission: ["change:request", "change:approve-basic", "change:approve-sensitive"], scope: "record", run: async (a, r) => { const c = await changeIn(r, false); const l = await listChangeRequests(a); return [...l.pending, ...l.recent].filter((x) => x.id === c.id); }, empty: (x) => (x as unknown[]).length === 0 },
  // Regions, comparisons, imports, administration, audit
  "region.page": { permission: "region:view", scope: "region", run: (a, r) => getRegionForUser(a, r) },
  "comparison.runs": { permission: "comparison:view", scope: "role", run: (a) => listRuns(a) },
  "import.batches": { permission: "import:run", scope: "role", run: (a) => listBatches(a) },
  "admin.users": { permission: "admin:users", scope: "role", run: (a) => listUsers(a) },
  "admin.regions": { permission: "admin:regions", scope: "role", run: (a) => listRegionsForAdmin(a) },
  // The lists that scale (issue 13): paged, filtered and searched in SQL, scoped in the query.
  "registry.list": { permission: "person:view", scope: "record", run: async (a, r) => (await listRegistry(a, { q: (await personIn(r)).idNumber })).rows, empty: (x) => (x as unknown[]).length === 0 },
  "change.listPage": { permission: ["change:request", "change:approve-basic", "change:approve-sensitive"], scope: "record", run: async (a, r) => { const c = await changeIn(r, false); return (await listChanges(a, {})).rows.filter((x) => x.id === c.id); }, empty: (x) => (x as unknown[]).length === 0 },
  "comparison.runsPage": { permission: "comparison:view", scope: "role", run: (a) => listRunsPage(a, {}) },
  "import.batchesPage": { permission: "import:run", scope: "role", run: (a) => listBatchesPage(a, {}) },
  "admin.usersPage": { permission: "admin:users", scope: "role", run: (a) => listUsersPage(a, {}) },
  "admin.regionsPage": { permission: "admin:regions", scope: "role", run: (a) => listRegionsPage(a, {}) },
  "audit.list": { permission: "audit:view", scope: "role", run: (a) => listAudit(a, {}, 0) },
  // 统计分析 (/stats)
  "stats.dashboard": { permission: "stats:view", scope: "region", run: (a, r) => dashboard(a, r) },
  "stats.report": { permission: "stats:view", scope: "region", run: (a, r) => statsReport(a, r, undefined) },
  "stats.summary": { permission: "stats:view", scope: "region", run: async (a, r) => submittedReports(a, r, await currentMonth()) },
};

/**
 * Every exported server action, and the operation(s) above that it performs. A new action fails
 * the coverage test until it is listed here (and its operation added to the matrix).
 */
const ACTIONS: Record<string, string[] | { exempt: string }> = {
  releaseAction: ["task.release"],
  saveAnalysisAction: { exempt: "stats:report on the actor's own district only: tests/integration/stats/reports.test.ts" },
  submitAnalysisAction: { exempt: "stats:report on the actor's own district only: tests/integration/stats/reports.test.ts" },
  createTeamAction: ["task.createTeam"],
  assignAction: ["task.assign"],
  reopenAction: ["task.reopen"],
  recordVisitAction: ["survey.visit"],
  closeUnreachableAction: ["survey.unreachable"],
  addNewPersonAction: ["survey.newPerson"],
  saveDraftAction: ["survey.saveDraft"],
  submitFormAction: ["survey.submit"],
  reviewAction: ["review.initial", "review.final"],
  bulkApproveAction: ["review.bulk"],
  requestChangeAction: ["change.request"],
  decideChangeAction: ["change.approveBasic", "change.approveSensitive"],
  searchRegistryAction: ["registry.search"],
  startComparisonAction: { exempt: "comparison:run, city-wide, no region: checked by authedAction; tests/integration/comparison covers the run" },
  createUserAction: ["admin.users"],
  changePostAction: ["admin.users"],
  resetPasswordAction: ["admin.users"],
  enableUserAction: ["admin.users"],
  disableUserAction: ["admin.users"],
  listSearchAction: { exempt: "reads no data: turns a posted list filter into the list's URL (a full ID number into its opaque key); the list page applies scope and audit" },
  withdrawAccountRequestAction: ["admin.users"],
  confirmAccountRequestAction: { exempt: "account:confirm: the confirmer is one level above the account's post (ACCOUNT_CONFIRMER), not a region prefix alone — level, region, self and admin refusals in tests/integration/account-requests.test.ts" },
  refuseAccountRequestAction: { exempt: "account:confirm, as confirmAccountRequestAction: tests/integration/account-requests.test.ts" },
  changeOwnPasswordAction: { exempt: "the signed-in user's own password only; no other account or data: tests/integration/sign-in-security.test.ts" },
  recordContactAction: { exempt: "outreach:record in the entry's community (requireInScope); sibling refused as not found in tests/integration/outreach/ledger.test.ts" },
  drawSpotCheckAction: { exempt: "quality:spot-check in the reviewer's district: scope and refusals in tests/integration/quality/spot-checks.test.ts" },
  recordCheckAction: { exempt: "quality:spot-check on a spot check of the reviewer's district: tests/integration/quality/spot-checks.test.ts" },
  setDeadlineAction: { exempt: "assessment:settings, city staff only, no region: refused for a district in tests/integration/quality/assessment.test.ts" },
  setWeightsAction: { exempt: "assessment:settings, city staff only, no region: refused for a district in tests/integration/quality/assessment.test.ts" },
  switchLanguage: { exempt: "sets the language cookie, reads no data" },
};

/** Every page and route handler, and the operation(s) its data comes from. */
const PAGES: Record<string, string[] | { exempt: string }> = {
  "app/(auth)/sign-in/page.tsx": { exempt: "public sign-in form" },
  "app/(portal)/assessment/page.tsx": { exempt: "assessment:view ranking of the user's region: tests/integration/quality/assessment.test.ts" },
  "app/(print)/print/assessment/page.tsx": { exempt: "assessment:view bulletin, same query as /assessment: tests/integration/quality/assessment.test.ts" },
  "app/(portal)/outcomes/employers/page.tsx": { exempt: "outcomes:employers rows scoped by district prefix in the SQL: tests/integration/outcomes/employers.test.ts" },
  "app/(portal)/outcomes/employers/persons/page.tsx": { exempt: "outcomes:employers persons, masked and scoped: tests/integration/outcomes/employers.test.ts" },
  "app/(portal)/outcomes/employers/export/route.ts": { exempt: "outcomes:employers-export with a stated reason, audited; street clerk refused: tests/integration/outcomes/employers.test.ts" },
  "app/(portal)/outreach/page.tsx": { exempt: "outreach:view ledger scoped by region prefix in the SQL: tests/integration/outreach/ledger.test.ts" },
  "app/(portal)/outreach/[id]/page.tsx": { exempt: "outreach:view entry; a sibling community's entry answers not found: tests/integration/outreach/ledger.test.ts" },
  "app/(portal)/outreach/export/route.ts": { exempt: "export:run on the outreach:view list: tests/integration/outreach/ledger.test.ts and tests/e2e/outreach.spec.ts" },
  "app/(print)/print/outreach/page.tsx": { exempt: "outreach:view list printed: tests/integration/outreach/ledger.test.ts and tests/e2e/outreach.spec.ts" },
  "app/(portal)/quality/page.tsx": { exempt: "quality:view spot checks of the user's region: tests/integration/quality/spot-checks.test.ts" },
  "app/(portal)/quality/[id]/page.tsx": { exempt: "quality:view one spot check, district scope: tests/integration/quality/spot-checks.test.ts" },
  "app/(auth)/account/password/page.tsx": { exempt: "the signed-in user's own password form; reads no other data" },
  "app/(portal)/accounts/page.tsx": { exempt: "account:confirm pending requests, scoped by accountRequestWhere (level and region): tests/integration/account-requests.test.ts" },
  "app/api/auth/[...nextauth]/route.ts": { exempt: "next-auth's own endpoints" },
  "app/(portal)/page.tsx": ["region.page", "region.progress"],
  "app/(portal)/regions/[code]/page.tsx": ["region.page", "region.progress"],
  "app/(portal)/regions/[code]/tasks/page.tsx": ["region.tasks"],
  "app/(portal)/tasks/page.tsx": ["task.progress", "task.list", "task.streetList", "task.staff", "task.release", "task.createTeam", "task.assign", "task.reopen"],
  "app/(portal)/tasks/export/route.ts": ["task.streetList"],
  "app/(print)/print/community/[code]/roster/page.tsx": ["print.roster"],
  "app/(print)/print/community/[code]/roster/export/route.ts": ["print.roster"],
  "app/(print)/print/community/[code]/summary/export/route.ts": ["print.summary"],
  "app/(portal)/survey/page.tsx": ["survey.list", "survey.newPerson"],
  "app/(portal)/survey/export/route.ts": ["survey.list"],
  "app/(portal)/survey/[taskId]/page.tsx": ["task.detail", "survey.saveDraft", "survey.submit", "survey.visit", "survey.unreachable"],
  "app/(portal)/review/page.tsx": ["review.queue", "review.bulk"],
  "app/(portal)/review/export/route.ts": ["review.queue"],
  "app/(portal)/review/[taskId]/page.tsx": ["task.detail", "review.initial", "review.final"],
  "app/(portal)/registry/page.tsx": ["registry.search", "registry.list"],
  "app/(portal)/registry/export/route.ts": ["registry.list"],
  "app/(portal)/changes/export/route.ts": ["change.listPage"],
  "app/(portal)/comparisons/export/route.ts": ["comparison.runsPage"],
  "app/(portal)/admin/users/export/route.ts": ["admin.usersPage"],
  "app/(portal)/admin/regions/export/route.ts": ["admin.regionsPage"],
  "app/api/imports/export/route.ts": ["import.batchesPage"],
  "app/api/imports/template/route.ts": { exempt: "import:run; the header row of the import contract, no data" },
  "app/(portal)/registry/[ref]/page.tsx": ["registry.person", "change.request", "change.approveBasic", "change.approveSensitive"],
  "app/(portal)/changes/page.tsx": ["change.listPage", "change.approveBasic", "change.approveSensitive"],
  "app/(print)/print/person/[ref]/page.tsx": ["print.person"],
  "app/(print)/print/task/[taskId]/page.tsx": ["print.task"],
  "app/(print)/print/community/[code]/page.tsx": ["print.community"],
  "app/(print)/print/community/[code]/summary/page.tsx": ["print.summary"],
  "app/(portal)/comparisons/page.tsx": ["comparison.runsPage"],
  "app/(portal)/comparisons/[id]/page.tsx": ["comparison.runs"],
  "app/(portal)/comparisons/[id]/export/route.ts": ["comparison.runs"],
  "app/(portal)/imports/page.tsx": ["import.batchesPage"],
  "app/(portal)/imports/[id]/page.tsx": ["import.batches"],
  "app/api/imports/route.ts": ["import.batches"],
  "app/api/imports/[id]/invalid/route.ts": ["import.batches"],
  "app/(portal)/admin/users/page.tsx": ["admin.usersPage", "admin.regions"],
  "app/(portal)/admin/regions/page.tsx": ["admin.regionsPage", "admin.regions"],
  "app/(portal)/audit/page.tsx": ["audit.list"],
  "app/(portal)/stats/page.tsx": ["stats.dashboard"],
  "app/(print)/print/stats/page.tsx": ["stats.report"],
  "app/api/stats/report/route.ts": ["stats.report"],
  "app/(portal)/stats/summary/page.tsx": ["stats.report", "stats.summary"],
  "app/(portal)/stats/analysis/page.tsx": { exempt: "a district's analysis report: own district only until submitted, the city once submitted, another district not found: tests/integration/stats/reports.test.ts" },
  "app/(print)/print/stats/analysis/page.tsx": { exempt: "the same analysisReport as /stats/analysis: tests/integration/stats/reports.test.ts and tests/e2e/reports.spec.ts" },
  "app/(portal)/stats/persons/page.tsx": { exempt: "stats:view person lists (run figures and live survey figures, with filters) need a run's statistics: scope (own, child, sibling, out of region, the '-' row) in tests/integration/stats/measures.test.ts and tests/e2e/stats.spec.ts" },
  "app/api/stats/persons/route.ts": { exempt: "the person list's export, same query as /stats/persons: tests/integration/stats/measures.test.ts" },
  "app/(portal)/audit/export/route.ts": ["audit.list"],
};

// ---------------------------------------------------------------------------------------------

beforeAll(async () => {
  await freshDatabase();
  for (const [code, level, parentCode] of REGIONS) await prisma().region.create({ data: { code, name: code, level: level as never, parentCode } });
  const passwordHash = await bcrypt.hash("x", 4);
  for (const role of ROLES) {
    const u = await prisma().user.create({ data: { login: `m_${role}`, realName: role, passwordHash, role, regionCode: HOME[role] } });
    actors[role] = { id: u.id, login: u.login, role, regionCode: HOME[role] };
  }
  const r = await prisma().user.create({ data: { login: "m_requester", realName: "申请人", passwordHash, role: "STREET_CLERK", regionCode: "3204" } });
  requester = { id: r.id, login: r.login, role: "STREET_CLERK", regionCode: "3204" };
  for (const community of COMMUNITIES) {
    const members = community === HOME.COMMUNITY_SURVEYOR ? [actors.COMMUNITY_SURVEYOR.id] : [];
    for (let i = members.length; i < 2; i++) members.push((await prisma().user.create({ data: { login: `m_s_${community}_${i}`, realName: "调查员", passwordHash, role: "COMMUNITY_SURVEYOR", regionCode: community } })).id);
    surveyors.set(community, members);
    teams.set(community, (await prisma().surveyTeam.create({ data: { communityCode: community, name: "组", memberIds: members } })).id);
  }
});

async function answer(run: () => Promise<unknown>): Promise<{ refused: string | null; value?: unknown }> {
  try {
    return { refused: null, value: await run() };
  } catch (e) {
    if (e instanceof DomainError) return { refused: `DomainError:${e.key}` };
    return { refused: (e as Error).name };
  }
}

describe("permission matrix: role × operation × region (expected = lib/policy can())", () => {
  for (const [name, op] of Object.entries(OPERATIONS)) {
    describe(name, () => {
      for (const role of ROLES) {
        const relations: readonly Relation[] = op.scope === "role" ? ["own"] : RELATIONS;
        for (const relation of relations) {
          const home = HOME[role];
          const region = targetRegion(home, relation);
          if (op.scope !== "role" && !region) continue;
          const where = op.scope === "record" ? communityIn(region!, relation === "parent" || relation === "sibling" ? home : null) : region!;
          const permissions = Array.isArray(op.permission) ? op.permission : [op.permission];
          const expected = permissions.some((p) => (op.scope === "role" ? can(actors_(role), p) && (ROLE_LEVEL[role] !== null || p.startsWith("admin:")) : can(actors_(role), p, where)));
          it(`${role} on ${relation} (${op.scope === "role" ? "—" : where}): ${expected ? "allowed" : "denied, no data"}`, async () => {
            const result = await answer(() => op.run(actors[role], where));
            if (expected) expect(result.refused).toBeNull();
            else if (result.refused === null) expect(op.empty?.(result.value), `${name} answered data to ${role}`).toBe(true);
            else expect(["NotAllowedError", "NotFoundError"]).toContain(result.refused);
          });
        }
      }
    });
  }
});

/** The actor of a role without the database (for computing expectations while collecting tests). */
function actors_(role: TRole): Actor {
  return { id: -1, login: role, role, regionCode: HOME[role] };
}

describe("coverage: nothing can be forgotten", () => {
  const root = path.resolve(import.meta.dirname, "../..");
  function files(dir: string, pattern: RegExp): string[] {
    return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
      const rel = path.join(dir, e.name);
      if (e.isDirectory()) return files(rel, pattern);
      return pattern.test(e.name) ? [rel] : [];
    });
  }
  it("every permission of PERMISSIONS is exercised by an operation (or stated as checked elsewhere)", () => {
    const covered = new Set(Object.values(OPERATIONS).flatMap((o) => o.permission));
    const elsewhere: Partial<Record<TPermission, string>> = {
      "comparison:run": "startComparisonAction (see ACTIONS)",
      "task:progress": "navigation only (the /tasks entry); the page's data is task:view's task.progress",
      "outreach:view": "/outreach, /outreach/[id], print and export (see PAGES): tests/integration/outreach/ledger.test.ts",
      "outreach:record": "recordContactAction (see ACTIONS): tests/integration/outreach/ledger.test.ts",
      "outcomes:employers": "/outcomes/employers (see PAGES): tests/integration/outcomes/employers.test.ts",
      "outcomes:employers-export": "/outcomes/employers/export (see PAGES): tests/integration/outcomes/employers.test.ts",
      "quality:spot-check": "drawSpotCheckAction, recordCheckAction (see ACTIONS): tests/integration/quality/spot-checks.test.ts",
      "quality:view": "/quality (see PAGES): tests/integration/quality/spot-checks.test.ts",
      "assessment:view": "/assessment (see PAGES): tests/integration/quality/assessment.test.ts",
      "assessment:settings": "setDeadlineAction, setWeightsAction (see ACTIONS): tests/integration/quality/assessment.test.ts",
      "account:confirm": "confirmAccountRequestAction, refuseAccountRequestAction, /accounts (see ACTIONS, PAGES)",
      "export:run": "the export route checks it before comparison:view's listResults",
      "stats:report": "saveAnalysisAction, submitAnalysisAction (see ACTIONS): tests/integration/stats/reports.test.ts",

    };
    for (const p of Object.keys(PERMISSIONS) as TPermission[]) expect(covered.has(p) || p in elsewhere, p).toBe(true);
  });
  it("every exported server action is listed with the operations it performs", () => {
    const exported = files("lib", /^actions\.ts$/).flatMap((f) => [...fs.readFileSync(path.join(root, f), "utf8").matchAll(/export (?:const|async function) (\w+)/g)].map((m) => m[1]));
    expect(exported.length).toBeGreaterThan(15);
    for (const name of exported) {
      expect(ACTIONS, `server action ${name} is not in the permission matrix`).toHaveProperty(name);
      const ops = ACTIONS[name];
      if (Array.isArray(ops)) for (const op of ops) expect(OPERATIONS, op).toHaveProperty(op);
    }
  });
  it("every page and route handler is listed with the operations its data comes from", () => {
    const pages = files("app", /^(page\.tsx|route\.ts)$/);
    for (const page of pages) {
      expect(PAGES, `page ${page} is not in the permission matrix`).toHaveProperty([page]);
      const ops = PAGES[page];
      if (Array.isArray(ops)) for (const op of ops) expect(OPERATIONS, op).toHaveProperty(op);
    }
  });
});
