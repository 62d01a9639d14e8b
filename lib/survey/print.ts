import { writeAudit } from "@/lib/audit/log";
import { prisma } from "@/lib/db/client";
import { levelOfCode } from "@/lib/regions/codes";
import { type Actor, NotFoundError, requireInScope, requirePermission, requireTaskAccess, taskWhere } from "@/lib/policy";
import { personRegion } from "@/lib/registry/scope";
import { answerList } from "./schema";

// Data of the printed forms (registration-form.md "Printing"): the pre-filled A4 registration form
// (登记表) of one task or one person, a community's batch (one form per page) and its summary sheet
// (全民参保登记个人信息汇总表, seed 001 第十九条). Scoped by the policy like the task lists; printing
// personal data is audited ("print.form", "print.summary").

/** Tasks still being worked on (a form may still be needed for the visit or the signature). */
export const OPEN_TASK_STATES = ["PENDING", "ASSIGNED", "DRAFT", "SUBMITTED", "STREET_APPROVED", "RETURNED"] as const;

export interface PrintForm {
  taskId: number | null;
  taskState: string | null;
  reason: string | null;
  idNumber: string;
  name: string;
  gender: string | null;
  ethnicity: string | null;
  birthDate: string | null;
  hukouType: string | null;
  hukouAddress: string | null;
  /** Names of the hukou region's district, street and community. */
  hukouRegion: { district: string | null; street: string | null; community: string | null };
  residenceAddress: string | null;
  phone: string | null;
  category: string | null;
  flags: string[];
  missingSchemes: string[];
  /** The task's form when one was started, else the registry's last approved survey data. */
  surveyData: Record<string, unknown> | null;
}

type TaskRow = Awaited<ReturnType<typeof loadTasks>>[number];

function loadTasks(where: object) {
  return prisma().surveyTask.findMany({ where, include: { form: true, team: { select: { memberIds: true } } }, orderBy: [{ regionCode: "asc" }, { idNumber: "asc" }] });
}

async function regionNames(codes: (string | null)[]): Promise<Map<string, string>> {
  const all = new Set<string>();
  for (const c of codes) if (c) for (const len of [6, 9, 12]) if (c.length >= len) all.add(c.slice(0, len));
  const rows = await prisma().region.findMany({ where: { code: { in: [...all] } }, select: { code: true, name: true } });
  return new Map(rows.map((r) => [r.code, r.name]));
}

async function buildForms(tasks: TaskRow[], persons: Awaited<ReturnType<typeof loadPersons>>): Promise<PrintForm[]> {
  const byId = new Map(persons.map((p) => [p.idNumber, p]));
  const names = await regionNames([...persons.map((p) => p.hukouRegionCode), ...tasks.map((t) => t.regionCode)]);
  const region = (code: string | null) => ({
    district: code && code.length >= 6 ? (names.get(code.slice(0, 6)) ?? null) : null,
    street: code && code.length >= 9 ? (names.get(code.slice(0, 9)) ?? null) : null,
    community: code && code.length >= 12 ? (names.get(code.slice(0, 12)) ?? null) : null,
  });
  const form = (person: (typeof persons)[number] | undefined, task: TaskRow | null, idNumber: string): PrintForm => {
    const taskData = (task?.form?.data ?? null) as Record<string, unknown> | null;
    const newPerson = (taskData?.newPerson ?? null) as { name?: string; hukouAddress?: string } | null;
    return {
      taskId: task?.id ?? null,
      taskState: task?.state ?? null,
      reason: task?.reason ?? null,
      idNumber,
      name: person?.name ?? newPerson?.name ?? "",
      gender: person?.gender ?? null,
      ethnicity: person?.ethnicity ?? null,
      birthDate: person?.birthDate ? person.birthDate.toISOString().slice(0, 10) : null,
      hukouType: person?.hukouType ?? null,
      hukouAddress: person?.hukouAddress ?? newPerson?.hukouAddress ?? null,
      hukouRegion: region(person?.hukouRegionCode ?? task?.regionCode ?? null),
      residenceAddress: person?.residenceAddress ?? null,
      phone: person?.phone ?? null,
      category: task?.category ?? person?.category ?? null,
      flags: task?.flags ?? person?.flags ?? [],
      missingSchemes: task?.missingSchemes ?? person?.missingSchemes ?? [],
      surveyData: taskData && Object.keys(taskData).some((k) => k !== "newPerson") ? taskData : ((person?.surveyData ?? null) as Record<string, unknown> | null),
    };
  };
  if (tasks.length === 0) return persons.map((p) => form(p, null, p.idNumber));
  return tasks.map((t) => form(byId.get(t.idNumber), t, t.idNumber));
}

function loadPersons(idNumbers: string[]) {
  return prisma().person.findMany({ where: { idNumber: { in: idNumbers } } });
}

/** The pre-filled form of one survey task the actor may see. */
export async function printTaskForm(actor: Actor, taskId: number): Promise<PrintForm> {
  requirePermission(actor, "task:view");
  const [task] = await loadTasks({ id: taskId });
  if (!task) throw new NotFoundError("task");
  requireTaskAccess(actor, "task:view", { regionCode: task.regionCode, memberIds: task.team?.memberIds ?? null });
  const [form] = await buildForms([task], await loadPersons([task.idNumber]));
  await writeAudit(actor, { action: "print.form", entity: "survey_task", entityId: String(task.id), regionCode: task.regionCode, detail: { idNumbers: [task.idNumber] } });
  return form;
}

/** The pre-filled form of one registry person in the actor's scope (e.g. for a change on the visit). */
export async function printPersonForm(actor: Actor, idNumber: string): Promise<PrintForm> {
  requirePermission(actor, "person:view");
  const persons = await loadPersons([idNumber]);
  if (persons.length === 0) throw new NotFoundError("person");
  const regionCode = personRegion(persons[0]);
  requireInScope(actor, "person:view", regionCode);
  const [form] = await buildForms([], persons);
  await writeAudit(actor, { action: "print.form", entity: "person", entityId: idNumber, regionCode, detail: { idNumbers: [idNumber] } });
  return form;
}

async function communityTasks(actor: Actor, code: string): Promise<{ name: string; tasks: TaskRow[] }> {
  if (levelOfCode(code) !== "COMMUNITY") throw new NotFoundError("region");
  requireInScope(actor, "task:view", code);
  const region = await prisma().region.findUnique({ where: { code } });
  if (!region) throw new NotFoundError("region");
  // taskWhere adds team membership for surveyors: they print only their own list.
  const tasks = await loadTasks({ AND: [taskWhere(actor, "task:view"), { regionCode: code, state: { in: [...OPEN_TASK_STATES] } }] });
  return { name: region.name, tasks };
}

/** One form per open task of a community (a batch to print, one per page). */
export async function printCommunityForms(actor: Actor, code: string): Promise<{ communityName: string; forms: PrintForm[] }> {
  const { name, tasks } = await communityTasks(actor, code);
  const forms = await buildForms(tasks, await loadPersons(tasks.map((t) => t.idNumber)));
  await writeAudit(actor, { action: "print.form", entity: "region", entityId: code, regionCode: code, detail: { taskIds: tasks.map((t) => t.id), count: tasks.length } });
  return { communityName: name, forms };
}

export interface SummaryRow {
  no: number;
  taskId: number;
  name: string;
  gender: string | null;
  idNumber: string;
  hukouAddress: string | null;
  phone: string | null;
  employment: string | null;
  pension: string | null;
  medical: string | null;
  reasons: string[];
  state: string;
}

/** 全民参保登记个人信息汇总表: one row per open task's person of a community. */
export async function printCommunitySummary(actor: Actor, code: string): Promise<{ communityName: string; rows: SummaryRow[] }> {
  const { name, tasks: all } = await communityTasks(actor, code);
  // One row per person: the newest open task when a person has more than one.
  const newest = new Map<string, TaskRow>();
  for (const t of all) if ((newest.get(t.idNumber)?.id ?? 0) < t.id) newest.set(t.idNumber, t);
  const tasks = all.filter((t) => newest.get(t.idNumber) === t);
  const forms = await buildForms(tasks, await loadPersons(tasks.map((t) => t.idNumber)));
  const rows = forms.map((f, i) => {
    const d = f.surveyData ?? {};
    const text = (v: unknown) => (typeof v === "string" && v ? v : null);
    return {
      no: i + 1,
      taskId: f.taskId!,
      name: f.name,
      gender: f.gender,
      idNumber: f.idNumber,
      hukouAddress: f.hukouAddress,
      phone: text(d.mobile) ?? f.phone,
      employment: text(d.employment),
      // several answers (a duplicate enrolment) joined by ';' (lib/registry/labels.ts valueLabel)
      pension: answerList(d.pension).join(";") || null,
      medical: answerList(d.medical).join(";") || null,
      reasons: Array.isArray(d.reasons) ? (d.reasons as string[]) : [],
      state: f.taskState ?? "",
    };
  });
  await writeAudit(actor, { action: "print.summary", entity: "region", entityId: code, regionCode: code, detail: { taskIds: tasks.map((t) => t.id), count: tasks.length } });
  return { communityName: name, rows };
}
