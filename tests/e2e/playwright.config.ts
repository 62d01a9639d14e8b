import { defineConfig, devices } from "@playwright/test";

// Started by tests/run.ts, which builds and serves the portal on a fresh seeded database and
// passes BASE_URL and CHROMIUM_PATH (Debian's Chromium: Playwright may not download browsers here).
export default defineConfig({
  testDir: ".",
  testMatch: "**/*.spec.ts",
  fullyParallel: false,
  // One worker: the specs share one seeded database, and a comparison run in one would change the
  // survey tasks another is working on.
  workers: 1,
  retries: 0,
  timeout: 90_000,
  // Generous: CI machines have 2 cores, and the first request to each route renders it cold.
  expect: { timeout: 15_000 },
  reporter: [["list"], ["json"]],
  use: {
    baseURL: process.env.BASE_URL ?? "http://localhost:3000",
    locale: "zh-CN",
    trace: "off",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], channel: undefined } }],
});
