import { expect, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "demo1234";

/** Signs in through the real form and waits for the home page. */
export async function signIn(page: Page, login: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto("/sign-in");
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill(password);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByTestId("current-user")).toBeVisible();
}

/** Reads the e2e database (tests/run.ts passes its URL) to pick fixtures by what they are. */
export async function query<T extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/**
 * Opens a person's page the way a user does: the registry search posts the full ID number (never
 * in a URL) and the result links to the person's opaque key. Returns the person page's path.
 */
export async function openPerson(page: Page, idNumber: string): Promise<string> {
  await page.goto("/registry");
  await page.getByTestId("registry-search").fill(idNumber);
  await page.getByTestId("registry-search").press("Enter");
  // The registry lists persons before any search: wait for the search's own result page.
  await expect(page).toHaveURL(/[?&]s=/);
  const link = page.getByTestId("registry-results").getByRole("link").first();
  await expect(link).toBeVisible();
  const href = (await link.getAttribute("href")) ?? "";
  await link.click();
  await expect(page.getByTestId("person-name")).toBeVisible();
  return href;
}
