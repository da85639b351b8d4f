import { withTier } from "@/server/api/route-tier";
import { db } from "@/server/db/client";
import { bridgeViews } from "@/server/fleet/bridges-view";

/** Every bridge with its status, source and latest normalized figures (read token). */
export const GET = withTier("readToken", async () => Response.json({ bridges: await bridgeViews(db()) }));
