/**
 * A local OpenID Connect provider standing in for Janssen (panva/oidc-provider, OpenID Certified).
 * It behaves like a default Janssen install where it matters to Meetscope: user claims (jansAdminUIRole)
 * go to /userinfo, not the id_token; refresh tokens rotate; RP-initiated logout ends the IdP session and
 * returns to post_logout_redirect_uri without a confirmation step; trusted clients skip consent.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { pathToFileURL } from "node:url";
import Provider, { type KoaContextWithOIDC } from "oidc-provider";
import { DEMO_PASSWORD, DEMO_USERS } from "./users";

export interface IdpOptions {
  port: number;
  /** Meetscope's public URL; the client's redirect and post-logout URIs are derived from it */
  appUrl: string;
  clientId: string;
  clientSecret: string;
  accessTokenTtlSeconds: number;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>
:root{color-scheme:light dark;font-family:system-ui,sans-serif}body{margin:0;display:grid;place-items:center;min-height:100vh;background:Canvas}
main{width:min(26rem,92vw);padding:2rem;border:1px solid #8884;border-radius:12px}h1{font-size:1.25rem;margin:0 0 .25rem}
p{color:GrayText;margin:.25rem 0 1rem}label{display:block;margin:.75rem 0 .25rem;font-weight:600}
input{width:100%;box-sizing:border-box;padding:.55rem;border:1px solid #8888;border-radius:6px;font:inherit}
button{margin-top:1.25rem;width:100%;padding:.6rem;border:0;border-radius:6px;background:#0b63ce;color:#fff;font:inherit;font-weight:600;cursor:pointer}
.error{color:#c62828;font-weight:600}table{width:100%;font-size:.85rem;border-collapse:collapse;margin-top:1.25rem}td{padding:.2rem .3rem;border-top:1px solid #8883}
</style></head><body><main>${body}</main></body></html>`;
}

function loginPage(uid: string, error?: string, login = ""): string {
  const rows = DEMO_USERS.map((u) => `<tr><td><code>${u.login}</code></td><td>${escapeHtml(u.purpose)}</td></tr>`).join("");
  return page(
    "Sign in – Janssen (demo)",
    `<h1>Janssen sign-in</h1><p>Local demo identity provider standing in for Janssen.</p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ""}
<form method="post" action="/interaction/${encodeURIComponent(uid)}/login" autocomplete="off">
<label for="login">Username</label><input id="login" name="login" value="${escapeHtml(login)}" required autofocus>
<label for="password">Password</label><input id="password" name="password" type="password" required>
<button type="submit">Sign in</button></form>
<table aria-label="Demo users"><tbody>${rows}</tbody></table><p>Password for every demo user: <code>${DEMO_PASSWORD}</code></p>`,
  );
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 64 * 1024) throw new Error("form too large");
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

export const idpIssuer = (port: number) => `http://127.0.0.1:${port}`;

export function createIdp(options: IdpOptions): Provider {
  const provider = new Provider(idpIssuer(options.port), {
    clients: [
      {
        client_id: options.clientId,
        client_secret: options.clientSecret,
        redirect_uris: [`${options.appUrl}/api/auth/callback/janssen`],
        post_logout_redirect_uris: [`${options.appUrl}/signed-out`],
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    // As in Janssen: jansAdminUIRole belongs to the profile scope and is released to userinfo only
    // (conformIdTokenClaims stays true, so scope claims stay out of the id_token).
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "jansAdminUIRole"] },
    async findAccount(_ctx, sub) {
      const user = DEMO_USERS.find((u) => u.login === sub);
      if (!user) return undefined;
      return {
        accountId: sub,
        async claims() {
          return { sub, name: user.name, email: user.email, email_verified: true, jansAdminUIRole: user.jansAdminUIRole };
        },
      };
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        // Janssen's end_session does not ask for confirmation when the id_token_hint is valid.
        async logoutSource(ctx: KoaContextWithOIDC, form: string) {
          ctx.body = page("Signing out", `${form}<h1>Signing out…</h1><noscript><button form="op.logoutForm" name="logout" value="yes">Sign out</button></noscript>
<script>var f=document.forms["op.logoutForm"];var i=document.createElement("input");i.type="hidden";i.name="logout";i.value="yes";f.appendChild(i);f.submit();</script>`);
        },
        async postLogoutSuccessSource(ctx: KoaContextWithOIDC) {
          ctx.body = page("Signed out", "<h1>Signed out</h1><p>You have been signed out of the identity provider.</p>");
        },
      },
    },
    // Janssen issues refresh tokens for offline_access without demanding prompt=consent; do the same.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed("refresh_token"),
    rotateRefreshToken: true,
    pkce: { required: () => true },
    ttl: { AccessToken: options.accessTokenTtlSeconds, IdToken: 3600, RefreshToken: 14400, Session: 86400, Grant: 86400, Interaction: 600 },
    cookies: { keys: ["meetscope-demo-idp-cookie-key"] },
  });
  provider.proxy = false;
  return provider;
}

export async function startIdp(options: IdpOptions): Promise<{ issuer: string; server: Server; close: () => Promise<void> }> {
  const provider = createIdp(options);
  const issuer = idpIssuer(options.port);
  const oidcCallback = provider.callback();

  async function finishLogin(req: IncomingMessage, res: ServerResponse, uid: string) {
    const form = await readForm(req);
    const login = form.get("login")?.trim() ?? "";
    const user = DEMO_USERS.find((u) => u.login === login);
    if (!user || form.get("password") !== DEMO_PASSWORD) {
      res.writeHead(401, { "content-type": "text/html; charset=utf-8" }).end(loginPage(uid, "Unknown username or wrong password.", login));
      return;
    }
    await provider.interactionFinished(req, res, { login: { accountId: user.login } }, { mergeWithLastSubmission: false });
  }

  /** Meetscope is a trusted client (Janssen `trustedClient`): grant what it asked for without a consent page. */
  async function grantConsent(req: IncomingMessage, res: ServerResponse) {
    const details = await provider.interactionDetails(req, res);
    const accountId = details.session?.accountId;
    if (!accountId) throw new Error("consent without a login");
    const grant = details.grantId
      ? (await provider.Grant.find(details.grantId))!
      : new provider.Grant({ accountId, clientId: String(details.params.client_id) });
    const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(" "));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const match = /^\/interaction\/([^/]+)(\/login)?$/.exec(url.pathname);
    if (!match) return void oidcCallback(req, res);
    const uid = decodeURIComponent(match[1]!);
    (async () => {
      if (req.method === "POST" && match[2]) return finishLogin(req, res, uid);
      const details = await provider.interactionDetails(req, res);
      if (details.prompt.name === "consent") return grantConsent(req, res);
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(loginPage(uid));
    })().catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      if (!res.headersSent) res.writeHead(400, { "content-type": "text/html; charset=utf-8" });
      res.end(page("Sign-in failed", `<h1>Sign-in failed</h1><p class="error" role="alert">${escapeHtml(message)}</p><p>Start again from Meetscope.</p>`));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", () => resolve());
  });
  return {
    issuer,
    server,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

// `npm run idp`: the IdP alone, configured like `npm start` would.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { parseEnv } = await import("../../server/config/env");
  const cfg = parseEnv(process.env);
  const idp = await startIdp({ port: cfg.demoIdpPort, appUrl: cfg.publicUrl, clientId: cfg.oidc.clientId, clientSecret: cfg.oidc.clientSecret, accessTokenTtlSeconds: cfg.demoIdpAccessTokenTtlSeconds });
  console.log(`Demo identity provider at ${idp.issuer} (client ${cfg.oidc.clientId}, redirect ${cfg.publicUrl}/api/auth/callback/janssen)`);
}
