import { expect, type Page, test } from "@playwright/test";
import { query, signIn } from "./fixtures";

// Issue 11 on the built app over real HTTP: security headers (§9), no 500 for hostile URLs (§8),
// and no full ID number in any list page's HTML, every list view audited (§6).

/** An 18-character ID number standing alone (not part of a longer digit run). */
const FULL_ID = /(?<![\dA-Za-z])\d{17}[\dX](?![\dA-Za-z])/;

async function html(page: Page, path: string): Promise<string> {
  const response = await page.goto(path);
  expect(response?.status(), path).toBeLessThan(400);
  return page.content();
}

test("every response carries CSP with frame-ancestors 'none', nosniff, a Referrer-Policy, no-store and no X-Powered-By", async ({ page }) => {
  for (const path of ["/sign-in", "/registry", "/api/imports?job=x"]) {
    const response = await page.request.get(path, { maxRedirects: 0 });
    const h = response.headers();
    expect(h["content-security-policy"], path).toContain("frame-ancestors 'none'");
    expect(h["content-security-policy"], path).toContain("object-src 'none'");
    expect(h["x-content-type-options"], path).toBe("nosniff");
    expect(h["referrer-policy"], path).toBe("same-origin");
    expect(h["cache-control"], path).toContain("no-store");
    expect(h["x-powered-by"], path).toBeUndefined();
  }
  await signIn(page, "qinglong");
  const personal = await page.request.get("/tasks");
  expect(personal.headers()["cache-control"]).toContain("no-store");
});

test("hostile URLs answer 4xx or a normal page, never 500", async ({ page }) => {
  await signIn(page, "city");
  const [run] = await query<{ id: number }>(`SELECT max(id) AS id FROM comparison_run WHERE status = 'DONE'`);
  for (const path of ["/registry/%E0%A4%A", "/review/%E0%A4%A", "/print/person/%E0%A4%A", `/comparisons/${run.id}?page=1e20`, "/comparisons/1e20", "/review/1e20", "/survey/99999999999", "/imports/1e20", "/regions/%E0%A4%A", "/tasks?region=1e20", "/registry?s=%E0%A4%A"]) {
    const response = await page.request.get(path);
    expect(response.status(), path).toBeLessThan(500);
  }
  const auditor = await (await page.context().browser()!.newContext()).newPage();
  await signIn(auditor, "auditor");
  expect((await auditor.request.get("/audit?page=1e20")).status()).toBe(200);
});

test("no list page's HTML holds a full ID number, and each list view is audited with its row count", async ({ browser }) => {
  const [run] = await query<{ id: number }>(`SELECT max(id) AS id FROM comparison_run WHERE status = 'DONE'`);
  const [batch] = await query<{ id: number }>(`SELECT id FROM import_batch ORDER BY rows_invalid DESC, id LIMIT 1`);
  const visits: [string, string[]][] = [
    ["qinglong", ["/tasks", "/review", "/survey", "/changes", "/registry", `/comparisons/${run.id}`, `/comparisons/${run.id}?category=NOT_INSURED`]],
    ["tianning", ["/tasks", "/review", "/changes", `/comparisons/${run.id}`, "/stats/persons?region=320402&measure=needs_survey", "/stats/persons?region=320402&measure=tasks:published"]],
    ["surveyor1", ["/survey", "/changes"]],
    ["city", [`/comparisons/${run.id}`, `/imports/${batch.id}`, "/imports", "/stats/persons?region=3204&measure=persons", "/stats/persons?region=-&measure=persons"]],
  ];
  for (const [login, paths] of visits) {
    const page = await (await browser.newContext({ locale: "zh-CN" })).newPage();
    await signIn(page, login);
    const before = Number((await query<{ n: string }>(`SELECT count(*) AS n FROM audit_log a JOIN app_user u ON u.id = a.user_id WHERE u.login = $1 AND a.action LIKE '%.list'`, [login]))[0].n);
    for (const path of paths) expect(await html(page, path), `${login} ${path}`).not.toMatch(FULL_ID);
    const lists = await query<{ action: string; detail: { rows: number } }>(
      `SELECT a.action, a.detail FROM audit_log a JOIN app_user u ON u.id = a.user_id WHERE u.login = $1 AND a.action LIKE '%.list' ORDER BY a.id`,
      [login],
    );
    expect(lists.length, login).toBeGreaterThan(before);
    for (const row of lists) expect(typeof row.detail.rows).toBe("number");
  }
});

test("the auditor filters the log by user and action, reads details in Chinese, and exports it (audited)", async ({ page }) => {
  await signIn(page, "auditor");
  await page.goto("/audit?user=auditor&action=auth.sign-in");
  const rows = page.getByTestId("audit-row");
  await expect(rows.first()).toContainText("登录");
  await expect(rows.first()).toContainText("登录名：auditor");
  for (const text of await rows.allTextContents()) expect(text).toContain("auditor");
  const csv = await page.request.get("/audit/export?format=csv&user=auditor");
  expect(csv.status()).toBe(200);
  expect(csv.headers()["cache-control"]).toContain("no-store");
  expect(await csv.text()).toContain("查阅审计日志");
  const [exported] = await query<{ detail: { filters: { user: string }; rows: number } }>(`SELECT detail FROM audit_log WHERE action = 'audit.export' ORDER BY id DESC LIMIT 1`);
  expect(exported.detail.filters.user).toBe("auditor");
  expect(exported.detail.rows).toBeGreaterThan(0);
});
