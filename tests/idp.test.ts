import { createHash, randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEnv, type MeetscopeConfig } from "@/server/config/env";
import { refreshSession } from "@/server/auth/refresh";
import { startIdp } from "@/simulator/idp/server";

/**
 * The demo identity provider behaves like a default Janssen where Meetscope depends on it, and Meetscope's
 * refresh works against it. Runs the authorization-code flow with PKCE over real HTTP, without a browser.
 */

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const APP = "http://localhost:39999";
let cfg: MeetscopeConfig;
let idp: Awaited<ReturnType<typeof startIdp>>;

beforeAll(async () => {
  const port = await freePort();
  cfg = parseEnv({ DEMO_IDP_PORT: String(port), NEXTAUTH_URL: APP });
  idp = await startIdp({ port, appUrl: APP, clientId: cfg.oidc.clientId, clientSecret: cfg.oidc.clientSecret, accessTokenTtlSeconds: 60 });
});
afterAll(() => idp.close());

/** Follows the browser's path through /auth and the login page with a cookie jar; returns the token response. */
async function signInWithCode(login: string, password = "demo") {
  const jar = new Map<string, string>();
  const go = async (url: string, init: RequestInit = {}) => {
    const response = await fetch(url, { ...init, redirect: "manual", headers: { ...init.headers, cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; ") } });
    for (const c of response.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const [k, ...v] = pair!.split("=");
      jar.set(k!, v.join("="));
    }
    return response;
  };
  const verifier = randomBytes(32).toString("base64url");
  const authorize = new URL(`${idp.issuer}/auth`);
  authorize.search = new URLSearchParams({
    client_id: cfg.oidc.clientId, response_type: "code", scope: cfg.oidc.scopes, redirect_uri: `${APP}/api/auth/callback/janssen`,
    state: "s", nonce: "n", code_challenge: createHash("sha256").update(verifier).digest("base64url"), code_challenge_method: "S256",
  }).toString();
  let response = await go(authorize.toString());
  let location = new URL(response.headers.get("location")!, idp.issuer).toString();
  const uid = /\/interaction\/([^/]+)/.exec(location)![1]!;
  response = await go(location);
  expect(await response.text()).toContain("Janssen sign-in");
  response = await go(`${idp.issuer}/interaction/${uid}/login`, {
    method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ login, password }),
  });
  if (response.status === 401) return { rejected: await response.text() };
  // login → /auth/:uid → consent interaction (granted automatically) → /auth/:uid → redirect_uri?code=
  for (let hops = 0; hops < 8 && response.headers.get("location"); hops++) {
    location = new URL(response.headers.get("location")!, idp.issuer).toString();
    if (location.startsWith(APP)) break;
    response = await go(location);
  }
  const code = new URL(location).searchParams.get("code");
  expect(code, `no code in ${location}`).toBeTruthy();
  const basic = Buffer.from(`${cfg.oidc.clientId}:${cfg.oidc.clientSecret}`).toString("base64");
  const token = await fetch(`${idp.issuer}/token`, {
    method: "POST",
    headers: { authorization: `Basic ${basic}`, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "authorization_code", code: code!, redirect_uri: `${APP}/api/auth/callback/janssen`, code_verifier: verifier }),
  });
  expect(token.status).toBe(200);
  return (await token.json()) as { access_token: string; id_token: string; refresh_token?: string; expires_in: number };
}

const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;

describe("demo identity provider (stand-in for Janssen)", () => {
  it("refuses a wrong password on its login page", async () => {
    const result = await signInWithCode("ada", "wrong");
    expect(result).toMatchObject({ rejected: expect.stringContaining("Unknown username or wrong password") });
  });

  it("keeps jansAdminUIRole out of the id_token and releases it to userinfo, as Janssen does", async () => {
    const tokens = (await signInWithCode("ada")) as { access_token: string; id_token: string; refresh_token?: string };
    expect(claimsOf(tokens.id_token).jansAdminUIRole).toBeUndefined();
    const userinfo = await (await fetch(`${idp.issuer}/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } })).json();
    expect(userinfo).toMatchObject({ sub: "ada", email: "ada@meetscope.test", jansAdminUIRole: ["api-admin"] });
    expect(tokens.refresh_token).toBeTruthy();
  });

  it("Meetscope refreshes a session: new expiry, rotated refresh token, roles re-read; concurrent refreshes share one", async () => {
    const tokens = (await signInWithCode("mia")) as { id_token: string; refresh_token: string };
    const session = { sub: "mia", roles: [], refreshToken: tokens.refresh_token, idToken: tokens.id_token, expiresAt: 1 };
    const now = Date.now();
    const [a, b] = await Promise.all([refreshSession(session, cfg, now), refreshSession(session, cfg, now)]);
    expect(a).toBe(b); // one request to the token endpoint for both
    expect(a.error).toBeUndefined();
    expect(a.roles).toEqual(["moderator"]);
    expect(a.expiresAt).toBe(Math.floor(now / 1000) + 60);
    expect(a.refreshToken).not.toBe(tokens.refresh_token);
  });

  it("a refresh token the identity provider rejects ends the session instead of breaking it", async () => {
    const result = await refreshSession({ sub: "mia", refreshToken: "not-a-real-token", expiresAt: 1 }, cfg);
    expect(result.error).toBe("RefreshTokenError");
    expect(await refreshSession({ sub: "mia", expiresAt: 1 }, cfg)).toMatchObject({ error: "RefreshTokenMissing" });
  });
});
