import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateCity } from "@/lib/comparison/generate";
import { runComparison } from "@/lib/comparison/run";
import { pool, prisma } from "@/lib/db/client";
import { translator } from "@/lib/i18n/messages";
import { importFile } from "@/lib/import/import-file";
import { dashboard } from "@/lib/stats/dashboard";
import { figuresUnder, snapshotFiguresUnder } from "@/lib/stats/figures";
import { formatRate } from "@/lib/stats/format";
import { RATES } from "@/lib/stats/measures";
import { currentMonth, statsReport } from "@/lib/stats/report";
import { rateCell, reportTables } from "@/lib/stats/report-tables";
import { takeSnapshot } from "@/lib/stats/snapshot";
import { freshDatabase } from "../../helpers/db";

// 统计报表: the report's tables carry lib/stats' figures of the same region (the run's aggregates for
// the current month, the snapshot's for a past month), region names, the totals row and the city's
// extra row; scoped like the dashboard.

const AS_OF = "2026-11-25";
const t = translator("zh");
const city = { id: 1, login: "c", role: "CITY_STAFF" as const, regionCode: "3204" };
let dir: string;

beforeAll(async () => {
  await freshDatabase();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "reports-"));
  const gen = await generateCity({ persons: 1500, outDir: dir, seed: 7, asOf: AS_OF });
  for (const f of gen.files) await importFile({ kind: f.kind, filePath: path.join(dir, f.file) });
  await runComparison({ asOf: AS_OF });
}, 120_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("统计报表", () => {
  it("the current month's tables equal lib/stats' figures of the region and its children, with totals and the extra row", async () => {
    const d = await dashboard(city);
    const r = await statsReport(city, undefined, undefined);
    expect(r.live).toBe(true);
    expect(r.month).toBe(await currentMonth());
    const figures = await figuresUnder(pool(), d.run!.id, "3204");
    const tables = reportTables(t, r);
    const coverage = tables.find((x) => x.key === "coverage")!;
    // one row per district (by name), the extra row, the totals row
    const districts = await prisma().region.findMany({ where: { parentCode: "3204" }, orderBy: { code: "asc" } });
    expect(coverage.rows.map((x) => x[0])).toEqual([...districts.map((x) => x.name), t("stats.elsewhereRow"), t("stats.total")]);
    const rowsFigures = [...districts.map((x) => figures.get(x.code)), figures.get("-"), figures.get("3204")];
    rowsFigures.forEach((f, i) => {
      expect(coverage.rows[i][1]).toBe(f?.persons ?? 0);
      expect(coverage.rows[i][2]).toBe(f?.to_register ?? 0);
      RATES.forEach((rate, j) => expect(coverage.rows[i][3 + j]).toBe(`${formatRate(f?.[rate.num] ?? 0, f?.[rate.den] ?? 0)}（${f?.[rate.num] ?? 0}/${f?.[rate.den] ?? 0}）`));
    });
    // the children plus the extra row add up to the totals row
    for (let col = 1; col < coverage.header.length; col++) {
      if (typeof coverage.rows[0][col] !== "number") continue;
      const sum = coverage.rows.slice(0, -1).reduce((a, x) => a + (x[col] as number), 0);
      expect(sum, coverage.header[col]).toBe(coverage.rows.at(-1)![col]);
    }
    const categories = tables.find((x) => x.key === "categories")!;
    expect(categories.rows.at(-1)!.slice(1)).toEqual([figures.get("3204")!.persons, ...Object.entries(figures.get("3204")!).filter(([k]) => k.startsWith("category:")).map(([, v]) => v), figures.get("3204")!.needs_survey]);
    // survey progress: tasks per state of the live counters
    const survey = tables.find((x) => x.key === "survey")!;
    expect(survey.rows.at(-1)!.slice(1, 10)).toEqual(Object.values(d.total.survey.byState));
    expect(survey.rows.at(-1)![10]).toBe(rateCell(d.total.survey.closed, d.total.survey.published));
  });

  it("every figure of the report opens its person list, and the list has as many rows as the figure (a rate: its numerator)", async () => {
    const { personListAll } = await import("@/lib/stats/persons");
    const district = (await prisma().region.findFirst({ where: { level: "DISTRICT" }, orderBy: { code: "asc" } }))!.code;
    for (const region of [undefined, district]) {
      const r = await statsReport(city, region, undefined);
      let checked = 0;
      for (const table of reportTables(t, r)) {
        expect(table.links.length, table.key).toBe(table.rows.length);
        table.rows.forEach((row, i) => row.forEach((cell, j) => {
          // a number or a rate of the run is linked; a name is not
          if (j > 0 && table.key !== "reasons") expect(table.links[i][j], `${table.key} ${i} ${j}`).not.toBeNull();
        }));
        for (const [i, row] of table.rows.entries()) {
          for (const [j, cell] of row.entries()) {
            const href = table.links[i][j];
            if (!href) continue;
            const sp = new URL(href, "http://x").searchParams;
            const rows = (await personListAll(city, { run: sp.get("run") ? Number(sp.get("run")) : undefined, region: sp.get("region")!, measure: sp.get("measure")! })).rows.length;
            const shown = typeof cell === "number" ? cell : Number(/（(\d+)\//.exec(cell)![1]);
            expect(rows, `${table.key} ${row[0]} ${table.header[j]}`).toBe(shown);
            checked++;
          }
        }
      }
      expect(checked).toBeGreaterThan(50);
    }
  }, 120_000);

  it("a region's codes are the index range [prefix, prefixEnd(prefix)) of digit strings", async () => {
    const { prefixEnd } = await import("@/lib/stats/persons");
    expect(prefixEnd("320402")).toBe("320403");
    expect(prefixEnd("320409")).toBe("320410");
    expect(prefixEnd("320402099999")).toBe("320402100000");
    expect(prefixEnd("9999")).toBe("A");
    const codes = (await prisma().region.findMany({ select: { code: true } })).map((r) => r.code);
    for (const p of codes.filter((c) => c.length < 12)) {
      const inRange = codes.filter((c) => c >= p && c < prefixEnd(p)).sort();
      expect(inRange, p).toEqual(codes.filter((c) => c.startsWith(p)).sort());
    }
  });

  it("a rate with a zero denominator shows —", () => {
    expect(rateCell(0, 0)).toBe("—（0/0）");
  });

  it("a past month is its snapshot's figures, not today's", async () => {
    const now = await currentMonth();
    const [y, m] = now.split("-").map(Number);
    const past = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, "0")}`;
    await takeSnapshot(past);
    // change today's figures after the snapshot: a later run with another basis moves them
    await runComparison({ asOf: AS_OF, basis: "residence" });
    const district = (await prisma().region.findFirst({ where: { level: "DISTRICT" }, orderBy: { code: "asc" } }))!.code;
    const reviewer = { id: 2, login: "d", role: "DISTRICT_REVIEWER" as const, regionCode: district };
    const r = await statsReport(reviewer, undefined, past);
    expect(r.live).toBe(false);
    const snap = await snapshotFiguresUnder(pool(), past, district);
    const streets = await prisma().region.findMany({ where: { parentCode: district }, orderBy: { code: "asc" } });
    const coverage = reportTables(t, r).find((x) => x.key === "coverage")!;
    expect(coverage.rows.map((x) => x[1])).toEqual([...streets.map((s) => snap.get(s.code)?.persons ?? 0), snap.get(district)!.persons]);
    expect(r.total.survey.byState.PENDING).toBe(snap.get(district)!["tasks:PENDING"] ?? 0);
    // no extra row below city level; reasons and return rate not kept for a past month
    expect(r.elsewhereRow).toBeNull();
    expect(reportTables(t, r).find((x) => x.key === "reasons")!.note).toBe(t("report.reasonsNotKept"));
    // a month without a snapshot, a future month, another district: not found
    await expect(statsReport(reviewer, undefined, "2001-01")).rejects.toThrow(/^not found/);
    await expect(statsReport(reviewer, undefined, "2999-01")).rejects.toThrow(/^not found/);
    const other = (await prisma().region.findFirst({ where: { level: "DISTRICT", NOT: { code: district } } }))!.code;
    await expect(statsReport(reviewer, other, undefined)).rejects.toThrow(/^not found/);
    await expect(statsReport(reviewer, other, past)).rejects.toThrow(/^not found/);
  });
});

describe("分析报告 and 汇总", () => {
  it("the generated text carries the figures; submit freezes the report, the city sees it, another district does not", async () => {
    const { analysisReport, analysisText, saveAnalysis, submitAnalysis, submittedReports, ratePct } = await import("@/lib/stats/analysis");
    const { reviewTask } = await import("@/lib/review/mutations");
    const districts = await prisma().region.findMany({ where: { level: "DISTRICT" }, orderBy: { code: "asc" } });
    const [d1, d2] = districts.map((d) => d.code);
    const mk = async (login: string, role: "DISTRICT_REVIEWER" | "CITY_STAFF" | "STREET_CLERK", regionCode: string) => {
      const u = await prisma().user.create({ data: { login, realName: login, passwordHash: "x", role, regionCode } });
      return { id: u.id, login, role, regionCode };
    };
    const reviewer = await mk("an_d1", "DISTRICT_REVIEWER", d1);
    const other = await mk("an_d2", "DISTRICT_REVIEWER", d2);
    const cityUser = await mk("an_city", "CITY_STAFF", "3204");
    const street = (await prisma().region.findFirst({ where: { parentCode: d1 } }))!.code;
    const clerk = await mk("an_street", "STREET_CLERK", street);
    const month = await currentMonth();

    const draft = await analysisReport(reviewer, d1);
    expect(draft.submitted).toBeNull();
    // the report's figures are lib/stats' figures of the district
    const d = await dashboard(reviewer);
    expect(draft.data.report.total.figures).toEqual(d.total.figures);
    // the base is the month-end snapshot taken above (no earlier report)
    expect(draft.data.base?.kind).toBe("snapshot");
    // the text's numbers are the figures
    const text = analysisText(t, draft.data);
    const f = d.total.figures;
    const pension = ratePct(f, "pension_active", "pension_applies")!;
    expect(text[0]).toContain(`${t("stats.r.pension")} ${pension.toFixed(1)}%（${f.pension_active}/${f.pension_applies}）`);
    const before = ratePct(draft.data.base!.figures, "pension_active", "pension_applies")!;
    const diff = Math.round((pension - before) * 10) / 10;
    if (diff !== 0) expect(text[0]).toContain(`${Math.abs(diff).toFixed(1)} 个百分点`);
    expect(text[1]).toContain(`${t("stats.r.registration")} ${ratePct(f, "registered", "to_register")!.toFixed(1)}%（${f.registered}/${f.to_register}）`);

    // not submitted: the city, another district and a street below do not see it
    await expect(analysisReport(cityUser, d1)).rejects.toThrow(/^not found/);
    await expect(analysisReport(other, d1)).rejects.toThrow(/^not found/);
    await expect(analysisReport(clerk, d1)).rejects.toThrow(/^not found/);
    await expect(saveAnalysis(other, { district: d1, month, commentary: "x", expectedVersion: 0 })).rejects.toThrow(/^not found/);

    // save, a stale version refused, submit
    const { version } = await saveAnalysis(reviewer, { district: d1, month, commentary: "草稿", expectedVersion: 0 });
    await expect(saveAnalysis(reviewer, { district: d1, month, commentary: "旧", expectedVersion: 0 })).rejects.toThrow("analysis.error.stale");
    await submitAnalysis(reviewer, { district: d1, month, commentary: "本区参保率稳步提高。", expectedVersion: version });
    const audit = await prisma().auditLog.findMany({ where: { action: { in: ["stats.analysis-save", "stats.analysis-submit"] } }, orderBy: { id: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["stats.analysis-save", "stats.analysis-submit"]);

    // a district approval moves today's figures; the submitted report keeps its own
    const task = (await pool().query<{ id: number; version: number; id_number: string }>(
      `SELECT t.id, t.version, t.id_number FROM survey_task t WHERE starts_with(t.region_code, $1) AND t.state = 'PENDING' LIMIT 1`, [d1])).rows[0];
    if (task) {
      await pool().query(`UPDATE survey_task SET state = 'STREET_APPROVED' WHERE id = $1`, [task.id]);
      await pool().query(`INSERT INTO survey_form (task_id, data) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [task.id, JSON.stringify({ employment: "UNEMPLOYED", mobile: "13912345678", pension: "RESIDENT", medical: "RESIDENT", surveyors: ["甲", "乙"] })]);
      const v = (await pool().query<{ version: number }>(`SELECT version FROM survey_task WHERE id = $1`, [task.id])).rows[0].version;
      await reviewTask(reviewer, { taskId: task.id, decision: "approve", expectedVersion: v });
    }
    const frozen = await analysisReport(cityUser, d1);
    expect(frozen.submitted?.by).toBe("an_d1");
    expect(frozen.commentary).toBe("本区参保率稳步提高。");
    expect(frozen.data.report.total.figures).toEqual(d.total.figures);
    if (task) expect((await dashboard(reviewer)).total.figures.registered).not.toBe(d.total.figures.registered);
    // frozen: no more changes
    await expect(saveAnalysis(reviewer, { district: d1, month, commentary: "改", expectedVersion: frozen.version })).rejects.toThrow("analysis.error.submitted");
    // still not for another district; the city's summary lists it as submitted
    await expect(analysisReport(other, d1)).rejects.toThrow(/^not found/);
    const list = await submittedReports(cityUser, "3204", month);
    expect(list.map((x) => [x.code, x.submittedAt !== null])).toEqual(districts.map((x) => [x.code, x.code === d1]));
    expect((await submittedReports(other, d2, month)).map((x) => x.code)).toEqual([d2]);
  });
});
