import { type Browser, expect, type Page, test } from "@playwright/test";
import { query, signIn } from "./fixtures";

// The outreach ledger (工作台账) on a phone: a community surveyor finds a person of their
// community, records a contact (a mistake first: the error shows next to its field and what was
// typed stays), sees it listed; the ledger's print list works; a sibling community's entry is "not
// found"; every opening is in the audit log.

async function phone(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: "zh-CN" });
  return context.newPage();
}

test("a community surveyor works their outreach ledger on a 390 px phone", async ({ browser }) => {
  const [me] = await query<{ region_code: string; parent: string }>(
    `SELECT u.region_code, r.parent_code AS parent FROM app_user u JOIN region r ON r.code = u.region_code WHERE u.login = 'surveyor1'`,
  );
  const [entry] = await query<{ id: number; id_number: string }>(
    `SELECT o.id, o.id_number FROM outreach_entry o JOIN person p ON p.id_number = o.id_number
      WHERE o.status = 'OPEN' AND o.region_code = $1 AND NOT EXISTS (SELECT 1 FROM outreach_contact c WHERE c.entry_id = o.id)
      ORDER BY o.id LIMIT 1`,
    [me.region_code],
  );
  expect(entry, "the demo city puts persons of surveyor1's community in the ledger").toBeDefined();
  const [sibling] = await query<{ id: number }>(
    `SELECT o.id FROM outreach_entry o JOIN region r ON r.code = o.region_code
      WHERE r.parent_code = $1 AND o.region_code <> $2 ORDER BY o.id LIMIT 1`,
    [me.parent, me.region_code],
  );
  expect(sibling, "a sibling community has ledger entries too").toBeDefined();

  const page = await phone(browser);
  await signIn(page, "surveyor1");
  await page.goto("/outreach");
  await expect(page.getByRole("heading", { name: "动员参保工作台账" })).toBeVisible();
  await expect(page.getByTestId("outreach-row").first()).toBeVisible();
  // nothing wider than the phone
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

  // Search by a part of the ID: the person is found, with full contact data (their own community).
  await page.getByTestId("outreach-search").fill(entry.id_number.slice(8, 16));
  await page.getByRole("button", { name: "查询" }).click();
  const row = page.getByTestId("outreach-row").filter({ hasText: entry.id_number });
  await expect(row).toBeVisible();
  await expect(row).toContainText("未参险种");
  await row.getByRole("link").click();
  await expect(page).toHaveURL(new RegExp(`/outreach/${entry.id}$`));

  // A mistake first: "will enrol" without the promised date.
  const form = page.getByTestId("contact-form");
  await form.locator('select[name="channel"]').selectOption("VISIT");
  await form.locator('select[name="outcome"]').selectOption("WILL_ENROL");
  await form.locator('textarea[name="note"]').fill("本人表示下月到社区窗口缴费");
  await page.getByTestId("contact-save").click();
  await expect(page.getByTestId("error-promisedOn")).toHaveText("愿意参保的，请填写承诺参保日期");
  await expect(form.locator('textarea[name="note"]')).toHaveValue("本人表示下月到社区窗口缴费");
  await form.locator('input[name="promisedOn"]').fill("2099-01-31");
  await page.getByTestId("contact-save").click();
  await expect(page.getByTestId("contact-result")).toHaveText("联系情况已保存");
  await expect(page.getByTestId("contact-row").first()).toContainText("愿意参保");
  await expect(page.getByTestId("contact-row").first()).toContainText("2099-01-31");
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

  // The printed round list of the community.
  await page.goto("/print/outreach");
  await expect(page.getByTestId("print-outreach-row").first()).toBeVisible();

  // A sibling community's entry: not found.
  await page.goto(`/outreach/${sibling.id}`);
  await expect(page.getByTestId("refusal")).toHaveText(/未找到该内容/);

  const audit = await query<{ action: string }>(`SELECT DISTINCT action FROM audit_log WHERE user_login = 'surveyor1' AND action LIKE 'outreach.%'`);
  expect(audit.map((a) => a.action).sort()).toEqual(["outreach.contact", "outreach.print", "outreach.view"]);
});

test("the city sees the ledger masked and exports the same rows as XLSX, audited", async ({ browser }) => {
  const { default: ExcelJS } = await import("exceljs");
  const page = await (await browser.newContext({ locale: "zh-CN" })).newPage();
  await signIn(page, "city");
  await page.goto("/outreach?region=320402");
  const [{ n }] = await query<{ n: number }>(`SELECT count(*)::int AS n FROM outreach_entry WHERE status = 'OPEN' AND region_code LIKE '320402%'`);
  expect(n).toBeGreaterThan(0);
  await expect(page.getByTestId("outreach-total")).toHaveText(`共 ${n} 人`);
  // IDs masked above the street
  await expect(page.getByTestId("outreach-row").first()).toContainText("********");

  const res = await page.request.get("/outreach/export?region=320402");
  expect(res.status()).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(await res.body()) as never);
  const ws = wb.worksheets[0];
  expect(ws.getRow(1).getCell(1).value).toBe("姓名");
  expect(ws.rowCount).toBe(n + 1);
  // the first data row is the list's first row
  const firstName = (await page.getByTestId("outreach-row").first().getByRole("link").textContent())?.trim();
  expect(ws.getRow(2).getCell(1).value).toBe(firstName);
  expect(String(ws.getRow(2).getCell(2).value)).toMatch(/^\d{6}\*{8}[\dX]{4}$/);

  const audit = await query<{ detail: { rows: number; region: string } }>(`SELECT detail FROM audit_log WHERE user_login = 'city' AND action = 'outreach.export' ORDER BY id DESC LIMIT 1`);
  expect(audit[0].detail).toMatchObject({ rows: n, region: "320402" });
});
