import { currentViewer, type Viewer } from "../auth/viewer";
import { db } from "../db/client";
import { authenticateToken, type TokenIdentity } from "../tokens/tokens";

/**
 * Route handlers declare their tier the way tRPC procedures do: every exported method of every app route is
 * `withTier(tier, handler)` (tests/routes.test.ts reads the route files to hold us to it).
 * - public: anyone; the handler does its own checks (next-auth, tRPC with its per-procedure tiers, health)
 * - signedIn / admin: a browser session; 401 or 403 JSON otherwise
 * - ingestToken / readToken: an API token of that scope in `Authorization: Bearer …`; 401 or 403 otherwise
 */
export type RouteTier = "public" | "signedIn" | "admin" | "ingestToken" | "readToken";

export interface RouteAuth {
  viewer: Viewer | null;
  token: TokenIdentity | null;
}

type Handler<C> = (request: Request, context: C, auth: RouteAuth) => Response | Promise<Response>;

export function withTier<C>(tier: RouteTier, handler: Handler<C>) {
  const routeHandler = async (request: Request, context: C): Promise<Response> => {
    if (tier === "public") return handler(request, context, { viewer: null, token: null });
    if (tier === "ingestToken" || tier === "readToken") {
      const result = await authenticateToken(db(), request.headers.get("authorization"), tier === "ingestToken" ? "ingest" : "read");
      if (!result.ok) return Response.json({ error: result.message }, { status: result.status, headers: { "www-authenticate": "Bearer" } });
      return handler(request, context, { viewer: null, token: result.token });
    }
    const viewer = await currentViewer();
    if (!viewer) return Response.json({ error: "Sign in to use Meetscope." }, { status: 401 });
    if (tier === "admin" && viewer.access !== "admin") {
      return Response.json({ error: "This needs the Meetscope admin role." }, { status: 403 });
    }
    return handler(request, context, { viewer, token: null });
  };
  return Object.assign(routeHandler, { tier });
}
