import { getToken } from "next-auth/jwt";
import type { NextRequest } from "next/server";
import { withTier } from "@/server/api/route-tier";
import { discover } from "@/server/auth/discovery";
import type { SessionToken } from "@/server/auth/session-state";
import { config } from "@/server/config/env";

/**
 * Federated sign-out: clears Meetscope's session cookie and sends the browser to the identity provider's
 * end_session_endpoint with id_token_hint, which ends the IdP session and returns to /signed-out.
 * A POST from our own pages (checked by Origin), so another site cannot sign people out.
 */
export const POST = withTier("public", async (request: Request) => {
  const cfg = config();
  const origin = request.headers.get("origin");
  if (origin && origin !== new URL(cfg.publicUrl).origin) {
    return Response.json({ error: `sign-out must come from ${cfg.publicUrl}` }, { status: 403 });
  }
  const token = (await getToken({ req: request as NextRequest, secret: cfg.authSecret ?? undefined })) as SessionToken | null;
  const back = `${cfg.publicUrl}/signed-out`;
  let target = back;
  try {
    const endpoints = await discover(cfg.oidc.issuer);
    if (endpoints.end_session_endpoint) {
      const url = new URL(endpoints.end_session_endpoint);
      if (token?.idToken) url.searchParams.set("id_token_hint", token.idToken);
      url.searchParams.set("client_id", cfg.oidc.clientId);
      url.searchParams.set("post_logout_redirect_uri", back);
      target = url.toString();
    }
  } catch (error) {
    // The IdP is unreachable: still end the Meetscope session, and say so on the signed-out page.
    console.warn("[auth] identity provider discovery failed during sign-out:", error);
    target = `${back}?idp=unreachable`;
  }
  const response = new Response(null, { status: 303, headers: { location: target } });
  for (const name of (request.headers.get("cookie") ?? "").split(";").map((c) => c.split("=")[0]!.trim())) {
    if (/^(__Secure-)?next-auth\.session-token(\.\d+)?$/.test(name)) {
      response.headers.append("set-cookie", `${name}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax${name.startsWith("__Secure-") ? "; Secure" : ""}`);
    }
  }
  return response;
});
