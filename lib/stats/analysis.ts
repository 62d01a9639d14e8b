import { DomainError } from "@/lib/auth/errors";
import { writeAudit } from "@/lib/audit/log";
import { pool, prisma } from "@/lib/db/client";
import type { Translate, TMessageKey } from "@/lib/i18n/messages";
import { type Actor, NotFoundError, requireInScope, requirePermission } from "@/lib/policy";
import { type Figures, snapshotFiguresUnder } from "./figures";
import { RATES } from "./measures";
import { currentMonth, type ReportRow, statsReport, type StatsReport } from "./report";

// 分析报告 (seed 000 七2): a district's report for a month — its figures and its streets' (the
// statistics report of the district, lib/stats/report.ts), the changes since its last submitted
// report (or, when there is none, since the latest month-end snapshot before the month), a short text
// generated from these numbers (analysisText), and the district's commentary. The district reviewer
// saves the commentary and submits (报送) the report to the city: the figures are then frozen in the
// row (stats_analysis_report.data) with who and when, and the report no longer changes. The city
// sees the submitted reports of its districts; a report is scoped by its district (another district:
// not found), and a report not submitted yet is the district's own business (the city: not found).

export interface AnalysisBase {
  /** "report": the district's last submitted report; "snapshot": a month-end snapshot. */
  kind: "report" | "snapshot";
  month: string;
  figures: Figures;
}

export interface AnalysisData {
  report: StatsReport;
  base: AnalysisBase | null;
}

export interface AnalysisReport {
  region: { code: string; name: string };
  month: string;
  data: AnalysisData;
  commentary: string;
  version: number;
  submitted: { at: Date; by: string } | null;
}

const DISTRICT = /^\d{6}$/;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

interface Row {
  id: number;
  commentary: string;
  data: AnalysisData | null;
  version: number;
  submitted_at: Date | null;
  submitted_by_login: string | null;
}

async function loadRow(district: string, month: string): Promise<Row | null> {
  const { rows } = await pool().query<Row>(
    `SELECT id, commentary, data, version, submitted_at, submitted_by_login FROM stats_analysis_report WHERE region_code = $1 AND month = $2`,
    [district, month],
  );
  return rows[0] ?? null;
}

/** The comparison base: the district's last submitted report before `month`, else the latest snapshot before it. */
async function baseFor(district: string, month: string): Promise<AnalysisBase | null> {
  const { rows } = await pool().query<{ month: string; data: AnalysisData }>(
    `SELECT month, data FROM stats_analysis_report WHERE region_code = $1 AND month < $2 AND submitted_at IS NOT NULL ORDER BY month DESC LIMIT 1`,
    [district, month],
  );
  if (rows[0]) return { kind: "report", month: rows[0].month, figures: rows[0].data.report.total.figures };
  const { rows: snap } = await pool().query<{ month: string }>(`SELECT max(month) AS month FROM stats_snapshot WHERE month < $1`, [month]);
  if (!snap[0]?.month) return null;
  const f = (await snapshotFiguresUnder(pool(), snap[0].month, district)).get(district);
  return f ? { kind: "snapshot", month: snap[0].month, figures: f } : null;
}

/** The report's live data (the current month): the district's statistics report and its base. */
async function liveData(actor: Actor, district: string, month: string): Promise<AnalysisData> {
  const report = await statsReport(actor, district, month);
  return { report, base: await baseFor(district, month) };
}

function checkDistrict(actor: Actor, district: string, month: string): void {
  requirePermission(actor, "stats:view");
  if (!DISTRICT.test(district) || !MONTH.test(month)) throw new NotFoundError("report");
  requireInScope(actor, "stats:view", district);
}

/**
 * The analysis report of `district` for `month` (default: the current month). The district's own
 * reviewer sees it live until it is submitted (drafting is for the current month only); anyone above
 * sees it only once submitted, with its frozen figures.
 */
export async function analysisReport(actor: Actor, district: string, month?: string): Promise<AnalysisReport> {
  const now = await currentMonth();
  const m = month || now;
  checkDistrict(actor, district, m);
  const region = await prisma().region.findUnique({ where: { code: district }, select: { code: true, name: true, level: true } });
  if (!region || region.level !== "DISTRICT") throw new NotFoundError("region");
  const row = await loadRow(district, m);
  const own = actor.regionCode === district;
  if (row?.submitted_at && row.data) {
    return { region, month: m, data: row.data, commentary: row.commentary, version: row.version, submitted: { at: row.submitted_at, by: row.submitted_by_login ?? "" } };
  }
  if (!own || m !== now) throw new NotFoundError("report");
  return { region, month: m, data: await liveData(actor, district, m), commentary: row?.commentary ?? "", version: row?.version ?? 0, submitted: null };
}

export interface AnalysisInput {
  district: string;
  month: string;
  commentary: string;
  expectedVersion: number;
}

/** Saves the commentary of the district's current report (a draft); refused once submitted. */
export async function saveAnalysis(actor: Actor, input: AnalysisInput, submit = false): Promise<{ version: number }> {
  requirePermission(actor, "stats:report");
  checkDistrict(actor, input.district, input.month);
  requireInScope(actor, "stats:report", input.district);
  if (actor.regionCode !== input.district) throw new NotFoundError("report");
  if (input.month !== (await currentMonth())) throw new DomainError("analysis.error.pastMonth");
  const data = submit ? await liveData(actor, input.district, input.month) : null;
  return prisma().$transaction(async (tx) => {
    const rows = await tx.$queryRawUnsafe<{ id: number; version: number; submitted_at: Date | null }[]>(
      `SELECT id, version, submitted_at FROM stats_analysis_report WHERE region_code = $1 AND month = $2 FOR UPDATE`,
      input.district,
      input.month,
    );
    const current = rows[0];
    if (current?.submitted_at) throw new DomainError("analysis.error.submitted");
    if ((current?.version ?? 0) !== input.expectedVersion) throw new DomainError("analysis.error.stale");
    let version: number;
    if (!current) {
      const ins = await tx.$queryRawUnsafe<{ id: number; version: number }[]>(
        `INSERT INTO stats_analysis_report (region_code, month, commentary, saved_by, data, submitted_by, submitted_by_login, submitted_at)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8) RETURNING id, version`,
        input.district,
        input.month,
        input.commentary,
        actor.id,
        data ? JSON.stringify(data) : null,
        data ? actor.id : null,
        data ? actor.login : null,
        data ? new Date() : null,
      );
      version = ins[0].version;
    } else {
      const up = await tx.$queryRawUnsafe<{ version: number }[]>(
        `UPDATE stats_analysis_report SET commentary = $2, saved_by = $3, saved_at = now(), version = version + 1,
                data = $4::jsonb, submitted_by = $5, submitted_by_login = $6, submitted_at = $7
          WHERE id = $1 RETURNING version`,
        current.id,
        input.commentary,
        actor.id,
        data ? JSON.stringify(data) : null,
        data ? actor.id : null,
        data ? actor.login : null,
        data ? new Date() : null,
      );
      version = up[0].version;
    }
    await writeAudit(
      actor,
      {
        action: submit ? "stats.analysis-submit" : "stats.analysis-save",
        entity: "stats_analysis_report",
        entityId: `${input.district}/${input.month}`,
        regionCode: input.district,
        detail: { month: input.month, chars: input.commentary.length, ...(data ? { runId: data.report.run?.id ?? null } : {}) },
      },
      tx,
    );
    return { version };
  });
}

/** 报送: freezes the report's figures with its commentary, stores who and when. */
export async function submitAnalysis(actor: Actor, input: AnalysisInput): Promise<{ version: number }> {
  return saveAnalysis(actor, input, true);
}

export interface SubmittedReport {
  code: string;
  name: string;
  submittedAt: Date | null;
  submittedBy: string | null;
}

/** 汇总: the districts at or below `region` (the user's by default) with whether each submitted its report for `month`. */
export async function submittedReports(actor: Actor, region: string, month: string): Promise<SubmittedReport[]> {
  requireInScope(actor, "stats:view", region);
  if (!MONTH.test(month)) throw new NotFoundError("month");
  const { rows } = await pool().query<{ code: string; name: string; submitted_at: Date | null; submitted_by_login: string | null }>(
    `SELECT g.code, g.name, a.submitted_at, a.submitted_by_login
       FROM region g
       LEFT JOIN stats_analysis_report a ON a.region_code = g.code AND a.month = $2 AND a.submitted_at IS NOT NULL
      WHERE g.level = 'DISTRICT' AND starts_with(g.code, left($1, 6))
      ORDER BY g.code`,
    [region, month],
  );
  return rows.map((r) => ({ code: r.code, name: r.name, submittedAt: r.submitted_at, submittedBy: r.submitted_by_login }));
}

// ---------------------------------------------------------------------------------------------
// The generated text: sentences built from the report's numbers (catalogue keys analysis.text.*).

/** Percentage points with one decimal, or null for a zero denominator. */
export function ratePct(f: Figures, num: string, den: string): number | null {
  const d = f[den] ?? 0;
  return d === 0 ? null : Math.round(((f[num] ?? 0) / d) * 1000) / 10;
}

function changeSentence(t: Translate, now: number | null, before: number | null, baseLabel: string): string {
  if (now === null || before === null) return "";
  const diff = Math.round((now - before) * 10) / 10;
  if (diff === 0) return t("analysis.text.same", { base: baseLabel });
  return t(diff > 0 ? "analysis.text.up" : "analysis.text.down", { base: baseLabel, pp: Math.abs(diff).toFixed(1) });
}

export function analysisText(t: Translate, data: AnalysisData): string[] {
  const f = data.report.total.figures;
  const baseLabel = data.base ? t(data.base.kind === "report" ? "analysis.base.report" : "analysis.base.snapshot", { month: data.base.month }) : "";
  const out: string[] = [];
  for (const code of ["pension", "registration", "medical"] as const) {
    const rate = RATES.find((r) => r.code === code)!;
    const now = ratePct(f, rate.num, rate.den);
    const label = t(rate.label as TMessageKey);
    if (now === null) {
      out.push(t("analysis.text.noRate", { rate: label }));
      continue;
    }
    const change = data.base ? changeSentence(t, now, ratePct(data.base.figures, rate.num, rate.den), baseLabel) : "";
    let s = t("analysis.text.rate", { rate: label, pct: now.toFixed(1), num: f[rate.num] ?? 0, den: f[rate.den] ?? 0 }) + change;
    if (code === "pension" && now < data.report.pensionTarget) s += t("analysis.text.belowTarget", { target: data.report.pensionTarget });
    out.push(s);
  }
  const reasons = data.report.reasons ?? [];
  const total = reasons.reduce((a, r) => a + r.persons, 0);
  if (reasons.length > 0 && total > 0) {
    const top = reasons[0];
    out.push(t("analysis.text.reason", { reason: t(`survey.reason.${top.reason}` as TMessageKey), share: Math.round((top.persons / total) * 100), n: top.persons, total }));
  }
  const s = data.report.total.survey;
  if (s.published > 0) out.push(t("analysis.text.survey", { pct: ((s.closed / s.published) * 100).toFixed(1), closed: s.closed, published: s.published }));
  // the street with the lowest pension rate
  const ranked = data.report.children
    .map((c: ReportRow) => ({ name: c.name, pct: ratePct(c.figures, "pension_active", "pension_applies") }))
    .filter((c): c is { name: string; pct: number } => c.pct !== null)
    .sort((a, b) => a.pct - b.pct);
  if (ranked.length > 1) out.push(t("analysis.text.lowest", { name: ranked[0].name, pct: ranked[0].pct.toFixed(1) }));
  return out;
}
