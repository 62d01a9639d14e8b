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
  // The audit log shows the export, with its stated reason, to the auditor.
  const auditor = await desktop(browser);
  await signIn(auditor, "auditor");
  await auditor.goto("/audit?user=tianning&action=outcomes.employers.export");
  const row = auditor.getByTestId("audit-row").first();
  await expect(row).toContainText("移交区劳动保障监察大队");
  await expect(row).toContainText("tianning");
  await expect(row).not.toContainText("outcomes.employers.export");
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

/** Page objects of a PDF (its /Type /Page dictionaries). */
function pdfPages(pdf: Buffer): number {
  return pdf.toString("latin1").match(/\/Type\s*\/Page\b/g)?.length ?? 0;
}

test("the city prints the assessment bulletin of the districts as a PDF", async ({ browser }) => {
  const page = await desktop(browser);
  await signIn(page, "city");
  await page.goto("/assessment");
  const ranking = page.getByTestId("assessment-ranking");
  await expect(ranking.locator("tbody tr").first()).toContainText(/区|县|市/);
  await expect(ranking.locator("thead")).toContainText("登记率变化");
  await expect(ranking.locator("thead")).toContainText("转化率");
  await page.getByTestId("assessment-print").click();
  const bulletin = page.getByTestId("assessment-bulletin");
  await expect(bulletin).toContainText("全民参保登记工作考核通报");
  await expect(bulletin).toContainText("各区排名");
  // Every district of the ranking is on the sheet, none as a raw code.
  const names = await bulletin.locator("tbody tr td:nth-child(2)").allTextContents();
  expect(names.length).toBeGreaterThan(0);
  for (const n of names) expect(n).not.toMatch(/^\d+$/);
  // Nothing wider than the landscape sheet.
  const overflow = await bulletin.evaluate((el) => el.scrollWidth - el.clientWidth);
  expect(overflow).toBeLessThanOrEqual(1);
  await page.emulateMedia({ media: "print" });
  const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
  expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
  expect(pdf.length).toBeGreaterThan(5_000);
  expect(pdfPages(pdf)).toBe(1);
});
