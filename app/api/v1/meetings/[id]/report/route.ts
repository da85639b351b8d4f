import { z } from "zod";
import { withTier } from "@/server/api/route-tier";
import { latestReportView } from "@/server/analyzer/meetings-view";
import { db } from "@/server/db/client";

/** A meeting's latest performance report (read token); 404 when there is none yet. */
export const GET = withTier("readToken", async (_request: Request, context: { params: Promise<{ id: string }> }) => {
  const { id } = await context.params;
  if (!z.uuid().safeParse(id).success) return Response.json({ error: `"${id}" is not a meeting id (a UUID).` }, { status: 400 });
  const report = await latestReportView(db(), id);
  if (!report) return Response.json({ error: `No report for meeting ${id} yet: reports are made every 30 s while it is live.` }, { status: 404 });
  return Response.json({ report });
});
