import { pool, prisma } from "@/lib/db/client";
import { env } from "@/lib/env";
import { type Actor, NotFoundError, requireInScope, requirePermission } from "@/lib/policy";
import { emptyFigures, type Figures, figuresUnder, type StatsRun, statsRun } from "./figures";
import { NO_REGION } from "./measures";
import { monthTrend, runTrend, type TrendPoint } from "./trend";
import { reasonsUnder, type SurveyFigures, emptySurvey, surveyFiguresUnder } from "./survey";

// What the dashboard (/stats) shows for one region in the actor's scope: the latest run's figures of
// the region and of each child region (plus, at city level, the persons counted at city level only),
// the live survey figures and the reasons from approved forms. Every query is scoped by the region,
// which must lie in the actor's scope (else "not found").

export interface DashboardRow {
  code: string;
  name: string;
  figures: Figures;
  survey: SurveyFigures;
}

export interface Dashboard {
  region: { code: string; name: string; level: string; parentCode: string | null };
  run: StatsRun | null;
  total: DashboardRow;
  children: DashboardRow[];
  /** City level only: the '-' row (外地户籍在本地参保 / 未落地). */
  elsewhereRow: DashboardRow | null;
  reasons: { reason: string; persons: number }[];
  pensionTarget: number;
  /** The headline rates' measures across the last runs and month-end snapshots (lib/stats/trend.ts). */
  trend: { runs: TrendPoint[]; months: TrendPoint[] };
}

export async function pensionTarget(cityCode: string): Promise<number> {
  const { rows } = await pool().query<{ t: string }>(`SELECT pension_target::text AS t FROM stats_setting WHERE city_code = $1`, [cityCode]);
  return rows[0] ? Number(rows[0].t) : 90;
}

export async function dashboard(actor: Actor, regionCode?: string): Promise<Dashboard> {
  requirePermission(actor, "stats:view");
  const code = regionCode || actor.regionCode || "";
  if (!/^\d{4}(\d{2}(\d{3}(\d{3})?)?)?$/.test(code)) throw new NotFoundError("region");
  requireInScope(actor, "stats:view", code);
  const region = await prisma().region.findUnique({ where: { code }, select: { code: true, name: true, level: true, parentCode: true } });
  if (!region) throw new NotFoundError("region");
  const childLength = code.length === 4 ? 6 : code.length === 6 ? 9 : code.length === 9 ? 12 : null;
  const [children, run, survey, reasons, target, runs, months] = await Promise.all([
    prisma().region.findMany({ where: { parentCode: code }, orderBy: { code: "asc" }, select: { code: true, name: true } }),
    statsRun(pool(), "latest"),
    surveyFiguresUnder(pool(), code, childLength),
    reasonsUnder(pool(), code),
    pensionTarget(env().CITY_CODE),
    runTrend(pool(), code),
    monthTrend(pool(), code),
  ]);
  const figures = run ? await figuresUnder(pool(), run.id, code, { childLength }) : new Map<string, Figures>();
  const row = (c: string, name: string): DashboardRow => ({ code: c, name, figures: figures.get(c) ?? emptyFigures(), survey: survey.get(c) ?? emptySurvey() });
  return {
    region,
    run,
    total: row(code, region.name),
    children: children.map((c) => row(c.code, c.name)),
    elsewhereRow: code.length === 4 ? { ...row(NO_REGION, ""), survey: emptySurvey() } : null,
    reasons,
    pensionTarget: target,
    trend: { runs, months },
  };
}
