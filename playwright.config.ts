import { defineConfig, devices } from "@playwright/test";

// The app under test is started exactly as a user starts it (`npm start`), on its own ports and data folder.
const APP_PORT = Number(process.env.E2E_APP_PORT ?? 3210);
const IDP_PORT = Number(process.env.E2E_IDP_PORT ?? 4210);
const SIMULATOR_BASE_PORT = Number(process.env.E2E_SIMULATOR_BASE_PORT ?? 9310);
export const E2E = {
  appUrl: `http://localhost:${APP_PORT}`,
  idpUrl: `http://127.0.0.1:${IDP_PORT}`,
  /** the simulated fleet's control API (bridges on the base port and up, Jicofo below, control below that) */
  simulatorControlUrl: `http://127.0.0.1:${SIMULATOR_BASE_PORT - 2}`,
};

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_FILE ? [["list"], ["json", { outputFile: process.env.PLAYWRIGHT_JSON_OUTPUT_FILE }]] : "list",
  use: {
    baseURL: E2E.appUrl,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], viewport: { width: 1280, height: 800 } } }],
  webServer: {
    command: "npm start",
    url: `${E2E.appUrl}/api/health`,
    reuseExistingServer: !process.env.CI,
    timeout: 240_000,
    stdout: "pipe",
    env: {
      PORT: String(APP_PORT),
      DEMO_IDP_PORT: String(IDP_PORT),
      MEETSCOPE_DATA_DIR: process.env.E2E_DATA_DIR ?? ".data/e2e",
      // short-lived access tokens so every run exercises the refresh path (Janssen's default is 300 s)
      DEMO_IDP_ACCESS_TOKEN_TTL_SECONDS: "40",
      MEETSCOPE_SIMULATOR_BASE_PORT: String(SIMULATOR_BASE_PORT),
      // a quick pace so that the fleet's figures and the clients' samples show up within a test
      COLLECTOR_INTERVAL_MS: "1000",
      ...(process.env.E2E_DATABASE_URL ? { DATABASE_URL: process.env.E2E_DATABASE_URL } : {}),
    },
  },
});
