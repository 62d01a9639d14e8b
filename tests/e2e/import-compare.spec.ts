import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { query, signIn } from "./fixtures";

// City staff import a file (with an invalid ID) in the browser, see the batch and its invalid rows,
// run a comparison and read its results; a district reviewer sees only its own district.

function departmentCsv(): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "e2e-import-")), "民政死亡名单.csv");
  // Persons outside the demo population: out of scope, so the run changes nobody's survey task.
  fs.writeFileSync(file, "\uFEFF公民身份号码,姓名,类别,日期,来源部门\r\n11010519491231002X,张三,死亡,2026-01-05,民政\r\n110105194912310021,=1+2,死亡,2026-02-01,民政\r\n");
  return file;
}

test("city staff import a department file and see its batch and invalid rows", async ({ page }) => {
  await signIn(page, "city");
  await page.goto("/imports");
  await page.getByTestId("import-kind").selectOption("department");
  await page.getByTestId("import-file").setInputFiles(departmentCsv());
  await page.getByTestId("import-submit").click();
  await expect(page.getByTestId("import-result")).toContainText("导入完成", { timeout: 30_000 });
  await expect(page.getByTestId("import-result")).toContainText("无效 1 行");
  await expect(page.getByTestId("import-refusal")).toHaveCount(0);
  const [batch] = await query<{ id: number; rows_invalid: number }>(`SELECT id, rows_invalid FROM import_batch WHERE file_name = '民政死亡名单.csv' ORDER BY id DESC LIMIT 1`);
  expect(batch.rows_invalid).toBe(1);
  await page.goto("/imports");
  await expect(page.getByTestId(`batch-${batch.id}`)).toContainText("民政死亡名单.csv");
  await page.goto(`/imports/${batch.id}`);
  await expect(page.getByTestId("invalid-table")).toContainText("校验码错误");
  await expect(page.getByTestId("invalid-table")).toContainText("=1+2");
  // The raw IDs leave only with a stated reason, which the audit row keeps.
  expect((await page.request.get(`/api/imports/${batch.id}/invalid`)).status()).toBe(400);
  const csv = await page.request.get(`/api/imports/${batch.id}/invalid?reason=${encodeURIComponent("退回民政局更正")}`);
  expect(csv.status()).toBe(200);
  const [audit] = await query<{ reason: string }>(`SELECT reason FROM audit_log WHERE action = 'import.export-invalid' AND entity_id = $1 ORDER BY id DESC LIMIT 1`, [String(batch.id)]);
  expect(audit.reason).toBe("退回民政局更正");
  expect((await csv.body()).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  // A name that Excel would run as a formula is quoted (CSV injection).
  expect(await csv.text()).toContain("'=1+2");
});

test("a refused file names the line, the column and the reason", async ({ page }) => {
  await signIn(page, "city");
  await page.goto("/imports");
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "e2e-import-")), "bad.csv");
  fs.writeFileSync(file, "id_number,name,scheme,status\n11010519491231002X,张三,110,1\n11010519491231002X,张三,999,1\n");
  await page.getByTestId("import-kind").selectOption("enrolment");
  await page.getByTestId("import-file").setInputFiles(file);
  await page.getByTestId("import-submit").click();
  await expect(page.getByTestId("refusal-line")).toHaveText("3", { timeout: 30_000 });
  await expect(page.getByTestId("refusal-column")).toContainText("scheme");
  expect(await query(`SELECT id FROM import_batch WHERE file_name = 'bad.csv'`)).toEqual([]);
});

test("city staff run a comparison and read the results; a district sees only its own", async ({ page, browser }) => {
  await signIn(page, "city");
  await page.goto("/comparisons");
  await page.getByTestId("comparison-start").getByRole("button").click();
  await expect(page.getByTestId("comparison-start-result")).toContainText(/\d/);
  const [run] = await query<{ id: number }>(`SELECT max(id) AS id FROM comparison_run`);
  await expect
    .poll(async () => (await query<{ status: string }>(`SELECT status::text AS status FROM comparison_run WHERE id = $1`, [run.id]))[0].status, { timeout: 60_000 })
    .toBe("DONE");
  await page.goto(`/comparisons/${run.id}`);
  await expect(page.getByTestId("comparison-regions")).toContainText("天宁区");
  await expect(page.getByTestId("comparison-persons")).toContainText("****");
  const csv = await page.request.get(`/comparisons/${run.id}/export?format=csv`);
  expect(csv.status()).toBe(200);
  expect((await csv.text()).replace(/^\uFEFF/, "").split("\n")[0]).toContain("公民身份号码");
  // Masked by default; full IDs only with a stated reason, audited with the filters and row count.
  expect(await csv.text()).not.toMatch(/\b\d{17}[\dX]\b/);
  expect((await page.request.get(`/comparisons/${run.id}/export?format=csv&unmasked=1`)).status()).toBe(400);
  const full = await page.request.get(`/comparisons/${run.id}/export?format=csv&unmasked=1&reason=${encodeURIComponent("核对参保信息")}`);
  expect(await full.text()).toMatch(/\b\d{17}[\dX]\b/);
  expect(full.headers()["cache-control"]).toContain("no-store");
  const [exported] = await query<{ reason: string; detail: { unmasked: boolean; rows: number } }>(`SELECT reason, detail FROM audit_log WHERE action = 'comparison.export' ORDER BY id DESC LIMIT 1`);
  expect(exported.reason).toBe("核对参保信息");
  expect(exported.detail.unmasked).toBe(true);
  expect(exported.detail.rows).toBeGreaterThan(0);

  const district = await (await browser.newContext()).newPage();
  await signIn(district, "tianning");
  await district.goto(`/comparisons/${run.id}`);
  await expect(district.getByTestId("comparison-regions")).toBeVisible();
  await expect(district.getByTestId("comparison-regions")).not.toContainText("钟楼区");
  await district.goto("/imports");
  await expect(district.getByTestId("refusal")).toBeVisible();
});
