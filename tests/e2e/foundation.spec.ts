import { expect, test } from "@playwright/test";
import { signIn } from "./fixtures";

// Every role lands on its own home page, scoped to its region (demo accounts from prisma/seed/demo.ts).
const HOMES = [
  { login: "city", testId: "home-city-staff", role: "市社保中心", region: "常州市", level: "市" },
  { login: "tianning", testId: "home-district-reviewer", role: "区经办机构审核员", region: "天宁区", level: "区" },
  { login: "qinglong", testId: "home-street-clerk", role: "街道(镇)社保所经办员", region: "青龙街道", level: "街道/镇" },
  { login: "surveyor1", testId: "home-community-surveyor", role: "社区(村)调查员", region: null, level: "社区/村" },
] as const;

test.describe("each role signs in and sees its own home page", () => {
  for (const h of HOMES) {
    test(`${h.login}: ${h.role}`, async ({ page }) => {
      await signIn(page, h.login);
      await expect(page.getByTestId(h.testId)).toBeVisible();
      await expect(page.getByTestId("home-role")).toContainText(h.role);
      if (h.region) await expect(page.getByTestId("region-name")).toHaveText(h.region);
      await expect(page.getByTestId("region-level")).toHaveText(h.level);
      await expect(page.getByTestId("person-total")).not.toHaveText("");
    });
  }

  test("admin: administration only, no business navigation or personal data", async ({ page }) => {
    await signIn(page, "admin");
    await expect(page.getByTestId("home-admin")).toBeVisible();
    const nav = page.getByRole("navigation", { name: "main" });
    await expect(nav).toContainText("用户管理");
    await expect(nav).not.toContainText("数据导入");
    await expect(nav).not.toContainText("登记库");
    // A page the role may not open answers HTTP 403 with the refusal in Chinese.
    const refused = await page.goto("/survey");
    expect(refused?.status()).toBe(403);
    await expect(page.getByTestId("refusal")).toContainText("没有此项权限");
    await page.goto("/regions/3204");
    await expect(page.getByTestId("refusal")).toBeVisible();
    await page.goto("/admin/users");
    await expect(page.getByTestId("user-qinglong")).toBeVisible();
  });

  test("auditor: the audit log, which shows sign-ins", async ({ page }) => {
    await signIn(page, "auditor");
    await expect(page.getByTestId("home-auditor")).toBeVisible();
    await page.goto("/audit");
    // Actions read in Chinese, not as codes.
    await expect(page.getByTestId("audit-table")).toContainText("登录");
    await expect(page.getByTestId("audit-table")).not.toContainText("auth.sign-in");
  });
});

test("a wrong password is refused with a message", async ({ page }) => {
  await page.goto("/sign-in");
  await page.locator('input[name="login"]').fill("city");
  await page.locator('input[name="password"]').fill("wrong-password");
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByTestId("sign-in-error")).toHaveText("用户名或密码错误，或账号已停用。");
  await expect(page).toHaveURL(/\/sign-in/);
});

test("signed-out requests go to sign-in", async ({ page }) => {
  await page.goto("/regions/320402002");
  await expect(page).toHaveURL(/\/sign-in/);
});

test.describe("region scoping", () => {
  test("a street clerk who requests another street's page gets a refusal, not data", async ({ page }) => {
    await signIn(page, "qinglong");
    // Out of scope answers HTTP 404, the same as a region that does not exist.
    expect((await page.goto("/regions/320402004"))?.status()).toBe(404);
    await expect(page.getByTestId("refusal")).toContainText("未找到该内容，或您无权查看。");
    expect((await page.request.get("/regions/320402999")).status()).toBe(404);
    expect((await page.request.get("/no-such-page")).status()).toBe(404);
    await page.goto("/regions/320402004");
    await expect(page.getByTestId("region-name")).toHaveCount(0);
    await expect(page.locator("body")).not.toContainText("红梅街道");
  });

  test("a street clerk opens one of its own communities", async ({ page }) => {
    await signIn(page, "qinglong");
    await page.goto("/regions/320402002001");
    await expect(page.getByTestId("region-level")).toHaveText("社区/村");
  });

  test("a district reviewer cannot open the other district", async ({ page }) => {
    await signIn(page, "tianning");
    await page.goto("/regions/320404");
    await expect(page.getByTestId("refusal")).toBeVisible();
  });
});

test("language switches to English and back", async ({ page }) => {
  await signIn(page, "city");
  await page.getByTestId("language-switch").click();
  await expect(page.getByTestId("home-role")).toContainText("City centre staff");
  await page.getByTestId("language-switch").click();
  await expect(page.getByTestId("home-role")).toContainText("市社保中心");
});

test("the home page fits a 390 px phone", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await signIn(page, "qinglong");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await context.close();
});

test("a change of post takes effect once the district confirms it, and ends the clerk's session", async ({ browser }) => {
  const admin = await (await browser.newContext()).newPage();
  const clerk = await (await browser.newContext()).newPage();
  const district = await (await browser.newContext()).newPage();
  await signIn(clerk, "hongmei");
  await clerk.goto("/regions/320402004");
  await expect(clerk.getByTestId("region-name")).toHaveText("红梅街道");
  await signIn(admin, "admin");
  await admin.goto("/admin/users");
  const row = admin.getByTestId("user-hongmei");
  // The new street is picked from the tree (issue 13: no typed codes).
  await row.getByTestId("post-hongmei-region-2").selectOption("320402005");
  await row.getByRole("button", { name: "保存" }).first().click();
  await expect(row).toContainText("待上级业务人员确认");
  // Requested only: the clerk keeps the old post.
  await clerk.goto("/regions/320402004");
  await expect(clerk.getByTestId("region-name")).toHaveText("红梅街道");
  await signIn(district, "tianning");
  await district.goto("/accounts");
  const request = district.getByTestId("account-request-hongmei");
  await request.getByRole("button", { name: "确认", exact: true }).click();
  await expect(request).toContainText("已确认");
  // The change ended the clerk's session; signed in again, the new post applies.
  await clerk.goto("/regions/320402004");
  await expect(clerk).toHaveURL(/\/sign-in/);
  await signIn(clerk, "hongmei");
  await clerk.goto("/regions/320402004");
  await expect(clerk.getByTestId("refusal")).toBeVisible();
  await clerk.goto("/regions/320402005");
  await expect(clerk.getByTestId("region-name")).toHaveText("天宁街道");
});

test("an account created by the admin works only after confirmation, with a forced password change", async ({ browser }) => {
  const admin = await (await browser.newContext()).newPage();
  const street = await (await browser.newContext()).newPage();
  const newcomer = await (await browser.newContext()).newPage();
  await signIn(admin, "admin");
  await admin.goto("/admin/users");
  const form = admin.getByTestId("create-user");
  await form.locator('input[name="login"]').fill("surveyor9");
  await form.locator('input[name="realName"]').fill("调查员 新人");
  await form.locator('select[name="role"]').selectOption("COMMUNITY_SURVEYOR");
  // The region is picked from the tree, level by level (issue 13: no typed codes).
  for (const [level, code] of ["3204", "320402", "320402002", "320402002001"].entries()) await form.getByTestId(`create-user-region-${level}`).selectOption(code);
  await form.getByRole("button", { name: "新建用户" }).click();
  await expect(admin.getByTestId("create-user-result")).toContainText("待上级业务人员确认");
  await signIn(street, "qinglong");
  await street.goto("/accounts");
  const request = street.getByTestId("account-request-surveyor9");
  await request.getByRole("button", { name: "确认", exact: true }).click();
  const result = street.getByTestId("confirm-surveyor9-result");
  await expect(result).toContainText("一次性密码");
  const oneTime = /一次性密码：(\S+?)（/.exec((await result.textContent()) ?? "")?.[1] ?? "";
  expect(oneTime).toHaveLength(12);
  await newcomer.goto("/sign-in");
  await newcomer.locator('input[name="login"]').fill("surveyor9");
  await newcomer.locator('input[name="password"]').fill(oneTime);
  await newcomer.getByRole("button", { name: "登录" }).click();
  await expect(newcomer.getByTestId("password-forced")).toBeVisible();
  // Nothing else is reachable until the password is changed.
  await newcomer.goto("/survey");
  await expect(newcomer).toHaveURL(/\/account\/password/);
  const change = newcomer.getByTestId("change-password");
  await change.locator('input[name="current"]').fill(oneTime);
  await change.locator('input[name="next"]').fill("short");
  await change.locator('input[name="confirm"]').fill("short");
  await change.getByRole("button", { name: "保存新密码" }).click();
  await expect(change).toContainText("新密码至少 10 位");
  await change.locator('input[name="current"]').fill(oneTime);
  await change.locator('input[name="next"]').fill("Lantern-river-58");
  await change.locator('input[name="confirm"]').fill("Lantern-river-58");
  await change.getByRole("button", { name: "保存新密码" }).click();
  await expect(newcomer.getByTestId("current-user")).toBeVisible();
});

test("after sign-out the old session cookie no longer works", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, "zhonglou");
  const cookies = await context.cookies();
  await page.getByTestId("sign-out").click();
  await expect(page).toHaveURL(/\/sign-in/);
  await context.addCookies(cookies);
  await page.goto("/regions/320404");
  await expect(page).toHaveURL(/\/sign-in/);
});
