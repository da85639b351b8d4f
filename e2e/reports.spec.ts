import { expect, test } from "@playwright/test";
import { E2E } from "../playwright.config";
import { networkCutter, signIn, trpcStatus } from "./helpers";

/** Performance reports on the simulated fleet (demo meetings have fixed endpoint ids in every scenario). */

const GARETT = "7f3a9c21"; // in weekly-sync

// Garett's network is degraded below; the tests after this file's see the fleet as it was.
test.afterEach(async ({ request }) => {
  const restored = await request.delete(`${E2E.simulatorControlUrl}/control/participants/${GARETT}/network`);
  expect(restored.ok()).toBe(true);
});

async function meetingIdOf(page: import("@playwright/test").Page, room: string): Promise<string> {
  await page.goto("/meetings?state=live");
  const link = page.getByRole("table", { name: "Meetings" }).getByRole("link", { name: room, exact: true }).first();
  await expect(link).toBeVisible({ timeout: 30_000 });
  return (await link.getAttribute("href"))!.split("/").pop()!;
}

test("a participant's network degrades: the open meeting page shows the issue and its cause without a reload", async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, "ada");
  const id = await meetingIdOf(page, "weekly-sync");
  await page.goto(`/meetings/${id}`);
  await expect(page.getByRole("heading", { level: 1, name: "weekly-sync" })).toBeVisible();
  await expect(page.getByRole("figure", { name: "Round-trip time (ms)" })).toBeVisible();
  await expect(page.getByRole("status", { name: "Live updates" })).toHaveText("Live");

  const degraded = await page.request.post(`${E2E.simulatorControlUrl}/control/participants/${GARETT}/network`, {
    data: { lossSendFraction: 0.18, lossRecvFraction: 0.14, rttMs: 420, jitterMs: 50 },
  });
  expect(degraded.ok()).toBe(true);

  // The simulated clients report every 5 s; a watched meeting is analyzed as its samples arrive, and the
  // report reaches the open page as a server-sent event.
  const degradedAt = Date.now();
  const issue = page.getByRole("list", { name: "Current issues" }).getByRole("listitem").filter({ hasText: "Garett" }).first();
  await expect(issue).toContainText("participant's network", { timeout: 10_000 });
  console.log(`issue on the open page ${Date.now() - degradedAt} ms after the network degraded`);
  await expect(issue).toContainText(/loss [\d.]+ % up/);
  await expect(page.getByRole("table", { name: "Participants" }).getByRole("row", { name: /Garett/ })).toContainText(/(audio|video)-(send|recv): poor/, { timeout: 60_000 });

  // the alert is in the app too (the e2e server has no webhook configured, and says so). Alerts follow the
  // leader's 30-second rounds: the first round after the first degraded sample fires it, up to about 40 s after
  // the change on a slow machine.
  await page.getByRole("navigation").getByRole("link", { name: "Alerts" }).first().click();
  const alert = page.getByRole("table", { name: "Firing alerts" }).getByRole("row").filter({ hasText: "weekly-sync" }).filter({ hasText: "Garett" }).first();
  await expect(alert).toContainText("participant's network", { timeout: 60_000 });
  console.log(`alert on the Alerts page ${Date.now() - degradedAt} ms after the network degraded`);
  await expect(alert).toContainText("not sent (no target)");
  await expect(page.getByText("ALERT_WEBHOOK_URL")).toBeVisible();
  await alert.getByRole("link", { name: "weekly-sync" }).click();
  await expect(page).toHaveURL(new RegExp(`/meetings/${id}$`));

  // a longer chart window is kept in the URL, and the charts and timeline follow it
  await page.getByRole("navigation", { name: "Chart window" }).getByRole("link", { name: "6 hours" }).click();
  await expect(page).toHaveURL(new RegExp(`/meetings/${id}\\?window=360$`));
  await expect(page.getByText("over the meeting's last 6 hours")).toBeVisible();
  await expect(page.getByRole("figure", { name: "Round-trip time (ms)" })).toBeVisible();
  await expect(page.getByRole("list", { name: "Issue timeline" })).toContainText("Garett");
  // the bridge it runs on is one click away
  await page.getByRole("group", { name: "Bridge" }).getByRole("link").click();
  await expect(page).toHaveURL(/\/bridges#bridge-jvb\d$/);
});

test("live updates say when the connection drops, and resume by themselves", async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page, "ada");
  const id = await meetingIdOf(page, "weekly-sync");
  const cutter = await networkCutter(new URL(E2E.appUrl));
  try {
    await page.goto(`${cutter.url}/meetings/${id}`); // the session cookie is the same on another port of localhost
    const status = page.getByRole("status", { name: "Live updates" });
    await expect(status).toHaveText("Live");
    cutter.drop();
    await expect(status).toHaveText("Connection lost: reconnecting…");
    await page.waitForTimeout(6_000); // still away: the page keeps saying so, and keeps what it showed (and its figures go stale)
    await expect(status).toHaveText("Connection lost: reconnecting…");
    await expect(page.getByRole("table", { name: "Participants" })).toBeVisible();
    // coming back to the tab refetches stale figures (TanStack Query); that fails, and the page says so
    const comeBack = () => page.evaluate(() => window.dispatchEvent(new Event("visibilitychange")));
    await comeBack();
    await expect(page.getByRole("status", { name: "Refresh failed" })).toBeVisible();
    cutter.restore();
    await expect(status).toHaveText("Live", { timeout: 30_000 }); // the stream is open again (no reload)
    await comeBack();
    await expect(page.getByRole("status", { name: "Refresh failed" })).toHaveCount(0, { timeout: 20_000 });
  } finally {
    await cutter.close();
  }
});

test("a moderator opens a meeting of their room, and is refused one of another room", async ({ page }) => {
  await signIn(page, "ada");
  const weekly = await meetingIdOf(page, "weekly-sync");
  const allHands = await meetingIdOf(page, "all-hands");
  await page.context().clearCookies();

  await signIn(page, "mia");
  await page.goto(`/meetings/${weekly}`);
  await expect(page.getByRole("heading", { level: 1, name: "weekly-sync" })).toBeVisible();
  await page.goto(`/meetings/${allHands}`);
  await expect(page.getByRole("main").getByRole("alert")).toContainText("Meeting not found");
  expect(await trpcStatus(page, "meetings.detail", { meetingId: allHands })).toBe(403);
  expect(await trpcStatus(page, "meetings.detail", { meetingId: weekly })).toBe(200);
});

test("the read API returns live meetings and a meeting's latest report", async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page, "ada", "/settings");
  const form = page.getByRole("form", { name: "Create an API token" });
  await form.getByLabel("Name").fill("e2e report reader");
  await form.getByLabel("Scope").selectOption("read");
  await form.getByRole("button", { name: "Create token" }).click();
  const secret = (await page.getByLabel("New token").textContent())!.trim();
  const headers = { authorization: `Bearer ${secret}` };

  const { meetings } = (await (await page.request.get("/api/v1/meetings", { headers })).json()) as { meetings: Array<{ id: string; room: string }> };
  const weekly = meetings.find((m) => m.room === "weekly-sync")!;
  expect(weekly).toBeDefined();
  await expect
    .poll(async () => (await page.request.get(`/api/v1/meetings/${weekly.id}/report`, { headers })).status(), { timeout: 60_000, intervals: [2_000] })
    .toBe(200);
  const { report } = await (await page.request.get(`/api/v1/meetings/${weekly.id}/report`, { headers })).json();
  expect(report.participants.length).toBeGreaterThan(0);
  expect(report.participants[0].streams).toHaveLength(4);
  expect((await page.request.get("/api/v1/meetings/not-a-uuid/report", { headers })).status()).toBe(400);
});
