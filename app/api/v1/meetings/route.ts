import { withTier } from "@/server/api/route-tier";
import { liveMeetingViews } from "@/server/analyzer/meetings-view";
import { db } from "@/server/db/client";

/** Live meetings with their latest report's score (read token). */
export const GET = withTier("readToken", async () => Response.json({ meetings: await liveMeetingViews(db()) }));
