import ExcelJS from "exceljs";
import { type Browser, expect, type Page, test } from "@playwright/test";
import { query, signIn } from "./fixtures";

// Issue 13, lists that scale and forms that keep what was typed, in Chromium: the registry searched
// by part of a name and part of an ID (masked, no full number in the page), paged, exported with the
// same rows; the create-user form keeps its input on a failed submit and marks its fields; the region
// comes from the tree; enable and disable are two confirmed actions; import templates carry the
// contract's headers. LISTS_SHOTS=<dir> also saves screenshots at 1366 px and 390 px.

const SHOTS = process.env.LISTS_SHOTS;

async function open(browser: Browser, width: number): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: width > 500 ? 900 : 844 }, locale: "zh-CN", ...(width <= 500 ? { isMobile: true, hasTouch: true } : {}) });
  return context.newPage();
}

async function shot(page: Page, name: string) {
  if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}-${page.viewportSize()?.width}.png`, fullPage: true });
}

async function xlsxRows(page: Page, url: string): Promise<string[][]> {
  const res = await page.request.get(url);
  expect(res.status()).toBe(200);
  expect(res.headers()["cache-control"]).toContain("no-store");
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await res.body()) as unknown as ArrayBuffer);
  const rows: string[][] = [];
  wb.worksheets[0].eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ""))));
  return rows;
}

const total = async (page: Page, testId: string) => Number(((await page.getByTestId(`${testId}-total`).textContent()) ?? "").replace(/[^\d]/g, ""));

test("the registry is searched by part of a name and part of an ID, paged, masked and exported with the same rows", async ({ browser }) => {
  const [clerk] = await query<{ region_code: string }>(`SELECT region_code FROM app_user WHERE login = 'qinglong'`);
  // A surname and a birth-date part that occur in the street's registry.
  const [sample] = await query<{ name: string; id_number: string }>(
    `SELECT name, id_number FROM person WHERE coalesce(survey_region_code, hukou_region_code) LIKE $1 || '%' ORDER BY id_number LIMIT 1`,
    [clerk.region_code],
  );
  const surname = [...sample.name][0];
  const [{ n: expected }] = await query<{ n: number }>(
    `SELECT count(*)::int AS n FROM person WHERE coalesce(survey_region_code, hukou_region_code) LIKE $1 || '%' AND name LIKE '%' || $2 || '%'`,
    [clerk.region_code, surname],
  );
  for (const width of [1366, 390]) {
    const page = await open(browser, width);
    await signIn(page, "qinglong");
    await page.goto("/registry");
    await expect(page.getByTestId("registry-row").first()).toBeVisible();
    await page.getByTestId("registry-search").fill(surname);
    await page.getByTestId("registry-submit").click();
    await expect(page).toHaveURL(/q=/);
    expect(await total(page, "registry-pager")).toBe(expected);
    const names = await page.getByTestId("registry-row").locator("td:first-child").allTextContents();
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(name).toContain(surname);
    const html = await page.content();
    expect(html).not.toMatch(/\d{17}[\dX]/);
    await shot(page, "registry");
    if (width === 390) expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    if (width === 1366) {
      // The export: every page of the list, masked, labels with their codes.
      const href = (await page.getByTestId("registry-export-xlsx").getAttribute("href")) ?? "";
      const rows = await xlsxRows(page, href);
      expect(rows[0]).toEqual(["姓名", "公民身份号码", "性别", "gender_code", "登记状态", "status_code", "所属区划", "region_code"]);
      expect(rows.length - 1).toBe(expected);
      for (const r of rows.slice(1)) {
        expect(r[0]).toContain(surname);
        expect(r[1]).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
      }
      // A part of the ID number: the birth date of the sample.
      await page.getByTestId("registry-search").fill(sample.id_number.slice(6, 14));
      await page.getByTestId("registry-submit").click();
      await expect(page).toHaveURL(new RegExp(`q=${sample.id_number.slice(6, 14)}`));
      await expect(page.getByTestId("registry-row").first()).toBeVisible();
      const ids = await page.getByTestId("registry-row").locator("td:nth-child(2)").allTextContents();
      expect(ids).toContain(`${sample.id_number.slice(0, 6)}********${sample.id_number.slice(-4)}`);
      // Too short a part says what to type.
      await page.getByTestId("registry-search").fill("12");
      await page.getByTestId("registry-submit").click();
      await expect(page).toHaveURL(/bad=1/);
      await expect(page.getByTestId("registry-bad-search")).toContainText("连续的 4–10 位");
    }
  }
});

test("the create-user form keeps its input on a failed submit and marks its fields; the region comes from the tree", async ({ browser }) => {
  const page = await open(browser, 1366);
  await signIn(page, "admin");
  await page.goto("/admin/users");
  const form = page.getByTestId("create-user");
  await form.locator('input[name="login"]').fill("ab");
  await form.locator('select[name="role"]').selectOption("STREET_CLERK");
  await form.getByRole("button", { name: "新建用户" }).click();
  await expect(form.locator('[data-field-error="login"]')).toContainText("请填写登录名（4–32 位字母或数字");
  await expect(form.locator('[data-field-error="realName"]')).toHaveText("请填写使用人的真实姓名");
  await expect(form.locator('input[name="login"]')).toHaveValue("ab");
  await expect(form.locator('input[name="login"]')).toHaveAttribute("aria-invalid", "true");
  await expect(form.locator('input[name="realName"]')).toHaveAttribute("aria-invalid", "true");
  await expect(form.locator('select[name="role"]')).toHaveValue("STREET_CLERK");
  await expect(form.locator('input[name="login"]')).toBeFocused();
  await shot(page, "create-user-errors");
  // The name and login fixed, but a district picked for a street clerk: the region is marked.
  await form.locator('input[name="login"]').fill("clerk77");
  await form.locator('input[name="realName"]').fill("经办 七七");
  await form.getByTestId("create-user-region-0").selectOption("3204");
  await form.getByTestId("create-user-region-1").selectOption("320402");
  await form.getByRole("button", { name: "新建用户" }).click();
  await expect(form.locator('[data-field-error="regionCode"]')).toHaveText("请选择区划：该角色须选到“街道/镇”一级");
  await expect(form.getByTestId("create-user-region-1")).toHaveAttribute("aria-invalid", "true");
  await expect(form.locator('input[name="login"]')).toHaveValue("clerk77");
  await expect(form.locator('input[name="login"]')).not.toHaveAttribute("aria-invalid", "true");
  await form.getByTestId("create-user-region-2").selectOption({ label: "青龙街道" });
  await form.getByRole("button", { name: "新建用户" }).click();
  await expect(page.getByTestId("create-user-result")).toContainText("待上级业务人员确认");
  const [created] = await query<{ region_code: string; role: string }>(`SELECT region_code, role::text FROM app_user WHERE login = 'clerk77'`);
  expect(created).toEqual({ region_code: "320402002", role: "STREET_CLERK" });
});

test("enable and disable are two actions, each confirmed; the users list is searched and exported", async ({ browser }) => {
  // An account of its own (no other spec signs in with it).
  await query(
    `INSERT INTO app_user (login, real_name, password_hash, role, region_code, confirmed_at, updated_at)
     VALUES ('toggle13', '调查员 试停', 'x', 'COMMUNITY_SURVEYOR', (SELECT region_code FROM app_user WHERE login = 'surveyor2'), now(), now()) ON CONFLICT (login) DO NOTHING`,
  );
  const page = await open(browser, 1366);
  await signIn(page, "admin");
  await page.goto("/admin/users?q=toggle13");
  const row = page.getByTestId("user-toggle13");
  await expect(row.getByTestId("user-active")).toHaveText("启用");
  await expect(row.getByRole("button", { name: "启用" })).toHaveCount(0);
  // Cancelling the confirmation changes nothing.
  page.once("dialog", (d) => d.dismiss());
  await row.getByRole("button", { name: "停用" }).click();
  await expect(row.getByTestId("user-active")).toHaveText("启用");
  page.once("dialog", (d) => {
    expect(d.message()).toContain("确定停用账号“toggle13”");
    void d.accept();
  });
  await row.getByRole("button", { name: "停用" }).click();
  await expect(row.getByTestId("user-active")).toHaveText("停用");
  await expect(row.getByRole("button", { name: "停用" })).toHaveCount(0);
  page.once("dialog", (d) => void d.accept());
  await row.getByRole("button", { name: "启用" }).click();
  await expect(row.getByTestId("user-active")).toHaveText("启用");
  await shot(page, "users");
  const rows = await xlsxRows(page, "/admin/users/export?role=COMMUNITY_SURVEYOR&format=xlsx");
  const [{ n }] = await query<{ n: number }>(`SELECT count(*)::int AS n FROM app_user WHERE role = 'COMMUNITY_SURVEYOR'`);
  expect(rows.length - 1).toBe(n);
  expect(rows[0].slice(2, 4)).toEqual(["角色", "role_code"]);
  expect(new Set(rows.slice(1).map((r) => r[2]))).toEqual(new Set(["社区(村)调查员"]));
  const phone = await open(browser, 390);
  await signIn(phone, "admin");
  await phone.goto("/admin/users");
  await shot(phone, "users");
  await phone.goto("/admin/regions?q=青龙");
  await expect(phone.getByTestId("region-row").first()).toBeVisible();
  await shot(phone, "regions");
});

test("import templates carry the contract's headers; the batches list pages and exports", async ({ browser }) => {
  const page = await open(browser, 1366);
  await signIn(page, "city");
  await page.goto("/imports");
  // A submit without a file: the kind stays chosen, the file field is marked and focused.
  await page.getByTestId("import-kind").selectOption("enrolment");
  await page.getByTestId("import-submit").click();
  await expect(page.getByTestId("import-refusal")).toHaveText("请选择 .csv 或 .xlsx 文件");
  await expect(page.getByTestId("import-file")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByTestId("import-file")).toBeFocused();
  await expect(page.getByTestId("import-kind")).toHaveValue("enrolment");
  const href = (await page.getByTestId("template-population-xlsx").getAttribute("href")) ?? "";
  const rows = await xlsxRows(page, href);
  expect(rows).toEqual([["公民身份号码", "姓名", "性别", "出生日期", "民族", "户籍地区划代码", "户籍地址", "常住地区划代码", "常住地址", "联系电话", "人员状态"]]);
  const csv = await page.request.get("/api/imports/template?kind=regions&format=csv");
  expect((await csv.text()).replace(/^\uFEFF/, "").trim()).toBe("区划代码,名称,上级区划代码");
  const exported = await xlsxRows(page, "/api/imports/export?format=xlsx");
  expect(exported.length - 1).toBe(await total(page, "batches-pager"));
  await shot(page, "imports");
  for (const path of ["/changes", "/comparisons"]) {
    const clerk = await open(browser, 390);
    await signIn(clerk, path === "/changes" ? "qinglong" : "city");
    await clerk.goto(path);
    await expect(clerk.locator("h1")).toBeVisible();
    await shot(clerk, path.slice(1));
  }
});
