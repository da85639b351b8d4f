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

/**
 * A TCP proxy in front of the app, for cutting the network under a page: `drop()` closes every connection
 * through it and refuses new ones until `restore()`. (Chromium's offline emulation leaves an open
 * server-sent-events stream alone, so it cannot stand in for a dropped connection.)
 */
export async function networkCutter(target: URL): Promise<{ url: string; drop: () => void; restore: () => void; close: () => Promise<void> }> {
  const { createServer, connect } = await import("node:net");
  const sockets = new Set<import("node:net").Socket>();
  let refusing = false;
  const server = createServer((client) => {
    if (refusing) return void client.destroy();
    const upstream = connect(Number(target.port), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as import("node:net").AddressInfo;
  return {
    url: `http://localhost:${port}`,
    drop: () => {
      refusing = true;
      for (const socket of sockets) socket.destroy();
    },
    restore: () => {
      refusing = false;
    },
    close: () => new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}
