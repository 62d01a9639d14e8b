import { CATEGORIES } from "@/lib/comparison/codes";
import type { TMessageKey, Translate } from "@/lib/i18n/messages";
import { formatRate } from "./format";
import { NO_REGION, RATES } from "./measures";
import type { ReportRow, StatsReport } from "./report";
import { TASK_STATES } from "./survey";

// The standard tables of 统计报表, as rows of cells, shared by the A4 print page and the XLSX file
// so both carry exactly the same content: labels from the catalogue, region names (never codes), a
// totals row, the city's extra row, rates with numerator and denominator ("—" for a zero one).

export type Cell = string | number;

export interface ReportTable {
  key: "coverage" | "categories" | "reasons" | "survey";
  title: string;
  header: string[];
  rows: Cell[][];
  /** Index of the totals row in `rows` (bold), if any. */
  totalIndex: number | null;
  note?: string;
  /**
   * The person list (人员明细, /stats/persons) behind each cell, parallel to `rows` (null: none —
   * names, or a past month's survey and reasons, which a snapshot keeps as counts only). A rate's
   * cell opens its numerator's list. The print page links the figures; the XLSX ignores this.
   */
  links: (string | null)[][];
}

/** "86.2%（862/1000）" — "—（0/0）" when the denominator is zero. */
export function rateCell(num: number, den: number): string {
  return `${formatRate(num, den)}（${num}/${den}）`;
}

export function reportTables(t: Translate, r: StatsReport): ReportTable[] {
  // the run's figures: the run the report is from (for a past month, the run its snapshot kept)
  const runList = (code: string, measure: string) =>
    r.run ? `/stats/persons?run=${r.run.id}&region=${encodeURIComponent(code)}&measure=${encodeURIComponent(measure)}` : null;
  // live survey figures only: a snapshot's task counts are not kept per person
  const surveyList = (code: string, measure: string) => (r.live && code !== NO_REGION ? `/stats/persons?region=${encodeURIComponent(code)}&measure=${encodeURIComponent(measure)}` : null);
  const rows: ReportRow[] = [...r.children, ...(r.elsewhereRow ? [{ ...r.elsewhereRow, name: t("stats.elsewhereRow") }] : [])];
  const withTotal = [...rows, { ...r.total, name: t("stats.total") }];
  const coverage: ReportTable = {
    key: "coverage",
    title: t("report.t.coverage"),
    header: [t("stats.region"), t("stats.m.persons"), t("stats.m.to_register"), ...RATES.map((x) => t(x.label as TMessageKey)), t("stats.m.elsewhere_in_province"), t("stats.m.elsewhere_out_of_province")],
    rows: withTotal.map((row) => [
      row.name,
      row.figures.persons ?? 0,
      row.figures.to_register ?? 0,
      ...RATES.map((x) => rateCell(row.figures[x.num] ?? 0, row.figures[x.den] ?? 0)),
      row.figures.elsewhere_in_province ?? 0,
      row.figures.elsewhere_out_of_province ?? 0,
    ]),
    totalIndex: rows.length,
    links: withTotal.map((row) => [
      null,
      runList(row.code, "persons"),
      runList(row.code, "to_register"),
      ...RATES.map((x) => runList(row.code, x.num)),
      runList(row.code, "elsewhere_in_province"),
      runList(row.code, "elsewhere_out_of_province"),
    ]),
  };
  const categories: ReportTable = {
    key: "categories",
    title: t("report.t.categories"),
    header: [t("stats.region"), t("stats.m.persons"), ...CATEGORIES.map((c) => t(`comparison.category.${c}` as TMessageKey)), t("stats.m.needs_survey")],
    rows: withTotal.map((row) => [row.name, row.figures.persons ?? 0, ...CATEGORIES.map((c) => row.figures[`category:${c}`] ?? 0), row.figures.needs_survey ?? 0]),
    totalIndex: rows.length,
    links: withTotal.map((row) => [null, runList(row.code, "persons"), ...CATEGORIES.map((c) => runList(row.code, `category:${c}`)), runList(row.code, "needs_survey")]),
  };
  const reasonTotal = (r.reasons ?? []).reduce((a, x) => a + x.persons, 0);
  const reasons: ReportTable = {
    key: "reasons",
    title: t("report.t.reasons"),
    header: [t("report.col.reason"), t("report.col.persons"), t("report.col.share")],
    rows: (r.reasons ?? []).map((x) => [t(`survey.reason.${x.reason}` as TMessageKey), x.persons, formatRate(x.persons, reasonTotal)]),
    totalIndex: null,
    links: (r.reasons ?? []).map((x) => [null, surveyList(r.region.code, `reason:${x.reason}`), null]),
    note: r.reasons === null ? t("report.reasonsNotKept") : r.reasons.length === 0 ? t("stats.noReasons") : t("report.reasonsNote"),
  };
  const surveyRows = r.children; // tasks belong to communities: the '-' row has none
  const survey: ReportTable = {
    key: "survey",
    title: t("report.t.survey"),
    header: [t("stats.region"), ...TASK_STATES.map((s) => t(`task.state.${s}` as TMessageKey)), t("report.col.completion"), t("report.col.returnRate")],
    rows: [...surveyRows, { ...r.total, name: t("stats.total") }].map((row) => [
      row.name,
      ...TASK_STATES.map((s) => row.survey.byState[s] ?? 0),
      rateCell(row.survey.closed, row.survey.published),
      r.returnRateKnown ? rateCell(row.survey.returned, row.survey.submitted) : "—",
    ]),
    totalIndex: surveyRows.length,
    links: [...surveyRows, r.total].map((row) => [
      null,
      ...TASK_STATES.map((s) => surveyList(row.code, `tasks:${s}`)),
      surveyList(row.code, "tasks:closed"),
      r.returnRateKnown ? surveyList(row.code, "tasks:returned") : null,
    ]),
    note: r.returnRateKnown ? t("report.surveyNote") : t("report.returnNotKept"),
  };
  return [coverage, categories, reasons, survey];
}
