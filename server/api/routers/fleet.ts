import { z } from "zod";
import { bridgeViews } from "../../fleet/bridges-view";
import { adminProcedure, router } from "../trpc";

export const overviewRouter = router({
  summary: adminProcedure.query(async ({ ctx }) => {
    const [bridgesByStatus, liveMeetings, participantsNow, pendingActions, sources] = await Promise.all([
      ctx.db.bridge.groupBy({ by: ["status"], _count: { _all: true } }),
      ctx.db.meeting.count({ where: { endedAt: null } }),
      ctx.db.participant.count({ where: { leftAt: null, meeting: { endedAt: null } } }),
      ctx.db.action.count({ where: { status: { in: ["PENDING", "RUNNING"] } } }),
      ctx.db.source.count({ where: { enabled: true } }),
    ]);
    return {
      bridges: Object.fromEntries(bridgesByStatus.map((b) => [b.status, b._count._all])) as Partial<Record<string, number>>,
      liveMeetings,
      participantsNow,
      pendingActions,
      sources,
    };
  }),
});

export const bridgesRouter = router({
  /** Every bridge with status, source health and its latest normalized figures (the same view as GET /api/v1/bridges). */
  list: adminProcedure.query(({ ctx }) => bridgeViews(ctx.db)),
});

export const scalingRouter = router({
  history: adminProcedure
    .input(z.object({ limit: z.number().int().min(1).max(500).default(100) }).default({ limit: 100 }))
    .query(({ ctx, input }) => ctx.db.scalingEvent.findMany({ orderBy: { decidedAt: "desc" }, take: input.limit })),
});

export const actionsRouter = router({
  list: adminProcedure
    .input(z.object({ limit: z.number().int().min(1).max(500).default(100) }).default({ limit: 100 }))
    .query(({ ctx, input }) =>
      ctx.db.action.findMany({
        orderBy: { createdAt: "desc" },
        take: input.limit,
        select: { id: true, kind: true, status: true, requestedBy: true, requestedByName: true, createdAt: true, finishedAt: true, error: true },
      }),
    ),
});
