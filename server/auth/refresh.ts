import { z } from "zod";
import type { MeetscopeConfig } from "../config/env";
import { discover } from "./discovery";
import { mapRoles } from "./roles";
import type { SessionToken } from "./session-state";

const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().positive().optional(),
  refresh_token: z.string().min(1).optional(),
  id_token: z.string().min(1).optional(),
});
const userinfoSchema = z.looseObject({ sub: z.string() });

/** Claims of a JWT received straight from the token endpoint over TLS (OIDC Core §3.1.3.7 allows trusting them). */
function jwtClaims(jwt: string | undefined): Record<string, unknown> {
  const payload = jwt?.split(".")[1];
  if (!payload) return {};
  try {
    return JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
  } catch {
    return {};
  }
}

// Janssen rotates the refresh token on every use: two concurrent refreshes with the same token would make one
// fail. Requests in this process that carry the same refresh token share one refresh.
const inFlight = new Map<string, Promise<SessionToken>>();

/**
 * Trades the refresh token for a new access token (client_secret_basic, as Janssen enforces the registered
 * method), re-reads the roles from userinfo, and returns the new session token. On failure the token carries
 * `error` and the person is sent to sign in again.
 */
export function refreshSession(token: SessionToken, cfg: MeetscopeConfig, nowMs = Date.now()): Promise<SessionToken> {
  const refreshToken = token.refreshToken;
  if (!refreshToken) return Promise.resolve({ ...token, error: "RefreshTokenMissing" });
  const running = inFlight.get(refreshToken);
  if (running) return running;
  const work = doRefresh(token, refreshToken, cfg, nowMs).finally(() => {
    // keep the result a little longer so requests that raced with the cookie update reuse it
    setTimeout(() => inFlight.delete(refreshToken), 30_000).unref();
  });
  inFlight.set(refreshToken, work);
  return work;
}

async function doRefresh(token: SessionToken, refreshToken: string, cfg: MeetscopeConfig, nowMs: number): Promise<SessionToken> {
  try {
    const endpoints = await discover(cfg.oidc.issuer);
    const basic = Buffer.from(`${encodeURIComponent(cfg.oidc.clientId)}:${encodeURIComponent(cfg.oidc.clientSecret)}`).toString("base64");
    const response = await fetch(endpoints.token_endpoint, {
      method: "POST",
      headers: { authorization: `Basic ${basic}`, "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: refreshToken }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new Error(`token endpoint answered HTTP ${response.status}: ${(await response.text()).slice(0, 200)}`);
    const tokens = tokenResponseSchema.parse(await response.json());
    const info = await fetch(endpoints.userinfo_endpoint, {
      headers: { authorization: `Bearer ${tokens.access_token}`, accept: "application/json" },
      signal: AbortSignal.timeout(10_000),
    });
    if (!info.ok) throw new Error(`userinfo answered HTTP ${info.status}`);
    const userinfo = userinfoSchema.parse(await info.json());
    if (userinfo.sub !== token.sub) throw new Error("userinfo returned another subject");
    return {
      ...token,
      roles: mapRoles([jwtClaims(tokens.id_token), userinfo], cfg.oidc.roleClaim, cfg.roleMap),
      idToken: tokens.id_token ?? token.idToken,
      refreshToken: tokens.refresh_token ?? refreshToken,
      expiresAt: Math.floor(nowMs / 1000) + (tokens.expires_in ?? 300),
      error: undefined,
    };
  } catch (error) {
    console.warn(`[auth] refreshing the session of ${token.sub} failed: ${error instanceof Error ? error.message : String(error)}`);
    return { ...token, error: "RefreshTokenError" };
  }
}
