import ExcelJS from "exceljs";
import { expect, test } from "@playwright/test";
import { query, signIn } from "./fixtures";

// 统计分析 in the browser: a district reviewer opens the dashboard, clicks a chart segment and a
// figure, gets the matching person list and exports it to XLSX (the file's rows equal the list); a
// street clerk's totals equal the sum of its communities; a community surveyor cannot reach a sibling
// community's figures, by link or by URL.

test("a district reviewer goes from a figure and a chart segment to its person list and exports it", async ({ page }) => {
  await signIn(page, "tianning");
  await page.getByRole("link", { name: "统计分析" }).click();
  await expect(page.getByTestId("stats-region-name")).toHaveText("天宁区");
  await expect(page.getByTestId("stats-source")).toContainText("比对批次 #");
  // a stacked segment of the category chart opens that category's list in that street
  const segment = page.getByTestId("category-chart").locator(".recharts-bar-rectangle path").first();
  await segment.click();
  await expect(page).toHaveURL(/\/stats\/persons\?.*measure=category%3A/);
  await expect(page.getByTestId("persons-table")).toBeVisible();
  await page.goBack();
  // the total of persons needing a survey opens a list of as many persons
  const figure = page.getByTestId("n-320402-needs_survey");
  const n = Number((await figure.textContent())!.replace(/,/g, ""));
  expect(n).toBeGreaterThan(0);
  await figure.click();
  await expect(page.getByTestId("persons-total")).toHaveText(`共 ${n.toLocaleString("zh-CN")} 人`);
  const shown = await page.getByTestId("persons-table").locator("tbody tr td:nth-child(2)").allTextContents();
  const download = page.waitForEvent("download");
  await page.getByTestId("export-xlsx").click();
  const file = await (await download).path();
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const ids = wb.worksheets[0].getColumn(2).values.slice(2).map(String);
  expect(ids.length).toBe(n);
  expect(ids.slice(0, shown.length)).toEqual(shown);
  const audit = await query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'stats.export-persons' AND user_login = 'tianning'`);
  expect(audit[0].n).toBeGreaterThan(0);
});

test("a street clerk's totals equal the sum of its communities", async ({ page }) => {
  await signIn(page, "qinglong");
  await page.goto("/stats");
  await expect(page.getByTestId("stats-region-name")).toHaveText("青龙街道");
  const communities = await query<{ code: string }>(`SELECT code FROM region WHERE parent_code = '320402002' ORDER BY code`);
  for (const m of ["persons", "needs_survey", "category:CONFIRMED"]) {
    let sum = 0;
    for (const c of communities) sum += Number(((await page.getByTestId(`n-${c.code}-${m}`).textContent()) ?? "0").replace(/,/g, ""));
    expect(Number(((await page.getByTestId(`n-320402002-${m}`).textContent()) ?? "").replace(/,/g, "")), m).toBe(sum);
  }
});

test("a community surveyor sees their community only, not a sibling's, by link or by URL", async ({ page }) => {
  await signIn(page, "surveyor1");
  await page.goto("/stats");
  const own = await query<{ region_code: string }>(`SELECT region_code FROM app_user WHERE login = 'surveyor1'`);
  const sibling = await query<{ code: string }>(`SELECT code FROM region WHERE parent_code = left($1, 9) AND code <> $1 ORDER BY code LIMIT 1`, [own[0].region_code]);
  await expect(page.getByTestId("stats-headline")).toBeVisible();
  await expect(page.locator(`a[href*="${sibling[0].code}"]`)).toHaveCount(0);
  await page.goto(`/stats?region=${sibling[0].code}`);
  await expect(page.getByTestId("refusal")).toBeVisible();
  await page.goto(`/stats/persons?region=${sibling[0].code}&measure=persons`);
  await expect(page.getByTestId("refusal")).toBeVisible();
  await page.goto(`/stats?region=${own[0].region_code.slice(0, 9)}`);
  await expect(page.getByTestId("refusal")).toBeVisible();
});
