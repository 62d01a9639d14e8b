import { type Browser, expect, type Page, test } from "@playwright/test";
import { openPerson, query, signIn } from "./fixtures";

// The household survey end to end: a surveyor on a phone fills and submits the registration form,
// the street clerk approves (初审), the district reviewer approves (审定), the registry shows it.

async function phone(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: "zh-CN" });
  return context.newPage();
}

async function desktop(browser: Browser): Promise<Page> {
  return (await browser.newContext({ locale: "zh-CN" })).newPage();
}

/** The n-th assigned task of surveyor1's team (fixed order), with the person's ID. */
async function surveyorTask(n: number): Promise<{ id: number; id_number: string }> {
  const rows = await query<{ id: number; id_number: string }>(
    `SELECT t.id, t.id_number FROM survey_task t JOIN survey_team team ON team.id = t.team_id
     JOIN app_user u ON u.id = ANY(team.member_ids) AND u.login = 'surveyor1'
     WHERE t.state = 'ASSIGNED' AND NOT t.newly_found ORDER BY t.id LIMIT 1 OFFSET $1`,
    [n],
  );
  return rows[0];
}

async function fillAndSubmit(page: Page, opts: { mobile: string }) {
  const form = page.getByTestId("survey-form");
  await form.locator('select[name="employment"]').selectOption("EMPLOYED");
  // 常住所在地 with the region picker: district → street → community.
  await form.getByLabel("district").selectOption({ label: "天宁区" });
  await form.getByLabel("street").selectOption({ label: "青龙街道" });
  await form.getByLabel("community").selectOption({ index: 1 });
  await expect(form.getByLabel("community")).toHaveValue(/^320402002\d{3}$/);
  await form.locator('input[name="mobile"]').fill(opts.mobile);
  // pension and medical: checkboxes, more than one answer allowed
  await form.getByTestId("group-pension").getByLabel("城乡居民养老").check();
  await form.getByTestId("group-medical").getByLabel("城乡居民医保").check();
  await form.locator('input[name="surveyors"]').fill("张洋");
  await form.getByRole("button", { name: "提交" }).click();
  // Two mistakes: no unit name for someone employed by a unit, one surveyor only.
  await expect(page.getByTestId("error-unitName")).toHaveText("已单位就业须填写单位全称");
  await expect(page.getByTestId("error-surveyors")).toHaveText("调查人须为 2–3 人");
  await form.locator('input[name="unitName"]').fill("常州市天宁区某某机械有限公司");
  await form.locator('input[name="surveyors"]').fill("张洋、徐艳");
  await form.getByRole("button", { name: "提交" }).click();
  // success is confirmed on the list, among the submitted tasks
  await expect(page).toHaveURL(/\/survey\?tab=submitted/);
  await expect(page.getByTestId("submitted-banner")).toBeVisible();
}

async function review(browser: Browser, login: string, taskId: number, decision: "approve" | "return", after: string, comment?: string) {
  const page = await desktop(browser);
  // A return asks for confirmation.
  page.on("dialog", (d) => void d.accept());
  await signIn(page, login);
  await page.goto("/review");
  await expect(page.getByTestId(`task-${taskId}`)).toBeVisible();
  await page.getByTestId(`task-${taskId}`).getByRole("link").first().click();
  if (decision === "approve") {
    await page.getByTestId("approve").getByRole("button", { name: "通过" }).click();
  } else {
    await page.getByTestId("return").locator('[name="comment"]').fill(comment ?? "");
    await page.getByTestId("return").getByRole("button", { name: "退回" }).click();
  }
  // The decision opens the next task of the queue (or the queue), which confirms what was done.
  await expect(page.getByTestId("review-done")).toContainText(`任务 ${taskId}`);
  await page.goto(`/review/${taskId}`);
  await expect(page.getByTestId("task-state")).toHaveText(after);
  await expect(page.getByTestId("review-decision")).toHaveCount(0);
  await page.context().close();
}

test("surveyor submits on a phone, street and district approve, the registry shows the new data and history", async ({ browser }) => {
  const task = await surveyorTask(0);
  const page = await phone(browser);
  await signIn(page, "surveyor1");
  await page.goto("/survey");
  // found by a part of the ID number in the 待调查 tab
  await page.getByTestId("survey-search").locator('input[name="q"]').fill(task.id_number.slice(-7));
  await page.getByTestId("survey-search").getByRole("button", { name: "查找" }).click();
  await page.getByTestId(`task-${task.id}`).getByRole("link").click();
  await expect(page.getByTestId("prefilled")).toContainText(task.id_number);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await fillAndSubmit(page, { mobile: "13912345678" });
  await expect(page.getByTestId(`task-${task.id}`).getByTestId("task-state")).toHaveText("已提交");

  await review(browser, "qinglong", task.id, "approve", "街道已初审");
  await review(browser, "tianning", task.id, "approve", "已审定入库");

  const registry = await desktop(browser);
  await signIn(registry, "tianning");
  await openPerson(registry, task.id_number);
  await expect(registry.getByTestId("person-status")).toContainText("调查登记");
  await expect(registry.getByTestId("person-phone")).toContainText("13912345678");
  await expect(registry.getByTestId("history-table")).toContainText("13912345678");
});

test("a district return goes back to the surveyor, who edits and resubmits", async ({ browser }) => {
  const task = await surveyorTask(0);
  const page = await phone(browser);
  await signIn(page, "surveyor1");
  await page.goto(`/survey/${task.id}`);
  await fillAndSubmit(page, { mobile: "13800001111" });
  await review(browser, "qinglong", task.id, "approve", "街道已初审");
  await review(browser, "tianning", task.id, "return", "已退回", "手机号码与本人核实不符");

  await page.goto(`/survey/${task.id}`);
  await expect(page.getByTestId("task-state")).toHaveText("已退回");
  await expect(page.getByTestId("returned-comment")).toContainText("手机号码与本人核实不符");
  const form = page.getByTestId("survey-form");
  await expect(form.locator('input[name="unitName"]')).toHaveValue("常州市天宁区某某机械有限公司");
  await form.locator('input[name="mobile"]').fill("13800002222");
  await form.getByRole("button", { name: "提交" }).click();
  await expect(page).toHaveURL(/\/survey\?tab=submitted/);
  await expect(page.getByTestId(`task-${task.id}`).getByTestId("task-state")).toHaveText("已提交");
});

test("a draft typed while offline is kept in the browser and sent when back online", async ({ browser }) => {
  const task = await surveyorTask(0);
  const page = await phone(browser);
  await signIn(page, "surveyor1");
  await page.goto(`/survey/${task.id}`);
  const form = page.getByTestId("survey-form");
  await page.context().setOffline(true);
  await form.locator('input[name="mobile"]').fill("13700003333");
  await form.getByRole("button", { name: "保存草稿" }).click();
  await expect(page.getByTestId("form-status")).toContainText("网络中断");
  await page.context().setOffline(false);
  await expect(page.getByTestId("form-status")).toContainText("本机草稿已上传");
  const rows = await query<{ state: string; mobile: string }>(`SELECT t.state::text AS state, f.data->>'mobile' AS mobile FROM survey_task t JOIN survey_form f ON f.task_id = t.id WHERE t.id = $1`, [task.id]);
  expect(rows[0]).toEqual({ state: "DRAFT", mobile: "13700003333" });
});

test("the street clerk sees progress by community and the surveyor only their own list", async ({ browser }) => {
  const clerk = await desktop(browser);
  await signIn(clerk, "qinglong");
  await clerk.goto("/tasks");
  await expect(clerk.getByTestId("task-progress")).toBeVisible();
  await expect(clerk.getByTestId("team-list")).toContainText("第一调查组");
  const other = await query<{ id: number }>(`SELECT id FROM survey_task WHERE region_code LIKE '320404%' ORDER BY id LIMIT 1`);
  const surveyor = await desktop(browser);
  await signIn(surveyor, "surveyor1");
  await surveyor.goto(`/survey/${other[0].id}`);
  await expect(surveyor.getByTestId("refusal")).toBeVisible();
});
