import { expect, type Page } from "@playwright/test";

export const PASSWORD = "demo";

/** Signs in through the identity provider's own login page, as a person would. */
export async function signIn(page: Page, login: string, path = "/") {
  await page.goto(path);
  await expect(page).toHaveURL(/\/signin/);
  await page.getByRole("button", { name: "Sign in with Janssen" }).click();
  await expect(page.getByRole("heading", { name: "Janssen sign-in" })).toBeVisible();
  await page.getByLabel("Username").fill(login);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).not.toHaveURL(/127\.0\.0\.1|\/signin/);
}

/** Calls a tRPC query the way the browser does, with the page's cookies; returns the HTTP status. */
export async function trpcStatus(page: Page, path: string, input?: unknown): Promise<number> {
  const query = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
  const response = await page.request.get(`/api/trpc/${path}${query}`);
  return response.status();
}
