import { withTier } from "@/server/api/route-tier";
import { db } from "@/server/db/client";

export const dynamic = "force-dynamic";

/** Liveness for load balancers and the start script: 200 when the database answers. */
export const GET = withTier("public", async () => {
  try {
    await db().$queryRaw`SELECT 1`;
    return Response.json({ status: "ok" });
  } catch (error) {
    return Response.json({ status: "error", error: error instanceof Error ? error.message : String(error) }, { status: 503 });
  }
});
