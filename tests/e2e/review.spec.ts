import { type Browser, expect, type Page, test } from "@playwright/test";
import { openPerson, query, signIn } from "./fixtures";

// Reviewing at a glance (issue 13): the street clerk's queue with filters, search, pages and export;
// the form compared with the registry; after a decision the next task opens; a return without a
// reason keeps what was chosen and marks the reason; several forms approved at once. The progress
// table: 未下发 and 待分配 apart, the totals row, and each count opening its tasks.

/**
 * `n` forms submitted by surveyor1 (form, event, state), on released tasks of 青龙街道 that no other
 * spec works on: not surveyor1's assigned ones (tests/e2e/survey.spec.ts fills those).
 */
async function submitted(n: number): Promise<{ id: number; name: string }[]> {
  const tasks = await query<{ id: number; name: string }>(
    `SELECT t.id, p.name FROM survey_task t JOIN person p ON p.id_number = t.id_number
      WHERE t.state = 'PENDING' AND t.released_at IS NOT NULL AND NOT t.newly_found AND t.region_code LIKE '320402002%'
      ORDER BY t.id DESC LIMIT $1`,
    [n],
  );
  expect(tasks).toHaveLength(n);
  for (const [i, t] of tasks.entries()) {
    const form = { employment: "FLEXIBLE", mobile: `1391234${String(5000 + i)}`, pension: "RESIDENT", medical: "RESIDENT", surveyors: ["张洋", "徐艳"] };
    await query(
      `WITH s AS (SELECT id FROM app_user WHERE login = 'surveyor1'),
            f AS (INSERT INTO survey_form (task_id, data, updated_by_id, submitted_at) SELECT $1, $2::jsonb, s.id, now() - make_interval(mins => $3) FROM s
                  ON CONFLICT (task_id) DO UPDATE SET data = EXCLUDED.data, updated_by_id = EXCLUDED.updated_by_id, submitted_at = EXCLUDED.submitted_at RETURNING task_id),
            e AS (INSERT INTO task_event (task_id, event, from_state, to_state, actor_id) SELECT $1, 'submit', 'PENDING', 'SUBMITTED', s.id FROM s RETURNING id)
       UPDATE survey_task SET state = 'SUBMITTED', version = version + 1 WHERE id = $1 AND (SELECT count(*) FROM f) + (SELECT count(*) FROM e) = 2`,
      [t.id, JSON.stringify(form), 100 - i],
    );
  }
  return tasks;
}

async function desktop(browser: Browser, width = 1366): Promise<Page> {
  const page = await (await browser.newContext({ locale: "zh-CN", viewport: { width, height: 900 } })).newPage();
  page.on("dialog", (d) => void d.accept());
  return page;
}

const stateOf = async (id: number) => (await query<{ state: string }>(`SELECT state::text AS state FROM survey_task WHERE id = $1`, [id]))[0].state;

let surveyor1: number;
test.beforeAll(async () => {
  surveyor1 = (await query<{ id: number }>(`SELECT id FROM app_user WHERE login = 'surveyor1'`))[0].id;
});

test("approve shows the changes against the registry and opens the next task of the same filtered queue", async ({ browser }) => {
  const [first, second] = await submitted(2);
  const page = await desktop(browser);
  await signIn(page, "qinglong");
  await page.goto(`/review?submittedBy=${surveyor1}`);
  const rows = page.getByTestId("task-list").locator("tbody tr");
  await expect(page.getByTestId(`task-${first.id}`)).toBeVisible();
  // Oldest submission first: the two just submitted are in that order.
  const order = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-testid")));
  expect(order.indexOf(`task-${first.id}`)).toBeLessThan(order.indexOf(`task-${second.id}`));
  await page.screenshot({ path: test.info().outputPath("review-queue-1366.png"), fullPage: true });

  await page.getByTestId(`task-${first.id}`).getByRole("link").first().click();
  await expect(page).toHaveURL(new RegExp(`/review/${first.id}\\?submittedBy=${surveyor1}`));
  // The form's mobile differs from the registry's: the row is marked as a change.
  const mobile = page.getByTestId("diff-mobile");
  await expect(mobile).toHaveAttribute("data-changed", "true");
  await expect(mobile).toContainText("13912345000");
  await expect(page.getByTestId("diff-count")).toContainText("项与登记库不同");
  await expect(page.getByTestId("diff-employment")).toContainText("灵活就业");
  // Approve and return look different: a primary and a danger button.
  const approve = page.getByTestId("approve").getByRole("button", { name: "通过" });
  const ret = page.getByTestId("return").getByRole("button", { name: "退回" });
  expect(await approve.evaluate((b) => getComputedStyle(b).backgroundColor)).not.toBe(await ret.evaluate((b) => getComputedStyle(b).backgroundColor));
  await page.screenshot({ path: test.info().outputPath("review-task-1366.png"), fullPage: true });

  await approve.click();
  // The next task opens (the list's next row with the same filter) and confirms the decision.
  await expect(page.getByTestId("review-done")).toContainText(`任务 ${first.id}`);
  const next = Number(new URL(page.url()).pathname.split("/").pop());
  expect(next).not.toBe(first.id);
  expect(new URL(page.url()).searchParams.get("submittedBy")).toBe(String(surveyor1));
  expect(await stateOf(first.id)).toBe("STREET_APPROVED");
  expect(await stateOf(next)).toBe("SUBMITTED");
  await page.context().close();
});

test("a return without a reason keeps the input, marks the reason field and focuses it; with a reason it returns", async ({ browser }) => {
  const [task] = await submitted(1);
  const page = await desktop(browser, 390);
  await signIn(page, "qinglong");
  await page.goto(`/review/${task.id}`);
  const form = page.getByTestId("return");
  await form.getByTestId("return-kind").selectOption("WRONG");
  await form.getByRole("button", { name: "退回" }).click();
  const comment = form.locator('[name="comment"]');
  await expect(comment).toHaveAttribute("aria-invalid", "true");
  await expect(form.locator('[data-field-error="comment"]')).toHaveText("请填写退回原因");
  await expect(comment).toBeFocused();
  await expect(form.getByTestId("return-kind")).toHaveValue("WRONG");
  expect(await stateOf(task.id)).toBe("SUBMITTED");
  await form.scrollIntoViewIfNeeded();
  await page.screenshot({ path: test.info().outputPath("review-return-390.png") });

  await comment.fill("手机号码与本人核实不符");
  await form.getByRole("button", { name: "退回" }).click();
  await expect(page.getByTestId("review-done")).toContainText(`任务 ${task.id}`);
  expect(await stateOf(task.id)).toBe("RETURNED");
  const [event] = await query<{ comment: string }>(`SELECT comment FROM task_event WHERE task_id = $1 AND event = 'return' ORDER BY id DESC LIMIT 1`, [task.id]);
  expect(event.comment).toBe("【信息有误】手机号码与本人核实不符");
  await page.context().close();
});

test("the clerk approves several forms at once; the result says how many", async ({ browser }) => {
  const tasks = await submitted(3);
  const page = await desktop(browser);
  await signIn(page, "qinglong");
  await page.goto(`/review?submittedBy=${surveyor1}`);
  // Nothing ticked: the form says what to do, and nothing changes.
  await page.getByTestId("bulk-approve").getByRole("button", { name: "通过所选登记表" }).click();
  await expect(page.getByTestId("bulk-approve-result")).toContainText("请先勾选要通过的登记表");
  for (const t of tasks) await page.getByTestId(`select-${t.id}`).check();
  await page.getByTestId("bulk-approve").getByRole("button", { name: "通过所选登记表" }).click();
  await expect(page.getByTestId("bulk-approve-result")).toHaveText("已通过 3 份登记表。");
  for (const t of tasks) {
    expect(await stateOf(t.id)).toBe("STREET_APPROVED");
    await expect(page.getByTestId(`task-${t.id}`)).toHaveCount(0);
  }
  const approvals = await query<{ n: number }>(`SELECT count(*)::int AS n FROM task_event WHERE event = 'approve' AND task_id = ANY($1::int[])`, [tasks.map((t) => t.id)]);
  expect(approvals[0].n).toBe(3);
  await page.context().close();
});

test("the queue searches part of a name and exports the filtered rows as XLSX, audited", async ({ browser }) => {
  const { default: ExcelJS } = await import("exceljs");
  const [task] = await submitted(1);
  const page = await desktop(browser, 390);
  await signIn(page, "qinglong");
  const part = task.name.slice(1);
  await page.goto("/review");
  await page.getByTestId("queue-q").fill(part);
  await page.getByRole("button", { name: "筛选" }).click();
  await expect(page).toHaveURL(new RegExp(`q=${encodeURIComponent(part)}`));
  await expect(page.getByTestId(`task-${task.id}`)).toBeVisible();
  const total = await page.getByTestId("pager-total").textContent();
  await page.screenshot({ path: test.info().outputPath("review-queue-390.png") });
  const res = await page.request.get(`/review/export?format=xlsx&q=${encodeURIComponent(part)}`);
  expect(res.status()).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(await res.body()) as never);
  const ws = wb.worksheets[0];
  expect(ws.getRow(1).values).toContain("category_code");
  expect(total).toBe(`共 ${ws.rowCount - 1} 条`);
  const audit = await query<{ detail: { rows: number; filters: { q: string } } }>(`SELECT detail FROM audit_log WHERE user_login = 'qinglong' AND action = 'review.export' ORDER BY id DESC LIMIT 1`);
  expect(audit[0].detail).toMatchObject({ rows: ws.rowCount - 1, filters: { q: part } });
  await page.context().close();
});

test("progress: 未下发 and 待分配 apart, a totals row with completion, breadcrumbs, each count opens its tasks", async ({ browser }) => {
  for (const width of [1366, 390]) {
    const page = await desktop(browser, width);
    await signIn(page, "tianning");
    await page.goto("/regions/320402");
    await expect(page.getByTestId("breadcrumbs")).toContainText("天宁区");
    const table = page.getByTestId("progress-table");
    await expect(table.locator("thead")).toContainText("未下发");
    await expect(table.locator("thead")).toContainText("待分配");
    await expect(page.getByTestId("progress-totals")).toContainText("%");
    await page.screenshot({ path: test.info().outputPath(`progress-${width}.png`), fullPage: true });
    if (width === 390) {
      await page.context().close();
      continue;
    }
    // The street's row: open its 待分配 tasks (or its first non-zero count) and see as many rows.
    const link = page.getByTestId("progress-320402002").locator('a[data-testid^="count-320402002-"]').first();
    const n = Number((await link.textContent())!.replace(/,/g, ""));
    await link.click();
    await expect(page.getByTestId("breadcrumbs")).toContainText("青龙街道");
    await expect(page.getByTestId("pager-total")).toHaveText(`共 ${n.toLocaleString("zh-CN")} 条`);
    await page.screenshot({ path: test.info().outputPath("region-tasks-1366.png"), fullPage: true });
    await page.context().close();
  }
});

test("the person page lists the active schemes with since, unit and place by name", async ({ browser }) => {
  const [p] = await query<{ id_number: string; scheme: string }>(
    `SELECT e.id_number, e.scheme FROM enrolment_record e JOIN import_batch b ON b.id = e.batch_id AND b.status = 'ACTIVE'
       JOIN person p ON p.id_number = e.id_number
      WHERE e.status = 1 AND COALESCE(p.survey_region_code, p.hukou_region_code) LIKE '320402002%' ORDER BY e.id_number, e.scheme LIMIT 1`,
  );
  for (const width of [1366, 390]) {
    const page = await desktop(browser, width);
    await signIn(page, "qinglong");
    await openPerson(page, p.id_number);
    const section = page.getByTestId("active-schemes");
    const row = section.getByTestId(`scheme-${p.scheme}`);
    await expect(row).toBeVisible();
    // The scheme's name, never its code; the place by name.
    await expect(row).not.toContainText(p.scheme);
    await expect(section).not.toContainText(/\b\d{6,12}\b/);
    await section.scrollIntoViewIfNeeded();
    await page.screenshot({ path: test.info().outputPath(`person-schemes-${width}.png`) });
    await page.context().close();
  }
});
