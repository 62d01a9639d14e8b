import { writeAudit } from "@/lib/audit/log";
import { pool, prisma } from "@/lib/db/client";
import { env } from "@/lib/env";
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
  /** 个人参保信息: one row per scheme in the seed's order (seed 003 附件 二), from the active enrolment data. */
  schemes: SchemeRow[];
  /** 权益告知: what the person's employer has and should enrol them in, what they may join on their own. */
  rights: RightsNotice;
}

/** The schemes of the printed table, in the order of seed 003 附件 (城镇职工 ×5, 城乡居民 ×2, 机关事业). */
export const PRINT_SCHEMES = [
  { group: "employee", scheme: "110" },
  { group: "employee", scheme: "310" },
  { group: "employee", scheme: "210" },
  { group: "employee", scheme: "410" },
  { group: "employee", scheme: "510" },
  { group: "resident", scheme: "170" },
  { group: "resident", scheme: "390" },
  { group: "public", scheme: "120" },
] as const;

/** Schemes an employer enrols its employees in (comparison-rules.md §3 "employee set", with 120). */
const EMPLOYER_SCHEMES = new Set(["110", "120", "310", "210", "410", "510"]);
/** Schemes a person joins on their own (城乡居民). */
const PERSONAL_SCHEMES = new Set(["170", "390"]);

export interface SchemeRow {
  group: "employee" | "resident" | "public";
  scheme: string;
  /** 1 参保缴费 · 2 暂停缴费 · 3 终止参保 · null 未参保 (no record) */
  status: 1 | 2 | 3 | null;
  /** The earliest start date of the scheme's records (首次参保日期). */
  firstDate: string | null;
  /** The employer of the current record (当前参保单位). */
  unit: string | null;
  /** Where the current record is: "city" (本市, with the region's name when known), or elsewhere in / outside the province. */
  place: { kind: "city" | "inProvince" | "outOfProvince"; name: string | null } | null;
}

export interface RightsNotice {
  /** Active schemes with an employer on the record: 单位已为您参加. */
  unitHas: string[];
  /** Missing schemes an employer should provide: 单位还应为您参加. */
  unitShould: string[];
  /** Missing schemes the person may join on their own: 您还可以个人身份参加. */
  personalCan: string[];
  /** Active schemes joined on their own. */
  personalHas: string[];
  /** Receives a monthly pension (a pension record with benefit). */
  benefit: boolean;
  /** Anything active at all (else "no enrolment found"). */
  anyActive: boolean;
}

/**
 * The notice of seed 003 附件 ("目前您所在的用人单位已为您参加了……，还应为您参加……；您还可以个人身份
 * 参加……"), from the comparison's active and missing schemes of the person (comparison-rules.md §3, §5)
 * and the employers on the enrolment records.
 */
export function rightsNotice(active: readonly string[], missing: readonly string[], rows: readonly SchemeRow[], benefit: boolean): RightsNotice {
  const order = (codes: Iterable<string>) => PRINT_SCHEMES.map((s) => s.scheme as string).filter((c) => new Set(codes).has(c));
  const withUnit = new Set(rows.filter((r) => r.unit && r.status === 1).map((r) => r.scheme));
  const activeSet = new Set(active);
  return {
    unitHas: order([...activeSet].filter((c) => EMPLOYER_SCHEMES.has(c) && withUnit.has(c))),
    unitShould: order(missing.filter((c) => EMPLOYER_SCHEMES.has(c))),
    personalCan: order(missing.filter((c) => PERSONAL_SCHEMES.has(c))),
    personalHas: order([...activeSet].filter((c) => PERSONAL_SCHEMES.has(c))),
    benefit,
    anyActive: activeSet.size > 0,
  };
}

interface EnrolmentRow {
  id_number: string;
  scheme: string;
  status: number;
  region_code: string | null;
  region_name: string | null;
  employer: string | null;
  first_date: string | null;
  elsewhere: boolean;
  benefit: boolean;
}

/**
 * The persons' current enrolment per scheme from the active batches (local and elsewhere records), in
 * one statement: per person and scheme the current record (active first — status 1 or a pension
 * benefit — then suspended, then terminated; local before elsewhere; the latest start), and the
 * earliest start date of all its records.
 */
async function enrolmentOf(idNumbers: string[]): Promise<Map<string, EnrolmentRow[]>> {
  const out = new Map<string, EnrolmentRow[]>();
  if (idNumbers.length === 0) return out;
  const { rows } = await pool().query<EnrolmentRow>(
    `WITH rec AS (
       SELECT e.id_number, e.scheme, e.status, e.region_code, e.employer, e.start_date, e.benefit, false AS elsewhere
         FROM enrolment_record e JOIN import_batch b ON b.id = e.batch_id AND b.status = 'ACTIVE'
        WHERE e.id_number = ANY($1::text[])
       UNION ALL
       SELECT x.id_number, x.scheme, x.status, x.region_code, NULL, NULL, false, true
         FROM elsewhere_record x JOIN import_batch b ON b.id = x.batch_id AND b.status = 'ACTIVE'
        WHERE x.id_number = ANY($1::text[])
     ), ranked AS (
       SELECT rec.*, min(start_date) OVER w AS first_date, bool_or(benefit) OVER w AS any_benefit,
              row_number() OVER (PARTITION BY id_number, scheme
                                 ORDER BY (status = 1 OR benefit) DESC, status, elsewhere, start_date DESC NULLS LAST) AS n
         FROM rec WINDOW w AS (PARTITION BY id_number, scheme)
     )
     SELECT r.id_number, r.scheme, CASE WHEN r.status = 1 OR r.benefit THEN 1 ELSE r.status END AS status, r.region_code,
            g.name AS region_name, r.employer, to_char(r.first_date, 'YYYY-MM-DD') AS first_date, r.elsewhere, r.any_benefit AS benefit
       FROM ranked r LEFT JOIN region g ON g.code = r.region_code
      WHERE r.n = 1`,
    [idNumbers],
  );
  for (const r of rows) {
    const list = out.get(r.id_number) ?? [];
    list.push(r);
    out.set(r.id_number, list);
  }
  return out;
}

/** The comparison's active schemes of each person in the run that last classified them. */
async function activeSchemesOf(keys: { idNumber: string; runId: number | null }[]): Promise<Map<string, string[]>> {
  const wanted = keys.filter((k): k is { idNumber: string; runId: number } => k.runId !== null);
  if (wanted.length === 0) return new Map();
  const { rows } = await pool().query<{ id_number: string; active_schemes: string[] }>(
    `SELECT r.id_number, r.active_schemes FROM comparison_result r
       JOIN unnest($1::int[], $2::text[]) AS k(run_id, id_number) ON r.run_id = k.run_id AND r.id_number = k.id_number`,
    [wanted.map((k) => k.runId), wanted.map((k) => k.idNumber)],
  );
  return new Map(rows.map((r) => [r.id_number, r.active_schemes]));
}

function schemeRows(records: EnrolmentRow[], cityCode: string): SchemeRow[] {
  const byScheme = new Map(records.map((r) => [r.scheme, r]));
  return PRINT_SCHEMES.map(({ group, scheme }) => {
    const r = byScheme.get(scheme);
    if (!r) return { group, scheme, status: null, firstDate: null, unit: null, place: null };
    const code = r.region_code ?? "";
    const inCity = !code || code.startsWith(cityCode);
    const place: SchemeRow["place"] = inCity
      ? { kind: "city", name: r.region_name }
      : { kind: code.slice(0, 2) === cityCode.slice(0, 2) ? "inProvince" : "outOfProvince", name: r.region_name };
    return { group, scheme, status: ([1, 2, 3].includes(r.status) ? r.status : null) as SchemeRow["status"], firstDate: r.first_date, unit: r.employer, place };
  });
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
  const ids = tasks.length > 0 ? tasks.map((t) => t.idNumber) : persons.map((p) => p.idNumber);
  const runOf = (idNumber: string, task: TaskRow | null) => task?.updatedRunId ?? task?.createdRunId ?? byId.get(idNumber)?.lastRunId ?? null;
  const [names, enrolment, active] = await Promise.all([
    regionNames([...persons.map((p) => p.hukouRegionCode), ...tasks.map((t) => t.regionCode)]),
    enrolmentOf([...new Set(ids)]),
    activeSchemesOf(tasks.length > 0 ? tasks.map((t) => ({ idNumber: t.idNumber, runId: runOf(t.idNumber, t) })) : persons.map((p) => ({ idNumber: p.idNumber, runId: p.lastRunId }))),
  ]);
  const cityCode = env().CITY_CODE;
  const region = (code: string | null) => ({
    district: code && code.length >= 6 ? (names.get(code.slice(0, 6)) ?? null) : null,
    street: code && code.length >= 9 ? (names.get(code.slice(0, 9)) ?? null) : null,
    community: code && code.length >= 12 ? (names.get(code.slice(0, 12)) ?? null) : null,
  });
  const form = (person: (typeof persons)[number] | undefined, task: TaskRow | null, idNumber: string): PrintForm => {
    const taskData = (task?.form?.data ?? null) as Record<string, unknown> | null;
    const newPerson = (taskData?.newPerson ?? null) as { name?: string; hukouAddress?: string } | null;
    const records = enrolment.get(idNumber) ?? [];
    const schemes = schemeRows(records, cityCode);
    const missingSchemes = task?.missingSchemes ?? person?.missingSchemes ?? [];
    // The comparison's active schemes; without a comparison row, the schemes with an active record.
    const activeSchemes = active.get(idNumber) ?? schemes.filter((r) => r.status === 1).map((r) => r.scheme);
    const benefit = records.some((r) => r.benefit && ["110", "120", "170"].includes(r.scheme));
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
      missingSchemes,
      schemes,
      rights: rightsNotice(activeSchemes, missingSchemes, schemes, benefit),
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
  category: string | null;
  reason: string | null;
}

/** 全民参保登记个人信息汇总表: one row per open task's person of a community. Audited as printed. */
export async function printCommunitySummary(actor: Actor, code: string): Promise<{ communityName: string; rows: SummaryRow[] }> {
  const sheet = await communitySummary(actor, code);
  await writeAudit(actor, { action: "print.summary", entity: "region", entityId: code, regionCode: code, detail: { taskIds: sheet.rows.map((r) => r.taskId), count: sheet.rows.length } });
  return sheet;
}

/**
 * The summary sheet's rows (the printed sheet and its XLSX export read the same): every open task's
 * person once — registry persons and newly found persons (新发现人员, whose basic data is kept with
 * the task's form) alike. The caller audits how it left.
 */
export async function communitySummary(actor: Actor, code: string): Promise<{ communityName: string; rows: SummaryRow[] }> {
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
      category: f.category,
      reason: f.reason,
    };
  });
  return { communityName: name, rows };
}
