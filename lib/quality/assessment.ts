import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { writeAudit } from "@/lib/audit/log";
import { DomainError } from "@/lib/auth/errors";
import { pool, prisma } from "@/lib/db/client";
import { type Actor, requireInScope, requirePermission, ROLE_LEVEL, scopePrefix } from "@/lib/policy";

// 考核 (seed 000 九2, seed 004 第34–35条): indicators per district (city view) or per street (a
// district's view) for the survey tasks of one comparison run, as of the end of a chosen period, and
// a weighted score ranking them. The indicators are ./sql/assessment.sql; settings (the run's survey
// deadline, the weights) are set by the city. The outcome indicators (./sql/assessment-outcomes.sql)
// come from the statistics aggregates and the outreach ledger: the change of 登记率 since the run
// (registered now minus registered right after the run = its CONFIRMED count), the change of
// 养老参保率 against the previous run with statistics (the pension figures belong to a run and move
// only with the next one; the previous run rather than a month snapshot, so that two runs in one
// month still compare), and outreach conversions (enrolled ÷ entries of the ledger up to the run).

export const INDICATORS = ["completion", "onTime", "speed", "returns", "spotCheck", "registration", "pension", "outreach"] as const;
export type TIndicator = (typeof INDICATORS)[number];
export const DEFAULT_WEIGHTS: Record<TIndicator, number> = { completion: 30, onTime: 15, speed: 10, returns: 10, spotCheck: 10, registration: 10, pension: 10, outreach: 5 };

/** The task indicators (./sql/assessment.sql). */
export interface TaskIndicatorRow {
  regionCode: string;
  tasks: number;
  completed: number;
  overdue: number;
  medianDays: number | null;
  submitted: number;
  returned: number;
  checked: number;
  passed: number;
}

/** The outcome indicators (./sql/assessment-outcomes.sql). */
export interface OutcomeRow {
  regionCode: string;
  toRegister: number;
  registered: number;
  confirmedAtRun: number;
  pensionApplies: number;
  pensionActive: number;
  /** null when no earlier run has statistics */
  prevPensionApplies: number | null;
  prevPensionActive: number | null;
  entries: number;
  enrolled: number;
}

export type IndicatorRow = TaskIndicatorRow & Omit<OutcomeRow, "regionCode">;

const NO_OUTCOMES: Omit<OutcomeRow, "regionCode"> = { toRegister: 0, registered: 0, confirmedAtRun: 0, pensionApplies: 0, pensionActive: 0, prevPensionApplies: null, prevPensionActive: null, entries: 0, enrolled: 0 };
const NO_TASKS: Omit<TaskIndicatorRow, "regionCode"> = { tasks: 0, completed: 0, overdue: 0, medianDays: null, submitted: 0, returned: 0, checked: 0, passed: 0 };

/** 登记率 since the run, in percentage points: (registered now − registered right after the run) / to_register. */
export function registrationChange(r: IndicatorRow): number | null {
  return r.toRegister ? (100 * (r.registered - r.confirmedAtRun)) / r.toRegister : null;
}

/** 养老参保率 of the run minus that of the previous run, in percentage points (null without both). */
export function pensionChange(r: IndicatorRow): number | null {
  if (!r.pensionApplies || !r.prevPensionApplies || r.prevPensionActive === null) return null;
  return (100 * r.pensionActive) / r.pensionApplies - (100 * r.prevPensionActive) / r.prevPensionApplies;
}

export interface RankedRow extends IndicatorRow {
  regionName: string;
  /** Each indicator's score in [0, 1]; null when it has no data (left out of the weighted score). */
  scores: Record<TIndicator, number | null>;
  score: number;
  rank: number;
}

const SQL_DIRS = [path.join(import.meta.dirname ?? "", "sql"), path.join(process.cwd(), "lib/quality/sql")];
const sqlCache = new Map<string, string>();
function sql(name: string): string {
  let text = sqlCache.get(name);
  if (text === undefined) {
    const dir = SQL_DIRS.find((d) => fs.existsSync(path.join(d, name)));
    if (!dir) throw new Error(`lib/quality/sql/${name} not found`);
    text = fs.readFileSync(path.join(dir, name), "utf8");
    sqlCache.set(name, text);
  }
  return text;
}

/** The task indicators of run `runId` under `prefix`, per child region (code length `len`), as of `to`. */
export async function indicatorRows(runId: number, prefix: string, len: 6 | 9, period: { from: string; to: string }, deadline: string | null): Promise<TaskIndicatorRow[]> {
  return (await pool().query<TaskIndicatorRow>(sql("assessment.sql"), [runId, prefix, len, period.from, period.to, deadline])).rows;
}

/** The outcome indicators of run `runId` under `prefix`, per child region (code length `len`). */
export async function outcomeRows(runId: number, prefix: string, len: 6 | 9): Promise<OutcomeRow[]> {
  return (await pool().query<OutcomeRow>(sql("assessment-outcomes.sql"), [runId, prefix, len])).rows;
}

/** Both kinds per region (a region with only one kind gets zeros for the other). */
export function mergeRows(tasks: TaskIndicatorRow[], outcomes: OutcomeRow[]): IndicatorRow[] {
  const out = new Map<string, IndicatorRow>();
  for (const t of tasks) out.set(t.regionCode, { ...NO_OUTCOMES, ...t });
  for (const o of outcomes) out.set(o.regionCode, { ...NO_TASKS, ...out.get(o.regionCode), ...o });
  return [...out.values()].sort((a, b) => a.regionCode.localeCompare(b.regionCode));
}

export async function getWeights(): Promise<Record<TIndicator, number>> {
  const rows = await prisma().assessmentWeight.findMany();
  const w = { ...DEFAULT_WEIGHTS };
  for (const r of rows) if ((INDICATORS as readonly string[]).includes(r.indicator)) w[r.indicator as TIndicator] = r.weight;
  return w;
}

export async function getDeadline(runId: number): Promise<string | null> {
  const d = await prisma().runDeadline.findUnique({ where: { runId } });
  return d ? d.deadline.toISOString().slice(0, 10) : null;
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

function pensionGapClosed(r: IndicatorRow): number | null {
  const change = pensionChange(r);
  if (change === null || r.prevPensionActive === null || !r.prevPensionApplies) return null;
  const prevGap = 100 - (100 * r.prevPensionActive) / r.prevPensionApplies;
  return prevGap > 0 ? clamp01(change / prevGap) : null;
}

/**
 * Scores in [0, 1]: rates as they are, on time = 1 − overdue share, speed = fastest median / own
 * median, registration / pension = share of the gap closed (see above), outreach = conversion rate.
 */
export function scoreRows(rows: IndicatorRow[], weights: Record<TIndicator, number>): Omit<RankedRow, "regionName">[] {
  const medians = rows.map((r) => r.medianDays).filter((m): m is number => m !== null);
  const fastest = medians.length ? Math.min(...medians) : null;
  const scored = rows.map((r) => {
    const scores: Record<TIndicator, number | null> = {
      completion: r.tasks ? r.completed / r.tasks : null,
      onTime: r.tasks ? 1 - r.overdue / r.tasks : null,
      speed: r.medianDays === null || fastest === null ? null : r.medianDays <= 0 ? 1 : Math.max(fastest, 0) / r.medianDays,
      returns: r.submitted ? 1 - r.returned / r.submitted : null,
      spotCheck: r.checked ? r.passed / r.checked : null,
      // the share of the run's registration gap (to_register − registered after the run) closed since
      registration: r.toRegister > r.confirmedAtRun ? clamp01((r.registered - r.confirmedAtRun) / (r.toRegister - r.confirmedAtRun)) : null,
      // the share of the previous run's pension gap closed by this run (a fall scores 0)
      pension: pensionGapClosed(r),
      outreach: r.entries ? r.enrolled / r.entries : null,
    };
    let sum = 0;
    let weight = 0;
    for (const k of INDICATORS) {
      const s = scores[k];
      if (s === null || weights[k] <= 0) continue;
      sum += weights[k] * s;
      weight += weights[k];
    }
    return { ...r, scores, score: weight ? Math.round((1000 * sum) / weight) / 10 : 0, rank: 0 };
  });
  scored.sort((a, b) => b.score - a.score || a.regionCode.localeCompare(b.regionCode));
  scored.forEach((r, i) => (r.rank = i > 0 && r.score === scored[i - 1].score ? scored[i - 1].rank : i + 1));
  return scored;
}

export const ZPeriod = z
  .object({ run: z.coerce.number().int().positive(), from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) })
  .refine((v) => v.from <= v.to, { message: "msg:quality.err.period", path: ["to"] });

/**
 * The ranking the actor sees: the city ranks the districts, a district its streets (the same way).
 * `within` (a district, for city staff) ranks that district's streets.
 */
export async function assessment(actor: Actor, input: { run: number; from: string; to: string }, within?: string): Promise<{ level: "DISTRICT" | "STREET"; prefix: string; deadline: string | null; weights: Record<TIndicator, number>; rows: RankedRow[] }> {
  const own = scopePrefix(actor, "assessment:view");
  const prefix = within ?? own;
  requireInScope(actor, "assessment:view", prefix);
  const level = prefix.length <= 4 ? "DISTRICT" : "STREET";
  const [deadline, weights] = [await getDeadline(input.run), await getWeights()];
  const len = level === "DISTRICT" ? 6 : 9;
  const rows = mergeRows(await indicatorRows(input.run, prefix, len, input, deadline), await outcomeRows(input.run, prefix, len));
  const names = new Map((await prisma().region.findMany({ where: { code: { in: rows.map((r) => r.regionCode) } }, select: { code: true, name: true } })).map((r) => [r.code, r.name]));
  return { level, prefix, deadline, weights, rows: scoreRows(rows, weights).map((r) => ({ ...r, regionName: names.get(r.regionCode) ?? r.regionCode })) };
}

export const ZDeadline = z.object({ run: z.coerce.number().int().positive(), deadline: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "msg:quality.err.date") });

/** The city sets (or moves) the survey deadline of a run's tasks. */
export async function setDeadline(actor: Actor, input: z.infer<typeof ZDeadline>): Promise<void> {
  requirePermission(actor, "assessment:settings");
  if (ROLE_LEVEL[actor.role] !== "CITY") throw new DomainError("error.forbidden");
  await prisma().$transaction(async (tx) => {
    const run = await tx.comparisonRun.findUnique({ where: { id: input.run }, select: { status: true } });
    if (!run || run.status !== "DONE") throw new DomainError("assessment.err.run", undefined, "run");
    const deadline = new Date(`${input.deadline}T00:00:00Z`);
    await tx.runDeadline.upsert({ where: { runId: input.run }, create: { runId: input.run, deadline, setById: actor.id }, update: { deadline, setById: actor.id, setAt: new Date() } });
    await writeAudit(actor, { action: "assessment.deadline", entity: "comparison_run", entityId: String(input.run), regionCode: actor.regionCode, detail: { deadline: input.deadline } }, tx);
  });
}

const weight = z.coerce.number({ message: "msg:assessment.err.weight" }).int("msg:assessment.err.weight").min(0, "msg:assessment.err.weight").max(100, "msg:assessment.err.weight");
export const ZWeights = z.object(Object.fromEntries(INDICATORS.map((k) => [k, weight])) as Record<TIndicator, typeof weight>).refine((w) => INDICATORS.some((k) => w[k] > 0), { message: "msg:assessment.err.weight", path: ["completion"] });

export async function setWeights(actor: Actor, input: z.infer<typeof ZWeights>): Promise<void> {
  requirePermission(actor, "assessment:settings");
  await prisma().$transaction(async (tx) => {
    for (const k of INDICATORS) {
      await tx.assessmentWeight.upsert({ where: { indicator: k }, create: { indicator: k, weight: input[k], setById: actor.id }, update: { weight: input[k], setById: actor.id, setAt: new Date() } });
    }
    await writeAudit(actor, { action: "assessment.weights", entity: "assessment_weight", regionCode: actor.regionCode, detail: { ...input } }, tx);
  });
}

/** Finished runs, newest first (for the run choice); `tasks`: the run published survey tasks of its own. */
export async function doneRuns(): Promise<{ id: number; asOf: string; tasks: boolean }[]> {
  const { rows } = await pool().query<{ id: number; as_of: string; tasks: boolean }>(
    `SELECT r.id, to_char(r.as_of, 'YYYY-MM-DD') AS as_of, EXISTS (SELECT 1 FROM survey_task t WHERE t.created_run_id = r.id) AS tasks
       FROM comparison_run r WHERE r.status = 'DONE' ORDER BY r.id DESC LIMIT 50`,
  );
  return rows.map((r) => ({ id: r.id, asOf: r.as_of, tasks: r.tasks }));
}

/** Today's date in China time (YYYY-MM-DD). */
export function chinaToday(): string {
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
}
