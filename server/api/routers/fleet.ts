import { z } from "zod";
import { reportFromRow } from "../../analyzer/analyzer";
import { participantNames } from "../../analyzer/meetings-view";
import { cached } from "../../cache/cache";
import type { Db } from "../../db/client";
import { bridgeViews } from "../../fleet/bridges-view";
import { adminProcedure, router } from "../trpc";

/** Issues of live meetings from their latest report (the analyzer reports every 30 s; older than 90 s is stale). */
const activeIssues = adminProcedure.query(({ ctx }) =>
  cached({ db: ctx.db, namespace: "overview.issues", scope: { kind: "all" }, params: null, ttlMs: 2_000, load: () => loadActiveIssues(ctx.db) }),
);

async function loadActiveIssues(db: Db) {
  const reports = await db.performanceReport.findMany({
    where: { generatedAt: { gte: new Date(Date.now() - 90_000) }, meeting: { endedAt: null } },
    orderBy: { generatedAt: "desc" },
    distinct: ["meetingId"],
    include: { meeting: { select: { id: true, room: true } } },
  });
  const withIssues = reports.filter((r) => r.issueCount > 0).map((r) => ({ ...r, issues: reportFromRow(r).issues }));
  const names = await participantNames(db, withIssues.flatMap((r) => r.issues.flatMap((i) => i.participantIds)));
  return withIssues.flatMap((r) =>
    r.issues.map((issue) => ({
      meetingId: r.meeting.id,
      room: r.meeting.room,
      generatedAt: r.generatedAt,
      kind: issue.kind,
      severity: issue.severity,
      cause: issue.cause,
      who: issue.participantIds.map((id) => names.get(id) ?? "unknown"),
      evidence: issue.evidence,
    })),
  );
}

export const overviewRouter = router({
  issues: activeIssues,
  summary: adminProcedure.query(({ ctx }) =>
    cached({ db: ctx.db, namespace: "overview.summary", scope: { kind: "all" }, params: null, ttlMs: 2_000, load: () => loadSummary(ctx.db) }),
  ),
});

async function loadSummary(db: Db) {
  const [bridgesByStatus, liveMeetings, participantsNow, pendingActions, sources] = await Promise.all([
    db.bridge.groupBy({ by: ["status"], _count: { _all: true } }),
    db.meeting.count({ where: { endedAt: null } }),
    db.participant.count({ where: { leftAt: null, meeting: { endedAt: null } } }),
    db.action.count({ where: { status: { in: ["PENDING", "RUNNING"] } } }),
    db.source.count({ where: { enabled: true } }),
  ]);
  return {
    bridges: Object.fromEntries(bridgesByStatus.map((b) => [b.status, b._count._all])) as Partial<Record<string, number>>,
    liveMeetings,
    participantsNow,
    pendingActions,
    sources,
  };
}

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
