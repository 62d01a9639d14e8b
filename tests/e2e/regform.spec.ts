import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { type Browser, expect, type Page, test } from "@playwright/test";
import { makeIdNumber } from "../../lib/ids/id-number";
import { query, signIn } from "./fixtures";

// The registration form as the seeds print it (issue 13): on a 390 px phone an empty submit moves the
// focus and the page to the first field in error, marks it and keeps what was typed; the new-person
// form fills gender and birth date from the ID; the printed form carries the per-scheme table and
// the rights notice (checked in the PDF's text); the surveyor's list in tabs, exported to XLSX.
// REGFORM_SHOTS_DIR=<dir> keeps screenshots, the PDF and its PNG to look at.

const SHOTS = process.env.REGFORM_SHOTS_DIR;

async function phone(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: "zh-CN" });
  return context.newPage();
}

async function desktop(browser: Browser): Promise<Page> {
  return (await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: "zh-CN" })).newPage();
}

async function openTask(): Promise<{ id: number; id_number: string }> {
  const rows = await query<{ id: number; id_number: string }>(
    `SELECT t.id, t.id_number FROM survey_task t JOIN survey_team team ON team.id = t.team_id
     JOIN app_user u ON u.id = ANY(team.member_ids) AND u.login = 'surveyor1'
     WHERE t.state = 'ASSIGNED' AND NOT t.newly_found ORDER BY t.id DESC LIMIT 1`,
  );
  return rows[0];
}

test("390 px: an empty submit moves focus and the page to the first error, marks each field with its message, keeps the input", async ({ browser }) => {
  const task = await openTask();
  const page = await phone(browser);
  await signIn(page, "surveyor1");
  await page.goto(`/survey/${task.id}`);
  const form = page.getByTestId("survey-form");
  await expect(form).toHaveAttribute("data-ready", "1");
  // pre-filled: surveyors from the team, residence from what the registry knows (not "outside the city")
  await expect(form.locator('input[name="surveyors"]')).not.toHaveValue("");
  await expect(form.getByLabel("community")).toHaveValue(/^\d{12}$/);
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/form-390.png`, fullPage: true });

  await form.locator('input[name="landline"]').fill("0519-8888888");
  // the submit button sits at the bottom; the first field is far above it
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await form.getByRole("button", { name: "提交" }).click();

  const employment = form.locator('select[name="employment"]');
  await expect(employment).toHaveAttribute("aria-invalid", "true");
  await expect(employment).toBeFocused();
  await expect(employment).toBeInViewport();
  await expect(page.getByTestId("error-employment")).toHaveText("请选择就业状态");
  await expect(page.getByTestId("error-mobile")).toHaveText("请填写 11 位手机号码，或勾选“无手机号码”并选择原因");
  await expect(page.getByTestId("error-pension")).toContainText("请选择养老保险参保情况");
  await expect(form.getByTestId("group-pension")).toHaveAttribute("aria-invalid", "true");
  await expect(form.locator('input[name="mobile"]')).toHaveAttribute("aria-invalid", "true");
  // a red outline on the marked field
  expect(await employment.evaluate((el) => getComputedStyle(el).outlineColor)).toBe("rgb(220, 38, 38)");
  await expect(page.getByTestId("form-status")).toContainText("还有 4 项需要修改");
  // nothing typed was lost
  await expect(form.locator('input[name="landline"]')).toHaveValue("0519-8888888");
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/form-390-errors.png` });

  // no mobile: the reason instead, and the form goes through
  await employment.selectOption("UNEMPLOYED");
  await form.getByRole("checkbox", { name: "无手机号码" }).check();
  await form.locator('select[name="noMobileReason"]').selectOption("NO_PHONE");
  await form.getByTestId("group-pension").getByLabel("职工养老").check();
  await form.getByTestId("group-pension").getByLabel("城乡居民养老").check();
  await form.getByTestId("group-medical").getByLabel("城乡居民医保").check();
  await form.getByRole("button", { name: "提交" }).click();
  await expect(page.getByTestId("submitted-banner")).toBeVisible();
  const [row] = await query<{ state: string; data: { pension: string[]; noMobileReason: string; mobile?: string } }>(`SELECT t.state::text AS state, f.data FROM survey_task t JOIN survey_form f ON f.task_id = t.id WHERE t.id = $1`, [task.id]);
  expect(row.state).toBe("SUBMITTED");
  expect(row.data.pension).toEqual(["EMPLOYEE", "RESIDENT"]);
  expect(row.data.noMobileReason).toBe("NO_PHONE");
  expect(row.data.mobile).toBeUndefined();
  await page.context().close();
});

test("1366 px: the form at desktop width", async ({ browser }) => {
  const task = await openTask();
  const page = await desktop(browser);
  await signIn(page, "surveyor1");
  await page.goto(`/survey/${task.id}`);
  await expect(page.getByTestId("survey-form")).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/form-1366.png`, fullPage: true });
  await page.context().close();
});

test("the new-person form fills gender and birth date from the ID and keeps its input on a failed submit", async ({ browser }) => {
  const page = await phone(browser);
  await signIn(page, "surveyor1");
  await page.goto("/survey");
  const form = page.getByTestId("add-new-person");
  const id = makeIdNumber("320402", "19880315", 4242);
  const female = Number(id[16]) % 2 === 0;
  await form.locator('input[name="idNumber"]').fill(id);
  await expect(form.getByTestId("new-person-gender")).toHaveValue(female ? "女" : "男");
  await expect(form.getByTestId("new-person-birth")).toHaveValue("1988-03-15");
  await form.getByRole("button", { name: "新增新发现人员" }).click();
  const name = form.locator('input[name="name"]');
  await expect(name).toHaveAttribute("aria-invalid", "true");
  await expect(name).toBeFocused();
  await expect(form).toContainText("请填写新发现人员的姓名");
  await expect(form.locator('input[name="idNumber"]')).toHaveValue(id);
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/new-person-390.png` });
  await name.fill("新发现");
  await form.getByRole("button", { name: "新增新发现人员" }).click();
  await expect(page.getByTestId("added-banner")).toBeVisible();
  await page.context().close();
});

test("the printed form carries the per-scheme table and the rights notice (PDF text), 复核人 and 证件类型", async ({ browser }) => {
  // a task whose person lacks an employee scheme: the notice names what the employer should add
  const [task] = await query<{ id: number; missing: string[] }>(
    `SELECT t.id, t.missing_schemes AS missing FROM survey_task t WHERE t.region_code LIKE '320402002%' AND '210' = ANY(t.missing_schemes) AND t.state <> 'SETTLED' ORDER BY t.id LIMIT 1`,
  );
  expect(task).toBeDefined();
  const page = await desktop(browser);
  await signIn(page, "qinglong");
  await page.goto(`/print/task/${task.id}`);
  await expect(page.getByTestId("print-form")).toBeVisible();
  await page.emulateMedia({ media: "print" });
  const pdf = await page.pdf({ format: "A4", printBackground: true });
  const dir = SHOTS ?? fs.mkdtempSync(path.join(os.tmpdir(), "regform-"));
  const file = path.join(dir, "registration-form.pdf");
  fs.writeFileSync(file, pdf);
  const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
  const flat = text.replace(/\s+/g, "");
  for (const heading of ["个人参保信息", "险种", "首次参保日期", "当前参保状态", "当前参保单位名称", "当前参保地", "企业职工基本养老保险", "城乡居民基本医疗保险", "机关事业单位养老保险"]) expect(flat, heading).toContain(heading);
  expect(flat).toContain("权益告知");
  expect(flat).toContain("按照《中华人民共和国社会保险法》相关规定");
  expect(flat).toContain("还应为您参加");
  expect(flat).toContain("失业保险");
  expect(flat).toContain("复核人签名");
  expect(flat).toContain("证件类型");
  expect(flat).toContain("居民身份证");
  execFileSync("pdftoppm", ["-png", "-r", "70", "-f", "1", "-l", "1", file, path.join(dir, "registration-form")]);
  expect(fs.readdirSync(dir).some((f) => /^registration-form.*\.png$/.test(f))).toBe(true);
  await page.context().close();
});

test("the street clerk's /survey list: tabs, search, page numbers, XLSX with the list's rows, audited", async ({ browser }) => {
  const page = await desktop(browser);
  await signIn(page, "qinglong");
  await page.goto("/survey");
  await expect(page.getByTestId("tab-open")).toHaveAttribute("aria-current", "page");
  const total = Number((await page.getByTestId("tab-open").locator("span").textContent())?.trim());
  expect(total).toBeGreaterThan(0);
  await expect(page.getByTestId("pager-total")).toContainText(total.toLocaleString("zh-CN"));
  // no submitted task among the open ones
  await expect(page.getByTestId("task-list").getByTestId("task-state").filter({ hasText: "已提交" })).toHaveCount(0);
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/survey-list-1366.png`, fullPage: true });

  const res = await page.request.get("/survey/export?tab=open&format=xlsx");
  expect(res.status()).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(await res.body()) as never);
  const ws = wb.worksheets[0];
  expect(ws.getRow(1).getCell(1).value).toBe("姓名");
  expect(ws.rowCount).toBe(total + 1);
  expect(String(ws.getRow(2).getCell(2).value)).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
  const [audit] = await query<{ detail: { rows: number; filters: { tab: string } } }>(`SELECT detail FROM audit_log WHERE user_login = 'qinglong' AND action = 'survey.export' ORDER BY id DESC LIMIT 1`);
  expect(audit.detail).toMatchObject({ rows: total, filters: { tab: "open" } });

  // a surveyor may not take the list away as a file
  const surveyor = await desktop(browser);
  await signIn(surveyor, "surveyor1");
  expect((await surveyor.request.get("/survey/export?tab=open")).status()).toBe(403);
  await surveyor.goto("/survey");
  await expect(surveyor.getByTestId("survey-export")).toHaveCount(0);
  await page.context().close();
  await surveyor.context().close();
});
