import { expect, test } from "@playwright/test";
import { E2E } from "../playwright.config";
import { signIn } from "./helpers";

test("signing out ends the Meetscope session and the identity provider's session", async ({ page }) => {
  await signIn(page, "ada");
  await page.getByRole("region", { name: "Signed-in person" }).getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signed-out$/);
  await expect(page.getByRole("heading", { name: "You are signed out" })).toBeVisible();
  await expect(page.getByText("signed out of Meetscope and of the identity server")).toBeVisible();

  // Signing in again must ask for the password: the IdP no longer has a session to reuse.
  await page.getByRole("link", { name: "Sign in again" }).click();
  await expect(page).toHaveURL(/\/signin/);
  await page.getByRole("button", { name: "Sign in with Janssen" }).click();
  await expect(page).toHaveURL(new RegExp(`^${E2E.idpUrl.replace(/[.]/g, "\\.")}/interaction/`));
  await expect(page.getByLabel("Password")).toBeVisible();
});

test("an expiring access token is refreshed without the page breaking", async ({ page }) => {
  await signIn(page, "ada", "/actions");
  const session = async () => (await (await page.request.get("/api/auth/session")).json()) as { expiresAt: number; canRefresh: boolean };
  const first = await session();
  expect(first.canRefresh).toBe(true);
  // The IdP issues 40 s access tokens here; the page refreshes 30 s before expiry, so within ~10 s.
  await expect.poll(async () => (await session()).expiresAt, { timeout: 30_000, intervals: [1_000] }).toBeGreaterThan(first.expiresAt);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Bridges" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Bridges" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Bridges" })).toBeVisible();
});

test("on a phone-width screen the navigation opens from a menu button", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 800 });
  await signIn(page, "ada");
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav).toBeHidden();
  await page.getByRole("button", { name: "Menu" }).click();
  await nav.getByRole("link", { name: "Settings" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
  await expect(nav).toBeHidden();
});
