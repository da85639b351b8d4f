import { currentViewer, type Viewer } from "../auth/viewer";

/**
 * Route handlers declare their tier the way tRPC procedures do: every exported method of every app route is
 * `withTier(tier, handler)` (a test reads the route files to hold us to it).
 * - public: anyone; the handler does its own checks (next-auth, tRPC with its per-procedure tiers, health)
 * - signedIn / admin: checked here from the session; 401 or 403 JSON otherwise
 */
export type RouteTier = "public" | "signedIn" | "admin";

type Handler<C> = (request: Request, context: C, viewer: Viewer | null) => Response | Promise<Response>;

export function withTier<C>(tier: RouteTier, handler: Handler<C>) {
  const routeHandler = async (request: Request, context: C): Promise<Response> => {
    if (tier === "public") return handler(request, context, null);
    const viewer = await currentViewer();
    if (!viewer) return Response.json({ error: "Sign in to use Meetscope." }, { status: 401 });
    if (tier === "admin" && viewer.access !== "admin") {
      return Response.json({ error: "This needs the Meetscope admin role." }, { status: 403 });
    }
    return handler(request, context, viewer);
  };
  return Object.assign(routeHandler, { tier });
}
