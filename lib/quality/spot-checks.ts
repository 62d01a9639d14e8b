import crypto from "node:crypto";
import { z } from "zod";
import { writeAudit } from "@/lib/audit/log";
import { DomainError } from "@/lib/auth/errors";
import { pool, prisma, type Tx } from "@/lib/db/client";
import { maskIdNumber } from "@/lib/ids/id-number";
import { type Actor, NotFoundError, requireInScope, requirePermission, scopePrefix } from "@/lib/policy";
import { createTask } from "@/lib/review/transition";

// 质量抽查 (seed 000 九1, seed 004 第33条): a district reviewer draws a random sample of the records
// its streets registered by survey — the survey tasks the district approved (审定) within a period of
// approval dates (the day of the task's DISTRICT_APPROVED event, China time). The population is
// defined by the task events, which never change, so the sample can always be drawn again: the
// population ordered by md5(seed || ':' || task id) (ties by id), the first `size` taken.
//
// Re-verification is recorded by the district itself (choice: the district's own staff or a team it
// sends re-visit the person; the reviewer records the outcome), field by field: each key field of
// the form confirmed or not. A record with any field not confirmed fails, and a new survey task for
// the person is created in its community (PENDING, released to the street, the finding as its
// reason) through lib/review/transition.ts createTask.

export const CHECK_FIELDS = ["identity", "residence", "pension", "medical", "employment", "reasons"] as const;
export type TCheckField = (typeof CHECK_FIELDS)[number];

const POPULATION_SQL = `
  SELECT t.id, t.id_number, t.region_code
    FROM survey_task t
   WHERE starts_with(t.region_code, $1::text)
     AND EXISTS (SELECT 1 FROM task_event e
                  WHERE e.task_id = t.id AND e.to_state = 'DISTRICT_APPROVED' AND e.from_state <> 'DISTRICT_APPROVED'
                    AND (e.at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN $2::date AND $3::date)`;

/** The size of the population: the district's tasks approved in the period. */
export async function populationSize(districtCode: string, from: string, to: string): Promise<number> {
  const { rows } = await pool().query<{ n: number }>(`SELECT count(*)::int AS n FROM (${POPULATION_SQL}) p`, [districtCode, from, to]);
  return rows[0].n;
}

/** The sample drawn with `seed`: the first `size` of the population in md5(seed:id) order. */
export async function drawSample(districtCode: string, from: string, to: string, seed: string, size: number): Promise<{ id: number; id_number: string; region_code: string }[]> {
  const { rows } = await pool().query<{ id: number; id_number: string; region_code: string }>(
    `SELECT id, id_number, region_code FROM (${POPULATION_SQL}) p ORDER BY md5($4::text || ':' || p.id::text), p.id LIMIT $5`,
    [districtCode, from, to, seed, size],
  );
  return rows;
}

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "msg:quality.err.date");

export const ZDraw = z
  .object({
    from: date,
    to: date,
    method: z.enum(["SIZE", "PERCENT"]),
    amount: z.coerce.number({ message: "msg:quality.err.amount" }).int("msg:quality.err.amount").min(1, "msg:quality.err.amount"),
    seed: z.string().trim().max(64).optional(),
  })
  .refine((v) => v.from <= v.to, { message: "msg:quality.err.period", path: ["to"] })
  .refine((v) => v.method !== "PERCENT" || v.amount <= 100, { message: "msg:quality.err.amount", path: ["amount"] });

/** Draws and stores a spot check of the actor's district. Returns its id. */
export async function createSpotCheck(actor: Actor, raw: z.input<typeof ZDraw>): Promise<number> {
  const districtCode = scopePrefix(actor, "quality:spot-check");
  const input = ZDraw.parse(raw);
  const seed = input.seed || crypto.randomBytes(8).toString("hex");
  const population = await populationSize(districtCode, input.from, input.to);
  if (population === 0) throw new DomainError("quality.err.emptyPopulation", undefined, "from");
  const size = input.method === "SIZE" ? Math.min(input.amount, population) : Math.ceil((population * input.amount) / 100);
  const sample = await drawSample(districtCode, input.from, input.to, seed, size);
  return prisma().$transaction(async (tx) => {
    const check = await tx.spotCheck.create({
      data: { districtCode, periodFrom: new Date(`${input.from}T00:00:00Z`), periodTo: new Date(`${input.to}T00:00:00Z`), method: input.method, requested: input.amount, size: sample.length, population, seed, createdById: actor.id },
    });
    await tx.spotCheckItem.createMany({ data: sample.map((s, i) => ({ spotCheckId: check.id, taskId: s.id, idNumber: s.id_number, regionCode: s.region_code, position: i + 1 })) });
    await writeAudit(actor, { action: "quality.spot-check.draw", entity: "spot_check", entityId: String(check.id), regionCode: districtCode, detail: { from: input.from, to: input.to, method: input.method, amount: input.amount, seed, population, size: sample.length } }, tx);
    return check.id;
  });
}

async function loadCheck(actor: Actor, id: number) {
  const prefix = scopePrefix(actor, "quality:view");
  const check = await prisma().spotCheck.findFirst({ where: { id, districtCode: { startsWith: prefix } } });
  if (!check) throw new NotFoundError("spot check");
  return check;
}

export interface SpotCheckView {
  id: number;
  districtCode: string;
  from: string;
  to: string;
  method: string;
  requested: number;
  size: number;
  population: number;
  seed: string;
  createdAt: Date;
  /** The sample drawn again from the stored seed equals the stored one. */
  reproducible: boolean;
  items: { id: number; taskId: number; maskedId: string; regionCode: string; position: number; result: string | null; findings: Record<string, boolean> | null; comment: string | null; reopenedTaskId: number | null }[];
}

const day = (d: Date) => d.toISOString().slice(0, 10);

export async function getSpotCheck(actor: Actor, id: number): Promise<SpotCheckView> {
  const check = await loadCheck(actor, id);
  const items = await prisma().spotCheckItem.findMany({ where: { spotCheckId: id }, orderBy: { position: "asc" } });
  const again = await drawSample(check.districtCode, day(check.periodFrom), day(check.periodTo), check.seed, check.size);
  return {
    id: check.id,
    districtCode: check.districtCode,
    from: day(check.periodFrom),
    to: day(check.periodTo),
    method: check.method,
    requested: check.requested,
    size: check.size,
    population: check.population,
    seed: check.seed,
    createdAt: check.createdAt,
    reproducible: again.length === items.length && again.every((a, i) => a.id === items[i].taskId),
    items: items.map((i) => ({
      id: i.id,
      taskId: i.taskId,
      maskedId: maskIdNumber(i.idNumber),
      regionCode: i.regionCode,
      position: i.position,
      result: i.result,
      findings: i.findings as Record<string, boolean> | null,
      comment: i.comment,
      reopenedTaskId: i.reopenedTaskId,
    })),
  };
}

export async function listSpotChecks(actor: Actor) {
  const prefix = scopePrefix(actor, "quality:view");
  const checks = await prisma().spotCheck.findMany({ where: { districtCode: { startsWith: prefix } }, orderBy: { id: "desc" }, take: 200 });
  const counts = await prisma().spotCheckItem.groupBy({ by: ["spotCheckId", "result"], where: { spotCheckId: { in: checks.map((c) => c.id) } }, _count: { _all: true } });
  return checks.map((c) => {
    const n = (r: string | null) => counts.find((x) => x.spotCheckId === c.id && x.result === r)?._count._all ?? 0;
    return { id: c.id, districtCode: c.districtCode, from: day(c.periodFrom), to: day(c.periodTo), size: c.size, population: c.population, seed: c.seed, passed: n("PASS"), failed: n("FAIL"), open: n(null) };
  });
}

export const ZRecord = z
  .object({
    itemId: z.coerce.number().int(),
    comment: z.string().trim().max(500).optional(),
    ...Object.fromEntries(CHECK_FIELDS.map((f) => [f, z.enum(["yes", "no"], { message: "msg:quality.err.field" })])),
  })
  .transform((v) => v as { itemId: number; comment?: string } & Record<TCheckField, "yes" | "no">);

/**
 * Records the re-verification of one sampled record. A record with a field not confirmed needs a
 * comment (the finding) and fails: a new survey task for the person is created in its community.
 */
export async function recordCheck(actor: Actor, raw: Record<string, unknown>): Promise<{ result: "PASS" | "FAIL"; reopenedTaskId: number | null }> {
  requirePermission(actor, "quality:spot-check");
  const input = ZRecord.parse(raw);
  const findings = Object.fromEntries(CHECK_FIELDS.map((f) => [f, input[f] === "yes"])) as Record<TCheckField, boolean>;
  const failed = CHECK_FIELDS.filter((f) => !findings[f]);
  if (failed.length > 0 && !input.comment) throw new DomainError("quality.err.findingRequired", undefined, "comment");
  return prisma().$transaction(async (tx: Tx) => {
    const item = await tx.spotCheckItem.findUnique({ where: { id: input.itemId }, include: { spotCheck: true } });
    if (!item) throw new NotFoundError("spot check item");
    requireInScope(actor, "quality:spot-check", item.regionCode);
    if (item.result !== null) throw new DomainError("quality.err.alreadyRecorded");
    let reopenedTaskId: number | null = null;
    if (failed.length > 0) {
      const original = await tx.surveyTask.findUniqueOrThrow({ where: { id: item.taskId } });
      reopenedTaskId = await createTask(
        tx,
        actor,
        "spot_check_reopen",
        { idNumber: item.idNumber, regionCode: original.regionCode, reason: `质量抽查不一致：${input.comment}`, category: original.category, flags: original.flags, missingSchemes: original.missingSchemes, released: true },
        input.comment,
      );
    }
    const result: "PASS" | "FAIL" = failed.length > 0 ? "FAIL" : "PASS";
    const updated = await tx.spotCheckItem.updateMany({
      where: { id: item.id, result: null },
      data: { result, findings, comment: input.comment || null, checkedById: actor.id, checkedAt: new Date(), reopenedTaskId },
    });
    if (updated.count !== 1) throw new DomainError("quality.err.alreadyRecorded");
    await writeAudit(actor, { action: "quality.spot-check.record", entity: "spot_check_item", entityId: String(item.id), regionCode: item.regionCode, reason: input.comment, detail: { spotCheckId: item.spotCheckId, taskId: item.taskId, result, findings, reopenedTaskId } }, tx);
    return { result, reopenedTaskId };
  });
}

export interface PassRate {
  regionCode: string;
  checked: number;
  passed: number;
}

/**
 * Pass rate (passed / checked records) per district and per street, in the actor's scope; the level
 * is the code length (6: district, 9: street). Optionally for the checks drawn for a period overlapping [from, to].
 */
export async function passRates(actor: Actor, level: "DISTRICT" | "STREET", within?: string, period?: { from: string; to: string }): Promise<PassRate[]> {
  const prefix = within ?? scopePrefix(actor, "quality:view");
  requireInScope(actor, "quality:view", prefix);
  const len = level === "DISTRICT" ? 6 : 9;
  const { rows } = await pool().query<PassRate>(
    `SELECT left(i.region_code, $2) AS "regionCode", count(*)::int AS checked, count(*) FILTER (WHERE i.result = 'PASS')::int AS passed
       FROM spot_check_item i JOIN spot_check c ON c.id = i.spot_check_id
      WHERE starts_with(i.region_code, $1::text) AND i.result IS NOT NULL
        AND ($3::date IS NULL OR (c.period_to >= $3::date AND c.period_from <= $4::date))
      GROUP BY 1 ORDER BY 1`,
    [prefix, len, period?.from ?? null, period?.to ?? null],
  );
  return rows;
}
