import type { NextAuthOptions, User } from "next-auth";
import type { OAuthConfig } from "next-auth/providers/oauth";
import { config, type MeetscopeConfig } from "../config/env";
import { db } from "../db/client";
import { refreshSession } from "./refresh";
import { mapRoles, type Role } from "./roles";
import { needsRefresh, type SessionToken } from "./session-state";

interface JanssenProfile extends Record<string, unknown> {
  sub: string;
  name?: string;
  email?: string;
  meetscopeRoles: Role[];
}

/**
 * Janssen as an OpenID Connect provider: authorization code with PKCE, state and nonce; discovery from the
 * issuer's well-known document; roles read from the configured claim in the id_token and in userinfo.
 */
export function janssenProvider(cfg: MeetscopeConfig): OAuthConfig<JanssenProfile> {
  return {
    id: "janssen",
    name: "Janssen",
    type: "oauth",
    wellKnown: `${cfg.oidc.issuer}/.well-known/openid-configuration`,
    clientId: cfg.oidc.clientId,
    clientSecret: cfg.oidc.clientSecret,
    client: { token_endpoint_auth_method: "client_secret_basic" },
    authorization: { params: { scope: cfg.oidc.scopes } },
    checks: ["pkce", "state", "nonce"],
    idToken: true,
    // With idToken: true next-auth never calls userinfo; Janssen releases user claims there by default.
    userinfo: {
      async request({ client, tokens }) {
        // next-auth passes openid-client's TokenSet here, typed loosely as TokenSetParameters.
        const tokenSet = tokens as typeof tokens & { claims: () => Record<string, unknown> };
        const idClaims = tokenSet.claims();
        const userinfo = tokens.access_token ? ((await client.userinfo(tokens.access_token)) as Record<string, unknown>) : {};
        const sub = String(idClaims.sub);
        return { ...idClaims, ...userinfo, sub, meetscopeRoles: mapRoles([idClaims, userinfo], cfg.oidc.roleClaim, cfg.roleMap) };
      },
    },
    profile(profile) {
      return { id: profile.sub, name: profile.name ?? null, email: profile.email ?? null, roles: profile.meetscopeRoles };
    },
  };
}

async function recordSignIn(user: User): Promise<void> {
  const roles = user.roles ?? [];
  await db().user.upsert({
    where: { subject: user.id },
    create: { subject: user.id, email: user.email?.toLowerCase(), name: user.name, roles },
    update: { email: user.email?.toLowerCase(), name: user.name, roles, lastSeenAt: new Date() },
  });
}

let cached: NextAuthOptions | undefined;

export function authOptions(): NextAuthOptions {
  if (cached) return cached;
  const cfg = config();
  cached = {
    secret: cfg.authSecret ?? undefined,
    providers: [janssenProvider(cfg)],
    // JWT sessions: the proxy (proxy.ts) can gate pages by reading the cookie alone.
    session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
    pages: { signIn: "/signin", error: "/signin" },
    callbacks: {
      async jwt({ token, user, account, trigger }) {
        const t = token as SessionToken & typeof token;
        if (account && user) {
          return {
            ...t,
            sub: user.id,
            roles: user.roles ?? [],
            idToken: account.id_token,
            refreshToken: account.refresh_token,
            expiresAt: account.expires_at,
            error: undefined,
          };
        }
        // Refresh only on the browser's update() call (POST /api/auth/session): that response saves the
        // cookie. A refresh inside a server render would rotate the refresh token and lose the new one.
        if (trigger === "update" && needsRefresh(t, Date.now())) return { ...t, ...(await refreshSession(t, cfg)) };
        return t;
      },
      session({ session, token }) {
        const t = token as SessionToken;
        return {
          ...session,
          user: { name: t.name ?? null, email: t.email ?? null, sub: t.sub ?? "" },
          roles: t.roles ?? [],
          expiresAt: t.expiresAt ?? null,
          canRefresh: Boolean(t.refreshToken),
          error: t.error ?? null,
        };
      },
    },
    events: {
      async signIn({ user }) {
        await recordSignIn(user).catch((e: unknown) => console.error("[auth] could not record the sign-in:", e));
      },
    },
  };
  return cached;
}
