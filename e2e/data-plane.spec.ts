import { expect, test } from "@playwright/test";
import { E2E } from "../playwright.config";
import { signIn } from "./helpers";

/** The simulated fleet that `npm start` runs: its bridges, its meetings, and the APIs around them. */

test("the Bridges page shows the simulated fleet with live figures and source health", async ({ page }) => {
  await signIn(page, "ada", "/bridges");
  const table = page.getByRole("table", { name: "Bridges" });
  for (const name of ["jvb1", "jvb2", "jvb3"]) {
    const row = table.getByRole("row", { name: new RegExp(`^${name}`) });
    await expect(row).toContainText("up");
    await expect(row).toContainText(/\d+ in \d+ conf\./);
    await expect(row.getByText(/last success/).locator("time")).toBeVisible(); // a time, not just the label
  }
});

test("meetings reported by the simulated clients appear, with participants and their bridge", async ({ page }) => {
  await signIn(page, "ada", "/meetings?state=live");
  const row = page.getByRole("table", { name: "Meetings" }).getByRole("row", { name: /^weekly-sync/ });
  await expect(row).toContainText("live", { timeout: 30_000 });
  await expect(row).toContainText(/6 \/ 6/);
  await expect(row).toContainText(/jvb\d/, { timeout: 30_000 });

  // sorting is kept in the URL beside the filter
  await page.getByRole("navigation", { name: "Sort meetings" }).getByRole("link", { name: "Most participants" }).click();
  await expect(page).toHaveURL(/\/meetings\?state=live&sort=participants$/);
  await expect(page.getByRole("navigation", { name: "Meeting state" }).getByRole("link", { name: "live" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("navigation", { name: "Sort meetings" }).getByRole("link", { name: "Most participants" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("region", { name: "Meetings list" })).toHaveAttribute("aria-busy", "false"); // the new order has loaded
  const counts = (await page.getByRole("table", { name: "Meetings" }).locator("tbody tr td:nth-child(6)").allTextContents()).map((t) => Number(t.split("/")[0]));
  expect(counts.length).toBeGreaterThan(1);
  expect(counts).toEqual([...counts].sort((a, b) => b - a));
});

test("an admin creates an ingest token that works once shown, and a revoked one stops working", async ({ page }) => {
  await signIn(page, "ada", "/settings");
  const form = page.getByRole("form", { name: "Create an API token" });
  await form.getByLabel("Name").fill("e2e client");
  await form.getByLabel("Scope").selectOption("ingest");
  await form.getByRole("button", { name: "Create token" }).click();
  const secret = (await page.getByRole("status").filter({ hasText: "Copy it now" }).getByLabel("New token").textContent())!.trim();
  expect(secret).toMatch(/^msc_i_/);

  const post = (body: unknown) => page.request.post("/api/v1/ingest", { headers: { authorization: `Bearer ${secret}` }, data: body });
  const ok = await post({ batchId: "e2e-batch-0001", samples: [{ room: "e2e-room", endpointId: "e2e00001", sampledAt: new Date().toISOString(), network: { rttMs: 30 } }] });
  expect(ok.status()).toBe(200);
  expect(await ok.json()).toMatchObject({ status: "accepted", samples: 1 });
  const bad = await post({ batchId: "e2e-batch-0002", samples: [{ room: "e2e-room", endpointId: "e2e00001", sampledAt: "yesterday" }] });
  expect(bad.status()).toBe(400);
  expect((await bad.json()).issues[0].path).toBe("samples.0.sampledAt");

  await page.goto("/meetings?state=live");
  await expect(page.getByRole("table", { name: "Meetings" }).getByRole("row", { name: /^e2e-room/ })).toBeVisible();

  await page.goto("/settings");
  const tokens = page.getByRole("table", { name: "API tokens" });
  await tokens.getByRole("button", { name: "Revoke e2e client" }).click();
  await expect(tokens.getByRole("row", { name: /e2e client/ })).toContainText("revoked");
  expect((await post({ batchId: "e2e-batch-0003", samples: [{ room: "e2e-room", endpointId: "e2e00001", sampledAt: new Date().toISOString() }] })).status()).toBe(401);
});

test("the read API lists the bridges for a read token, and describes itself", async ({ page }) => {
  await signIn(page, "ada", "/settings");
  const form = page.getByRole("form", { name: "Create an API token" });
  await form.getByLabel("Name").fill("e2e reader");
  await form.getByLabel("Scope").selectOption("read");
  await form.getByRole("button", { name: "Create token" }).click();
  const secret = (await page.getByLabel("New token").textContent())!.trim();

  const list = await page.request.get("/api/v1/bridges", { headers: { authorization: `Bearer ${secret}` } });
  expect(list.status()).toBe(200);
  const { bridges } = (await list.json()) as { bridges: Array<{ id: string; name: string; status: string; latest: { stressLevel: number; endpoints: number } | null }> };
  expect(bridges.map((b) => b.name)).toEqual(["jvb1", "jvb2", "jvb3"]);
  expect(bridges[0]!.latest?.stressLevel).toEqual(expect.any(Number));
  const one = await page.request.get(`/api/v1/bridges/${bridges[0]!.id}`, { headers: { authorization: `Bearer ${secret}` } });
  expect((await one.json()).bridge.name).toBe("jvb1");
  expect((await page.request.get("/api/v1/bridges", { headers: { authorization: "Bearer nope" } })).status()).toBe(401);
  expect((await page.request.post("/api/v1/ingest", { headers: { authorization: `Bearer ${secret}` }, data: {} })).status()).toBe(403);

  const openapi = await (await page.request.get("/api/v1/openapi.json")).json();
  expect(Object.keys(openapi.paths)).toEqual(expect.arrayContaining(["/api/v1/ingest", "/api/v1/bridges", "/api/v1/bridges/{id}"]));
});

test("a bridge that dies is shown down with the reason, and Jicofo's view of it", async ({ page }) => {
  await signIn(page, "ada", "/bridges");
  const response = await page.request.post(`${E2E.simulatorControlUrl}/control/bridges/jvb3/fail`);
  expect(response.ok()).toBe(true);
  const row = page.getByRole("table", { name: "Bridges" }).getByRole("row", { name: /^jvb3/ });
  await expect(row).toContainText("down", { timeout: 20_000 });
  await expect(row).toContainText(/not answering/);
  await page.goto("/settings");
  await expect(page.getByRole("table", { name: "Jitsi sources" }).getByRole("row", { name: /down/ })).toHaveCount(1);
});

test("the Cache page counts the overview's cached reads", async ({ page }) => {
  await signIn(page, "ada", "/");
  await expect(page.getByRole("group", { name: "Live meetings" })).toBeVisible();
  await page.getByRole("navigation").getByRole("link", { name: "Cache" }).first().click();
  const row = page.getByRole("table", { name: "Cache namespaces" }).getByRole("row").filter({ hasText: "overview.summary" });
  await expect(row).toBeVisible();
  await expect(row.getByRole("cell").nth(4)).toHaveText(/^[1-9]\d*$/); // at least one miss: the overview computed it once
});
