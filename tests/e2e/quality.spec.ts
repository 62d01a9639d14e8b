import { type Browser, expect, type Page, test } from "@playwright/test";
import { query, signIn as signInOnce } from "./fixtures";

// Labour inspection employers (district scope, persons, audited export with a reason), the spot-check
// draw form's Chinese refusal, and the assessment ranking with its printable bulletin (demo data).

async function signIn(page: Page, login: string): Promise<void> {
  try {
    await signInOnce(page, login);
  } catch {
    await signInOnce(page, login);
  }
}

async function desktop(browser: Browser): Promise<Page> {
  return (await browser.newContext({ locale: "zh-CN", acceptDownloads: true })).newPage();
}

test("a district reviewer sees its employers and their masked persons, and exports with a stated reason", async ({ browser }) => {
  const page = await desktop(browser);
  await signIn(page, "tianning");
  await page.getByRole("link", { name: "劳动保障监察" }).click();
  await expect(page.getByRole("heading", { name: "劳动保障监察：用人单位名单" })).toBeVisible();
  const first = page.getByTestId("employers").locator("tbody a").first();
  await expect(first).toBeVisible();
  await first.click();
  const persons = page.getByTestId("employer-persons");
  await expect(persons).toBeVisible();
  // IDs are masked and every person is of 天宁区.
  const ids = await persons.locator("tbody tr td:first-child").allTextContents();
  expect(ids.length).toBeGreaterThan(0);
  for (const id of ids) expect(id).toMatch(/^320402\*+[0-9X]{4}$/);
  // The export needs a reason; with one it downloads the workbook and is audited.
  await page.locator('input[name="reason"]').fill("移交区劳动保障监察大队");
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: /导出 Excel/ }).click()]);
  expect(download.suggestedFilename()).toMatch(/^employers-\d+\.xlsx$/);
  const audit = await query<{ reason: string; region_code: string }>(`SELECT reason, region_code FROM audit_log WHERE action = 'outcomes.employers.export' ORDER BY id DESC LIMIT 1`);
  expect(audit[0]).toEqual({ reason: "移交区劳动保障监察大队", region_code: "320402" });
});

test("a street clerk has no employers page", async ({ browser }) => {
  const page = await desktop(browser);
  await signIn(page, "qinglong");
  await page.goto("/outcomes/employers");
  await expect(page.getByTestId("refusal")).toBeVisible();
  await expect(page.getByTestId("employers")).toHaveCount(0);
});

test("spot check draw refuses an empty period in Chinese; the assessment ranks streets and prints a bulletin", async ({ browser }) => {
  const page = await desktop(browser);
  await signIn(page, "tianning");
  await page.goto("/quality");
  const draw = page.getByTestId("spot-check-draw");
  await draw.locator('input[name="from"]').fill("2001-01-01");
  await draw.locator('input[name="to"]').fill("2001-01-31");
  await draw.getByRole("button", { name: "抽取样本" }).click();
  await expect(page.getByTestId("spot-check-draw-result")).toHaveText("该期间内本区没有审定入库的调查记录。");
  await page.goto("/assessment");
  const ranking = page.getByTestId("assessment-ranking");
  await expect(ranking).toBeVisible();
  await expect(ranking.locator("tbody tr").first()).toContainText(/街道|镇/);
  await page.getByTestId("assessment-print").click();
  await expect(page.getByTestId("assessment-bulletin")).toContainText("全民参保登记工作考核通报");
  await expect(page.getByTestId("assessment-bulletin")).toContainText("各街道（镇）排名");
});
