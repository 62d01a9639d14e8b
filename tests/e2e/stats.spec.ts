import ExcelJS from "exceljs";
import { expect, test } from "@playwright/test";
import { query, signIn } from "./fixtures";

// 统计分析 in the browser: a district reviewer opens the dashboard, clicks a chart segment and a
// figure, gets the matching person list and exports it to XLSX (the file's rows equal the list); a
// street clerk's totals equal the sum of its communities; a community surveyor cannot reach a sibling
// community's figures, by link or by URL.

const SHOTS = process.env.REPORT_SHOTS_DIR;
/** An 18-character ID number standing alone (not part of a longer digit run). */
const FULL_ID = /(?<![\dA-Za-z])\d{17}[\dX](?![\dA-Za-z])/;
const count = (s: string | null) => Number((s ?? "").replace(/[^\d]/g, ""));

/** The data rows of the first sheet of a downloaded XLSX, by header. */
async function xlsxRows(file: string): Promise<Record<string, string>[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const ws = wb.worksheets[0];
  const header = (ws.getRow(1).values as unknown[]).slice(1).map(String);
  const out: Record<string, string>[] = [];
  ws.eachRow((row, n) => {
    if (n === 1) return;
    const v = (row.values as unknown[]).slice(1);
    out.push(Object.fromEntries(header.map((h, i) => [h, v[i] === undefined || v[i] === null ? "" : String(v[i])])));
  });
  return out;
}

test("a district reviewer clicks a chart segment, gets the matching person list, and its XLSX rows equal the list", async ({ page }) => {
  await signIn(page, "tianning");
  await page.getByRole("link", { name: "统计分析" }).click();
  await expect(page.getByTestId("stats-region-name")).toHaveText("天宁区");
  await expect(page.getByTestId("stats-source")).toContainText("比对批次 #");
  for (const chart of ["coverage-chart", "category-chart", "survey-funnel", "completion-chart", "trend-chart"]) await expect(page.getByTestId(chart)).toBeVisible();
  if (SHOTS) {
    await page.setViewportSize({ width: 1366, height: 900 });
    await page.screenshot({ path: `${SHOTS}/stats-1366.png`, fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: `${SHOTS}/stats-390.png`, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 720 });
  }
  // a stacked segment of the category chart opens that category's list in that street
  const segment = page.getByTestId("category-chart").locator(".recharts-bar-rectangle path").first();
  await segment.click();
  await expect(page).toHaveURL(/\/stats\/persons\?.*measure=category%3A/);
  const url = new URL(page.url());
  const region = url.searchParams.get("region")!;
  const measure = url.searchParams.get("measure")!;
  expect(region).toMatch(/^320402\d{3}$/);
  const n = count(await page.getByTestId("persons-total").textContent());
  expect(n).toBeGreaterThan(0);
  const shown = await page.getByTestId("persons-table").locator("tbody tr td:nth-child(2)").allTextContents();
  expect(shown.length).toBe(Math.min(50, n));
  expect(await page.content()).not.toMatch(FULL_ID);
  // the list's count is the figure the dashboard shows for that street and category
  await page.goBack();
  expect(count(await page.getByTestId(`n-${region}-${measure}`).textContent())).toBe(n);
  await page.goForward();
  // every row of the list is of the segment's category; the XLSX holds exactly the list's rows
  const download = page.waitForEvent("download");
  await page.getByTestId("export-xlsx").click();
  const rows = await xlsxRows((await (await download).path())!);
  expect(rows.length).toBe(n);
  expect(rows.slice(0, shown.length).map((r) => r["公民身份号码"])).toEqual(shown);
  expect(new Set(rows.map((r) => r.category_code))).toEqual(new Set([measure.slice("category:".length)]));
  expect(rows.every((r) => r.region_code.startsWith(region))).toBe(true);
  const audit = await query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'stats.export-persons' AND user_login = 'tianning' AND detail -> 'filters' ->> 'region' = $1`, [region]);
  expect(audit[0].n).toBeGreaterThan(0);
});

test("the person list's filters are URL parameters with Chinese labels, applied to the list and its export, and audited", async ({ page }) => {
  await signIn(page, "tianning");
  await page.goto("/stats");
  const figure = page.getByTestId("n-320402-needs_survey");
  const n = count(await figure.textContent());
  expect(n).toBeGreaterThan(0);
  await figure.click();
  await expect(page.getByTestId("persons-total")).toHaveText(`共 ${n.toLocaleString("zh-CN")} 人`);
  // the selects read as labels
  await expect(page.getByTestId("filter-category").locator("option", { hasText: "未参保" })).toHaveCount(1);
  await expect(page.getByTestId("filter-state").locator("option", { hasText: "待分配" })).toHaveCount(1);
  await expect(page.getByTestId("filter-reason").locator("option", { hasText: "暂无参保意愿" })).toHaveCount(1);
  await page.getByTestId("filter-category").selectOption("NOT_INSURED");
  await page.getByTestId("persons-submit").click();
  await expect(page).toHaveURL(/category=NOT_INSURED/);
  const filtered = count(await page.getByTestId("persons-total").textContent());
  const [direct] = await query<{ n: number }>(
    `SELECT count(*)::int AS n FROM comparison_result WHERE run_id = (SELECT max(run_id) FROM stats_measure) AND starts_with(count_region_code, '320402') AND category = 'NOT_INSURED'`,
  );
  expect(filtered).toBe(direct.n);
  expect(filtered).toBeGreaterThan(0);
  expect(filtered).toBeLessThan(n);
  const cats = await page.getByTestId("persons-table").locator("tbody tr td:nth-child(3)").allTextContents();
  expect(new Set(cats)).toEqual(new Set(["未参保"]));
  const download = page.waitForEvent("download");
  await page.getByTestId("export-xlsx").click();
  const rows = await xlsxRows((await (await download).path())!);
  expect(rows.length).toBe(filtered);
  const [audit] = await query<{ detail: { rows: number; filters: Record<string, unknown> } }>(
    `SELECT detail FROM audit_log WHERE action = 'stats.persons.list' AND user_login = 'tianning' ORDER BY id DESC LIMIT 1`,
  );
  expect(audit.detail.filters.category).toBe("NOT_INSURED");
  expect(audit.detail.rows).toBe(Math.min(50, filtered));
  if (SHOTS) {
    await page.setViewportSize({ width: 1366, height: 900 });
    await page.screenshot({ path: `${SHOTS}/persons-1366.png`, fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: `${SHOTS}/persons-390.png`, fullPage: true });
  }
});

test("the survey figures open their task lists: a state's count and a funnel stage equal their lists", async ({ page }) => {
  await signIn(page, "tianning");
  await page.goto("/stats");
  const pending = page.getByTestId("s-320402-tasks:PENDING");
  const n = count(await pending.textContent());
  expect(n).toBeGreaterThan(0);
  await pending.click();
  await expect(page.getByTestId("persons-total")).toHaveText(`共 ${n.toLocaleString("zh-CN")} 人`);
  await expect(page.getByTestId("persons-source")).toContainText("实时");
  const [direct] = await query<{ n: number }>(`SELECT count(*)::int AS n FROM survey_task WHERE starts_with(region_code, '320402') AND state = 'PENDING'`);
  expect(n).toBe(direct.n);
  const states = await page.getByTestId("persons-table").locator("tbody tr td:nth-child(5)").allTextContents();
  expect(new Set(states)).toEqual(new Set(["待分配"]));
  await page.goBack();
  const published = count(await page.getByTestId("stage-tasks:published").textContent());
  await page.getByTestId("stage-tasks:published").click();
  await expect(page.getByTestId("persons-total")).toHaveText(`共 ${published.toLocaleString("zh-CN")} 人`);
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
  await page.goto(`/stats/persons?region=${sibling[0].code}&measure=tasks:PENDING`);
  await expect(page.getByTestId("refusal")).toBeVisible();
  await page.goto(`/stats?region=${own[0].region_code.slice(0, 9)}`);
  await expect(page.getByTestId("refusal")).toBeVisible();
});
