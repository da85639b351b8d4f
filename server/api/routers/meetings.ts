import { latestReportSummaries } from "../../analyzer/meetings-view";
import { z } from "zod";
import type { Prisma } from "../../db/generated/client";
import type { Issue } from "../../analysis/types";
import type { Scope } from "../../auth/viewer";
import { router, viewerProcedure } from "../trpc";
import { meetingDetail, meetingIssues, meetingSeries } from "./meeting-detail";

/** The issue to show in a list: critical before warning, then the one touching most participants. */
export function mainIssue(issues: unknown): Pick<Issue, "kind" | "cause" | "severity"> & { participants: number } | null {
  const list = (Array.isArray(issues) ? issues : []) as Issue[];
  const [top] = [...list].sort((a, b) => (a.severity === b.severity ? b.participantIds.length - a.participantIds.length : a.severity === "critical" ? -1 : 1));
  return top ? { kind: top.kind, cause: top.cause, severity: top.severity, participants: top.participantIds.length } : null;
}

export function roomFilter(scope: Scope): Prisma.MeetingWhereInput {
  return scope.kind === "all" ? {} : { room: { in: scope.rooms } };
}

export const meetingsRouter = router({
  detail: meetingDetail,
  series: meetingSeries,
  issues: meetingIssues,
  list: viewerProcedure
    .input(z.object({ state: z.enum(["live", "ended", "all"]).default("all"), limit: z.number().int().min(1).max(500).default(100) }).default({ state: "all", limit: 100 }))
    .query(async ({ ctx, input }) => {
      const where: Prisma.MeetingWhereInput = {
        ...roomFilter(ctx.scope),
        ...(input.state === "live" ? { endedAt: null } : input.state === "ended" ? { endedAt: { not: null } } : {}),
      };
      const meetings = await ctx.db.meeting.findMany({
        where,
        orderBy: { startedAt: "desc" },
        take: input.limit,
        include: {
          bridge: { select: { id: true, name: true } },
          _count: { select: { participants: { where: { leftAt: null } } } },
        },
      });
      const ids = meetings.map((m) => m.id);
      const [seen, latest] = await Promise.all([
        ctx.db.participant.groupBy({ by: ["meetingId"], where: { meetingId: { in: ids } }, _count: { _all: true } }),
        latestReportSummaries(ctx.db, ids),
      ]);
      const seenBy = new Map(seen.map((g) => [g.meetingId, g._count._all]));
      return meetings.map((m) => ({
        id: m.id,
        room: m.room,
        startedAt: m.startedAt,
        endedAt: m.endedAt,
        lastSeenAt: m.lastSeenAt,
        bridge: m.bridge,
        participantsNow: m._count.participants,
        participantsSeen: seenBy.get(m.id) ?? 0,
        healthScore: latest.get(m.id)?.overallScore ?? null,
        mainIssue: mainIssue(latest.get(m.id)?.issues),
      }));
    }),
});
