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
