import fs from "node:fs";
import ExcelJS from "exceljs";
import { expect, test } from "@playwright/test";
import { query, signIn } from "./fixtures";

// Reports (issue 12): the statistical report prints and exports; the district analysis report (分析报告)
// prints as an A4 PDF and is submitted (报送) to the city, which sees it in its summary (汇总); another
// district cannot open it.

const SHOTS = process.env.REPORT_SHOTS_DIR;

test("统计报表: A4 print page and XLSX with one sheet per table", async ({ page }) => {
  await signIn(page, "tianning");
  await page.goto("/stats");
  await page.getByTestId("stats-report-link").click();
  await expect(page.getByTestId("print-stats-report")).toBeVisible();
  await expect(page.getByTestId("report-coverage-total")).toContainText("合计");
  await expect(page.getByTestId("report-table-coverage")).not.toContainText("320402");
  const pdf = await page.pdf({ format: "A4", landscape: true, printBackground: true });
  expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
  if (SHOTS) fs.writeFileSync(`${SHOTS}/stats-report.pdf`, pdf);
  const download = page.waitForEvent("download");
  await page.getByTestId("report-xlsx").click();
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile((await (await download).path())!);
  expect(wb.worksheets.map((w) => w.name)).toEqual(["登记与参保情况（分地区、分险种）", "比对人员分类情况", "未参保原因", "入户调查进度"]);
  const audit = await query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action IN ('stats.report-print', 'stats.report-export') AND user_login = 'tianning'`);
  expect(audit[0].n).toBeGreaterThanOrEqual(2);
});

test("the district analysis report prints as a PDF and is submitted to the city, which sees it", async ({ page, browser }) => {
  await signIn(page, "tianning");
  await page.goto("/stats");
  await page.getByTestId("stats-analysis-link").click();
  await expect(page.getByTestId("analysis-page")).toBeVisible();
  await expect(page.getByTestId("analysis-text")).toContainText("养老参保率");
  await expect(page.getByTestId("analysis-status")).toContainText("未报送");
  await page.getByTestId("analysis-commentary").fill("本区养老参保率稳步提高，下月重点动员灵活就业人员。");
  await page.getByTestId("analysis-save").click();
  await expect(page.getByText("已保存。")).toBeVisible();
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/analysis-page.png`, fullPage: true });

  // A4 PDF of the print page
  await page.goto("/print/stats/analysis");
  await expect(page.getByTestId("print-analysis")).toContainText("本区养老参保率稳步提高");
  const pdf = await page.pdf({ format: "A4", printBackground: true });
  expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
  expect(pdf.length).toBeGreaterThan(5_000);
  if (SHOTS) fs.writeFileSync(`${SHOTS}/analysis.pdf`, pdf);

  // 报送
  await page.goto("/stats/analysis");
  page.once("dialog", (d) => d.accept());
  await page.getByTestId("analysis-submit").click();
  await expect(page.getByTestId("analysis-status")).toContainText("由 tianning 报送");
  await expect(page.getByTestId("analysis-form")).toHaveCount(0);
  const stored = await query<{ n: number }>(`SELECT count(*)::int AS n FROM stats_analysis_report WHERE region_code = '320402' AND submitted_at IS NOT NULL AND data IS NOT NULL`);
  expect(stored[0].n).toBe(1);

  // another district: not found, by URL
  const otherCtx = await browser.newContext();
  const other = await otherCtx.newPage();
  await signIn(other, "zhonglou");
  await other.goto("/stats/analysis?region=320402");
  await expect(other.getByTestId("refusal")).toBeVisible();
  await otherCtx.close();

  // the city sees it in its summary and opens it
  const cityCtx = await browser.newContext();
  const city = await cityCtx.newPage();
  await signIn(city, "city");
  await city.goto("/stats");
  await city.getByTestId("stats-summary-link").click();
  await expect(city.getByTestId("summary-report-320402")).toContainText("由 tianning 报送");
  if (SHOTS) await city.screenshot({ path: `${SHOTS}/summary.png`, fullPage: true });
  await city.getByTestId("summary-open-320402").click();
  await expect(city.getByTestId("analysis-commentary-text")).toContainText("本区养老参保率稳步提高");
  await expect(city.getByTestId("analysis-form")).toHaveCount(0);
  await cityCtx.close();
});
