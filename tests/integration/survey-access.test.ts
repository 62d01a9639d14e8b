import bcrypt from "bcryptjs";
import { beforeAll, describe, expect, it } from "vitest";
import { DomainError } from "@/lib/auth/action";
import { prisma } from "@/lib/db/client";
import { makeIdNumber } from "@/lib/ids/id-number";
import type { Actor, TRole } from "@/lib/policy";
import { reviewTask } from "@/lib/review/mutations";
import type { TTaskState } from "@/lib/review/workflow";
import { addNewlyFoundPerson, assignTasks, closeUnreachable, recordVisit, releaseToStreets, reopenTask, saveDraft, submitForm } from "@/lib/survey/mutations";
import { freshDatabase } from "../helpers/db";

// Every survey action × every role, on its own region and on another one. The table says who
// succeeds; everyone else must be refused (not allowed, or not found when out of scope).

const ACTORS = {
  city: ["CITY_STAFF", "3204"],
  district: ["DISTRICT_REVIEWER", "320402"],
  otherDistrict: ["DISTRICT_REVIEWER", "320404"],
  street: ["STREET_CLERK", "320402002"],
  otherStreet: ["STREET_CLERK", "320402004"],
  surveyor: ["COMMUNITY_SURVEYOR", "320402002001"],
  outsider: ["COMMUNITY_SURVEYOR", "320402002001"], // same community, not in the team
  otherSurveyor: ["COMMUNITY_SURVEYOR", "320402002002"],
  admin: ["SYSTEM_ADMIN", null],
  auditor: ["AUDITOR", "3204"],
} as const satisfies Record<string, readonly [TRole, string | null]>;
type ActorKey = keyof typeof ACTORS;
const actors = {} as Record<ActorKey, Actor>;

const FORM = { employment: "UNEMPLOYED", mobile: "13912345678", pension: "RESIDENT", medical: "RESIDENT", surveyors: ["甲", "乙"] };
let teamId: number;
let seq = 0;

async function newTask(state: TTaskState, extra: { failedVisits?: number } = {}) {
  const idNumber = makeIdNumber("320402", "19700101", seq++);
  await prisma().person.create({ data: { idNumber, name: `人员${seq}`, hukouRegionCode: "320402002001", status: "NEEDS_SURVEY" } });
  const task = await prisma().surveyTask.create({
    data: { idNumber, regionCode: "320402002001", state, reason: "未参保", category: "NOT_INSURED", releasedAt: new Date(), teamId: state === "PENDING" ? null : teamId, failedVisits: extra.failedVisits ?? 0 },
  });
  if (state === "SUBMITTED" || state === "STREET_APPROVED" || state === "DRAFT") await prisma().surveyForm.create({ data: { taskId: task.id, data: FORM } });
  return task;
}

async function outcome(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
    return "ok";
  } catch (e) {
    return e instanceof DomainError ? e.key : (e as Error).name;
  }
}

type Case = { action: string; allowed: ActorKey[]; run: (a: Actor) => Promise<unknown> };

const CASES: Case[] = [
  { action: "release to streets", allowed: ["district"], run: async (a) => releaseToStreets(a, "320402002") },
  { action: "assign to a team", allowed: ["street"], run: async (a) => assignTasks(a, { teamId, taskIds: [(await newTask("PENDING")).id] }) },
  { action: "save a draft", allowed: ["street", "surveyor"], run: async (a) => { const t = await newTask("ASSIGNED"); return saveDraft(a, t.id, {}, t.version); } },
  { action: "submit the form", allowed: ["street", "surveyor"], run: async (a) => { const t = await newTask("ASSIGNED"); return submitForm(a, t.id, FORM, t.version); } },
  { action: "record a failed visit", allowed: ["street", "surveyor"], run: async (a) => recordVisit(a, (await newTask("ASSIGNED")).id, "NOBODY_HOME") },
  { action: "close as unreachable", allowed: ["street", "surveyor"], run: async (a) => { const t = await newTask("ASSIGNED", { failedVisits: 2 }); return closeUnreachable(a, t.id, "多次无人", t.version); } },
  { action: "initial review (approve)", allowed: ["street"], run: async (a) => { const t = await newTask("SUBMITTED"); return reviewTask(a, { taskId: t.id, decision: "approve", expectedVersion: t.version }); } },
  { action: "initial review (return)", allowed: ["street"], run: async (a) => { const t = await newTask("SUBMITTED"); return reviewTask(a, { taskId: t.id, decision: "return", comment: "补充", expectedVersion: t.version }); } },
  { action: "final review (approve)", allowed: ["district"], run: async (a) => { const t = await newTask("STREET_APPROVED"); return reviewTask(a, { taskId: t.id, decision: "approve", expectedVersion: t.version }); } },
  { action: "final review (return)", allowed: ["district"], run: async (a) => { const t = await newTask("STREET_APPROVED"); return reviewTask(a, { taskId: t.id, decision: "return", comment: "补充", expectedVersion: t.version }); } },
  { action: "reopen an unreachable task", allowed: ["district"], run: async (a) => { const t = await newTask("UNREACHABLE"); return reopenTask(a, t.id, t.version); } },
  { action: "add a newly found person", allowed: ["street", "surveyor"], run: async (a) => addNewlyFoundPerson(a, { idNumber: makeIdNumber("320402", "19950505", 500 + seq++), name: "新", teamId }) },
];

beforeAll(async () => {
  await freshDatabase();
  const regions = [["3204", "CITY", null], ["320402", "DISTRICT", "3204"], ["320404", "DISTRICT", "3204"], ["320402002", "STREET", "320402"], ["320402004", "STREET", "320402"], ["320402002001", "COMMUNITY", "320402002"], ["320402002002", "COMMUNITY", "320402002"]] as const;
  for (const [code, level, parentCode] of regions) await prisma().region.create({ data: { code, name: code, level, parentCode } });
  const passwordHash = await bcrypt.hash("x", 4);
  for (const [key, [role, regionCode]] of Object.entries(ACTORS)) {
    const u = await prisma().user.create({ data: { login: key, realName: key, passwordHash, role, regionCode } });
    actors[key as ActorKey] = { id: u.id, login: key, role, regionCode };
  }
  teamId = (await prisma().surveyTeam.create({ data: { communityCode: "320402002001", name: "一组", memberIds: [actors.surveyor.id, actors.street.id] } })).id;
});

describe("survey actions: role × region", () => {
  for (const c of CASES) {
    describe(c.action, () => {
      for (const key of Object.keys(ACTORS) as ActorKey[]) {
        const allowed = c.allowed.includes(key);
        it(`${allowed ? "allowed" : "refused"} for ${key}`, async () => {
          const result = await outcome(() => c.run(actors[key]));
          if (allowed) expect(result).toBe("ok");
          else expect(["NotAllowedError", "NotFoundError"]).toContain(result);
        });
      }
    });
  }
});
