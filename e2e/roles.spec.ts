import { expect, test } from "@playwright/test";
import { signIn, trpcStatus } from "./helpers";

// Each page and what it shows on a fresh install: an empty state that says what will appear, or its data.
const ADMIN_PAGES = [
  { link: "Overview", shows: "Bridges up" },
  { link: "Meetings", shows: /weekly-sync|No meetings yet/ },
  { link: "Alerts", shows: "ALERT_WEBHOOK_URL" },
  { link: "Bridges", shows: "jvb1" },
  { link: "Scaling", shows: "No scaling decisions yet" },
  { link: "Cache", shows: "overview.summary" }, // the Overview, visited first, went through the cache
  { link: "Actions", shows: "No actions yet" },
  { link: "Settings", shows: "mia@meetscope.test" },
];

test("an anonymous visitor is sent to sign in, and the API refuses them", async ({ page }) => {
  await page.goto("/bridges");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fbridges/);
  await expect(page.getByRole("button", { name: "Sign in with Janssen" })).toBeVisible();
  expect(await trpcStatus(page, "overview.summary")).toBe(401);
  expect(await trpcStatus(page, "me.get")).toBe(401);
});

test("an admin sees every page of the console, each with its empty state", async ({ page }) => {
  await signIn(page, "ada", "/bridges");
  await expect(page).toHaveURL(/\/bridges$/); // back where they were going
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const item of ADMIN_PAGES) {
    await nav.getByRole("link", { name: item.link, exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: item.link })).toBeVisible();
    await expect(nav.getByRole("link", { name: item.link, exact: true })).toHaveAttribute("aria-current", "page");
    await expect(page.getByRole("main").getByText(item.shows).first()).toBeVisible();
    await expect(page.locator("main")).not.toContainText(/TODO|lorem ipsum/i);
  }
  await expect(nav.getByRole("link", { name: "My rooms" })).toHaveCount(0);
  const who = page.getByRole("region", { name: "Signed-in person" });
  await expect(who).toContainText("Ada Admin");
  await expect(who).toContainText("Administrator");
  expect(await trpcStatus(page, "overview.summary")).toBe(200);
  expect(await trpcStatus(page, "rooms.health", { room: "all-hands" })).toBe(200);
});

test("a moderator sees only their rooms and is refused the rest", async ({ page }) => {
  await signIn(page, "mia");
  await expect(page).toHaveURL(/\/rooms$/);
  await expect(page.getByRole("heading", { level: 1, name: "My rooms" })).toBeVisible();
  const rooms = page.getByRole("list", { name: "Rooms" });
  await expect(rooms.getByRole("link")).toHaveText([/design-review/, /weekly-sync/]);
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link")).toHaveText(["My rooms", "Meetings"]);

  await rooms.getByRole("link", { name: /weekly-sync/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "weekly-sync" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Meetings in this room" })).toBeVisible();
  // the live meeting's charts on the room's page; its bridge named, without a link into the fleet pages
  const live = page.getByRole("region", { name: "The live meeting" });
  await expect(live.getByRole("figure", { name: "Round-trip time (ms)" })).toBeVisible({ timeout: 30_000 });
  await expect(live.getByRole("group", { name: "Bridge" })).toContainText(/jvb\d/);
  await expect(live.getByRole("group", { name: "Bridge" }).getByRole("link")).toHaveCount(0);

  await page.goto("/rooms/all-hands");
  await expect(page.getByRole("main").getByRole("alert")).toContainText("You do not moderate “all-hands”");
  await page.goto("/bridges");
  await expect(page.getByRole("heading", { name: "Administrators only" })).toBeVisible();

  expect(await trpcStatus(page, "rooms.health", { room: "weekly-sync" })).toBe(200);
  expect(await trpcStatus(page, "rooms.health", { room: "all-hands" })).toBe(403);
  expect(await trpcStatus(page, "overview.summary")).toBe(403);
  expect(await trpcStatus(page, "bridges.list")).toBe(403);
});

test("a person with no role gets a page that names the role they need", async ({ page }) => {
  await signIn(page, "noah");
  await expect(page).toHaveURL(/\/no-access$/);
  const card = page.getByRole("region", { name: "You have no access to Meetscope yet" });
  await expect(card).toContainText("Noah Norole");
  await expect(card).toContainText("admin role: api-admin or admin in the jansAdminUIRole claim");
  await expect(card).toContainText("moderator role: moderator in the jansAdminUIRole claim");
  await page.goto("/meetings");
  await expect(page).toHaveURL(/\/no-access$/);
  expect(await trpcStatus(page, "meetings.list")).toBe(403);
  expect(await trpcStatus(page, "me.get")).toBe(200);
});

test("an admin assigns a room to a moderator in Settings, with errors that name the field", async ({ browser }) => {
  const admin = await browser.newPage();
  await signIn(admin, "ada", "/settings");
  const form = admin.getByRole("form", { name: "Assign a room" });
  await form.getByLabel("Moderator e-mail").fill("otto@meetscope.test");
  await form.getByLabel("Room").fill("bad room");
  await form.getByRole("button", { name: "Assign room" }).click();
  await expect(admin.getByText("room name must not contain spaces")).toBeVisible();
  await form.getByLabel("Room").fill("Board-Meeting");
  await form.getByRole("button", { name: "Assign room" }).click();
  const table = admin.getByRole("table", { name: "Room assignments" });
  await expect(table.getByRole("row", { name: /otto@meetscope\.test board-meeting/ })).toBeVisible();

  const otto = await browser.newPage();
  await signIn(otto, "otto");
  await expect(otto.getByRole("list", { name: "Rooms" }).getByRole("link")).toHaveText([/all-hands/, /board-meeting/]);

  await table.getByRole("button", { name: "Remove board-meeting from otto@meetscope.test" }).click();
  await expect(table.getByRole("row", { name: /board-meeting/ })).toHaveCount(0);
  await otto.reload();
  await expect(otto.getByRole("list", { name: "Rooms" }).getByRole("link")).toHaveText([/all-hands/]);
});
