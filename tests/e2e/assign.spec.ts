import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type Browser, expect, type Page, test } from "@playwright/test";
import { readFirstSheet } from "../../lib/import/xlsx-source";
import { query, signIn as signInOnce } from "./fixtures";

// Issue 13 "done when": on a generated street with ≥ 3,000 tasks, the street clerk filters by
// community, searches a name, selects 20 tasks, assigns them to a team of that community (formed
// through the team form, whose failed submit keeps its input and marks the members), and exports
// the roster to XLSX, whose rows equal the selection.
//
// The street (紫荆街道, three communities, surveyors in the first only) is seeded set-based in SQL
// beside the demo city and removed afterwards, so that the other specs see the demo as it was.

const STREET = "320402090";
const C1 = `${STREET}001`;
const C2 = `${STREET}002`;
const TASKS = 3300;
const SHOTS = process.env.SCREENSHOT_DIR;

async function signIn(page: Page, login: string): Promise<void> {
  try {
    await signInOnce(page, login);
  } catch {
    await signInOnce(page, login);
  }
}

async function desktop(browser: Browser, width = 1366): Promise<Page> {
  return (await browser.newContext({ locale: "zh-CN", acceptDownloads: true, viewport: { width, height: width > 500 ? 900 : 844 } })).newPage();
}

async function cleanUp(): Promise<void> {
  await query(`DELETE FROM task_event WHERE task_id IN (SELECT id FROM survey_task WHERE region_code LIKE '${STREET}%')`);
  await query(`DELETE FROM survey_visit WHERE task_id IN (SELECT id FROM survey_task WHERE region_code LIKE '${STREET}%')`);
  await query(`DELETE FROM survey_form WHERE task_id IN (SELECT id FROM survey_task WHERE region_code LIKE '${STREET}%')`);
  await query(`DELETE FROM survey_task WHERE region_code LIKE '${STREET}%'`);
  await query(`DELETE FROM survey_team WHERE community_code LIKE '${STREET}%'`);
  await query(`DELETE FROM person WHERE id_number LIKE '320499%'`);
  await query(`DELETE FROM user_post WHERE region_code LIKE '${STREET}%'`);
  await query(`DELETE FROM app_user WHERE region_code LIKE '${STREET}%'`);
  await query(`DELETE FROM region WHERE code LIKE '${STREET}%' AND level = 'COMMUNITY'`);
  await query(`DELETE FROM region WHERE code = '${STREET}'`);
}

test.beforeAll(async () => {
  await cleanUp();
  await query(`INSERT INTO region (code, name, level, parent_code) VALUES
    ('${STREET}', '紫荆街道', 'STREET', '320402'),
    ('${C1}', '紫荆一社区', 'COMMUNITY', '${STREET}'),
    ('${C2}', '紫荆二社区', 'COMMUNITY', '${STREET}'),
    ('${STREET}003', '紫荆三社区', 'COMMUNITY', '${STREET}')`);
  // The accounts get the demo password (the hash of a demo account).
  await query(`INSERT INTO app_user (login, real_name, password_hash, role, region_code, confirmed_at)
    SELECT v.login, v.real_name, u.password_hash, v.role::"Role", v.region_code, now()
    FROM (VALUES ('zijing', '紫荆街道经办员', 'STREET_CLERK', '${STREET}'), ('zj_s1', '周一调查', 'COMMUNITY_SURVEYOR', '${C1}'), ('zj_s2', '吴二调查', 'COMMUNITY_SURVEYOR', '${C1}')) v(login, real_name, role, region_code)
    CROSS JOIN (SELECT password_hash FROM app_user WHERE login = 'qinglong') u`);
  await query(`INSERT INTO user_post (user_id, role, region_code) SELECT id, role, region_code FROM app_user WHERE region_code LIKE '${STREET}%'`);
  // Persons: surname × given name, so that "王建" (王建国, 王建华) matches a few dozen per community.
  await query(`INSERT INTO person (id_number, name, gender, hukou_region_code, hukou_address, residence_address, survey_region_code, status)
    SELECT '320499' || to_char(date '1950-01-01' + g, 'YYYYMMDD') || lpad((g % 1000)::text, 3, '0') || '0',
           (ARRAY['王','李','张','刘','陈','杨','赵','黄','周','吴'])[1 + g % 10] || (ARRAY['建国','秀英','伟','芳','建华','敏','静','磊','洋','丽'])[1 + (g / 10) % 10],
           CASE WHEN g % 2 = 0 THEN '1' ELSE '2' END,
           '${STREET}' || lpad((1 + g % 3)::text, 3, '0'), '紫荆路 ' || g || ' 号', '紫荆花园 ' || (g % 40) || ' 幢 ' || g || ' 室',
           '${STREET}' || lpad((1 + g % 3)::text, 3, '0'), 'NEEDS_SURVEY'
    FROM generate_series(0, ${TASKS - 1}) g`);
  await query(`INSERT INTO survey_task (id_number, region_code, state, reason, category, released_at)
    SELECT id_number, survey_region_code, 'PENDING', c, c, now()
    FROM (SELECT id_number, survey_region_code, (ARRAY['NOT_INSURED','INTERRUPTED','PARTIAL','DUPLICATE'])[1 + (row_number() OVER (ORDER BY id_number))::int % 4] AS c
          FROM person WHERE id_number LIKE '320499%') x`);
});

test.afterAll(async () => {
  await cleanUp();
});

test("a district release asks for confirmation first: cancelled, nothing is released", async ({ browser }) => {
  const page = await desktop(browser);
  await signIn(page, "tianning");
  await page.goto("/tasks");
  const [street] = await query<{ code: string; name: string; n: string }>(
    `SELECT left(t.region_code, 9) AS code, r.name, count(*) AS n FROM survey_task t JOIN region r ON r.code = left(t.region_code, 9)
     WHERE t.region_code LIKE '320402%' AND t.state = 'PENDING' AND t.released_at IS NULL GROUP BY 1, 2 ORDER BY 1 LIMIT 1`,
  );
  test.skip(!street, "the demo has no unreleased task in 天宁区");
  let asked = "";
  page.once("dialog", (d) => {
    asked = d.message();
    void d.dismiss();
  });
  await page.getByTestId(`release-${street.code}`).getByRole("button", { name: "下发" }).click();
  await expect.poll(() => asked).toBe(`确认将${street.name}的 ${street.n} 个未下发任务下发到街道？`);
  const [after] = await query<{ n: string }>(`SELECT count(*) AS n FROM survey_task WHERE region_code LIKE $1 AND state = 'PENDING' AND released_at IS NULL`, [`${street.code}%`]);
  expect(after.n).toBe(street.n);
  await expect(page.getByTestId(`release-${street.code}-result`)).toHaveText("");
  if (SHOTS) await page.screenshot({ path: path.join(SHOTS, "district-1366.png"), fullPage: true });
});

test("on a street of 3,300 tasks the clerk forms a team, filters, searches, assigns 20 and exports their roster", async ({ browser }) => {
  test.setTimeout(180_000);
  const [{ n }] = await query<{ n: string }>(`SELECT count(*) AS n FROM survey_task WHERE region_code LIKE '${STREET}%'`);
  expect(Number(n)).toBeGreaterThanOrEqual(3000);
  const page = await desktop(browser);
  page.on("dialog", (d) => void d.accept());
  await signIn(page, "zijing");
  await page.goto("/tasks");
  await expect(page.getByTestId("tasks-pager-total")).toHaveText(`共 ${TASKS.toLocaleString("zh-CN")} 条`);
  await expect(page.getByTestId("task-row")).toHaveCount(50);

  // A community without surveyors says so, and who creates their accounts.
  await expect(page.getByTestId(`staff-${C2}`)).toContainText("还没有调查员账号");
  await page.getByTestId("team-community").selectOption(C2);
  await expect(page.getByTestId("no-surveyors")).toContainText("系统管理员");
  // The team form offers only the chosen community's surveyors; a failed submit keeps the input
  // and marks the members with their own message.
  await page.getByTestId("team-community").selectOption(C1);
  const members = page.getByTestId("team-members").getByRole("checkbox");
  await expect(members).toHaveCount(2);
  await expect(page.getByTestId("team-members")).toContainText("周一调查");
  await page.getByTestId("team-name").fill("紫荆一组");
  await page.getByTestId("create-team").getByRole("button", { name: "新建调查小组" }).click();
  await expect(page.getByTestId("create-team")).toContainText("请选择调查员");
  await expect(members.first()).toHaveAttribute("aria-invalid", "true");
  await expect(members.first()).toBeFocused();
  await expect(page.getByTestId("team-name")).toHaveValue("紫荆一组");
  await expect(page.getByTestId("team-community")).toHaveValue(C1);
  await members.nth(0).check();
  await members.nth(1).check();
  await page.getByTestId("create-team").getByRole("button", { name: "新建调查小组" }).click();
  await expect(page.getByTestId("create-team-result")).toContainText("已组建调查小组“紫荆一组”");
  const [{ id: teamId }] = await query<{ id: number }>(`SELECT id FROM survey_team WHERE community_code = $1 AND name = '紫荆一组'`, [C1]);

  // A community without a team says what to do where the clerk assigns.
  await page.getByTestId("filter-community").selectOption(C2);
  await page.getByTestId("filter-apply").click();
  await page.getByTestId("task-check").first().check();
  await expect(page.getByTestId("assign-no-team")).toContainText("还没有调查员账号");

  // Filter by community, search part of a name.
  await page.getByTestId("filter-community").selectOption(C1);
  await page.getByTestId("filter-q").fill("王建");
  await page.getByTestId("filter-apply").click();
  await expect(page).toHaveURL(/community=320402090001/);
  const [{ n: matching }] = await query<{ n: string }>(`SELECT count(*) AS n FROM survey_task t JOIN person p USING (id_number) WHERE t.region_code = $1 AND p.name LIKE '%王建%'`, [C1]);
  expect(Number(matching)).toBeGreaterThanOrEqual(20);
  await expect(page.getByTestId("tasks-pager-total")).toHaveText(`共 ${Number(matching)} 条`);
  const names = await page.getByTestId("task-name").allTextContents();
  expect(names.every((x) => x.includes("王建"))).toBe(true);
  // IDs are masked in the list.
  for (const id of (await page.getByTestId("street-tasks").locator("tbody td:nth-child(3)").allTextContents()).slice(0, 5)) expect(id).toMatch(/^320499\*{8}\d{4}$/);

  // Select 20 and assign them to the community's team (confirmed, then told what happened).
  const checks = page.getByTestId("task-check");
  for (let i = 0; i < 20; i++) await checks.nth(i).check();
  await expect(page.getByTestId("selection-count")).toHaveText("已选 20 个任务");
  const selected = (await page.getByTestId("task-row").evaluateAll((rows) => rows.slice(0, 20).map((r) => Number((r as HTMLElement).dataset.taskId)))).sort((a, b) => a - b);
  // Without a team the assignment is refused with the team field marked, and the selection kept.
  await page.getByTestId("assign-selection").getByRole("button", { name: "分配所选任务" }).click();
  await expect(page.getByTestId("assign-selection")).toContainText("请选择调查小组");
  await expect(page.getByTestId("assign-team")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByTestId("selection-count")).toHaveText("已选 20 个任务");
  await page.getByTestId("assign-team").selectOption(String(teamId));
  await page.getByTestId("assign-selection").getByRole("button", { name: "分配所选任务" }).click();
  await expect(page.getByTestId("assign-selection-result")).toHaveText("已分配 20 个任务给“紫荆一组”（紫荆一社区）");
  const assigned = await query<{ id: number }>(`SELECT id FROM survey_task WHERE team_id = $1 AND state = 'ASSIGNED' ORDER BY id`, [teamId]);
  expect(assigned.map((r) => r.id)).toEqual(selected);
  await expect(page.getByTestId("task-team").filter({ hasText: "紫荆一组" })).toHaveCount(20);
  if (SHOTS) await page.screenshot({ path: path.join(SHOTS, "tasks-1366.png"), fullPage: true });

  // The roster of the selection, as XLSX: its rows are the 20 selected tasks.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("roster-export").click()]);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "roster-")), "roster.xlsx");
  await download.saveAs(file);
  const rows: string[][] = [];
  for await (const r of readFirstSheet(file, () => {})) rows.push([...r.cells].map((c) => String(c ?? "")));
  const [header, ...body] = rows;
  expect(header.slice(0, 3)).toEqual(["序号", "任务编号", "姓名"]);
  expect(body.map((r) => Number(r[1])).sort((a, b) => a - b)).toEqual(selected);
  expect(body.every((r) => r[2].includes("王建") && /^320499\*{8}\d{4}$/.test(r[4]) && r[10] === "紫荆一组")).toBe(true);
  const audit = await query<{ detail: { rows: number } }>(`SELECT detail FROM audit_log WHERE action = 'roster.export' AND user_login = 'zijing' ORDER BY id DESC LIMIT 1`);
  expect(audit[0].detail.rows).toBe(20);

  // The task list's export holds the list's rows (every page, same filter).
  const [listDownload] = await Promise.all([page.waitForEvent("download"), page.getByTestId("tasks-export").click()]);
  const listFile = path.join(path.dirname(file), "list.xlsx");
  await listDownload.saveAs(listFile);
  let listRows = -1;
  for await (const r of readFirstSheet(listFile, () => {})) if (r.cells.length) listRows++;
  expect(listRows).toBe(Number(matching));

  // The summary sheet carries its signature and date lines, and its XLSX has the printed rows.
  await page.goto(`/print/community/${C1}/summary`);
  await expect(page.getByTestId("summary-signatures")).toContainText("制表人");
  await expect(page.getByTestId("summary-signatures")).toContainText("审核人");
  const printed = await page.getByTestId("summary-row").count();
  expect(printed).toBe(TASKS / 3);
  const summary = await page.request.get(`/print/community/${C1}/summary/export`);
  expect(summary.headers()["content-type"]).toContain("spreadsheetml");
  const summaryFile = path.join(path.dirname(file), "summary.xlsx");
  fs.writeFileSync(summaryFile, await summary.body());
  let summaryRows = -1;
  for await (const r of readFirstSheet(summaryFile, () => {})) if (r.cells.length) summaryRows++;
  expect(summaryRows).toBe(printed);

  // On a phone the list and its selection bar still work.
  if (SHOTS) {
    const phone = await desktop(browser, 390);
    await signIn(phone, "zijing");
    await phone.goto(`/tasks?community=${C1}&q=${encodeURIComponent("王建")}`);
    await phone.getByTestId("task-check").first().check();
    await phone.screenshot({ path: path.join(SHOTS, "tasks-390.png"), fullPage: true });
    await page.goto(`/print/community/${C1}/roster?team=${teamId}`);
    await page.screenshot({ path: path.join(SHOTS, "roster-1366.png"), fullPage: true });
  }
});
