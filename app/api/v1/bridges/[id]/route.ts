import { withTier } from "@/server/api/route-tier";
import { db } from "@/server/db/client";
import { bridgeViews } from "@/server/fleet/bridges-view";

/** One bridge by id (read token); 404 when there is none. */
export const GET = withTier("readToken", async (_request: Request, context: { params: Promise<{ id: string }> }) => {
  const { id } = await context.params;
  const [bridge] = await bridgeViews(db(), { id });
  if (!bridge) return Response.json({ error: `No bridge with id ${id}.` }, { status: 404 });
  return Response.json({ bridge });
});
