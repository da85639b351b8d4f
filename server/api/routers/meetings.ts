import { latestReportSummaries } from "../../analyzer/meetings-view";
import { z } from "zod";
import type { Db } from "../../db/client";
import { Prisma } from "../../db/generated/client";
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

/** The list's orders; "health" is worst latest score first (no report yet: last), "participants" most present first. */
export const MEETING_LIST_SORTS = ["started", "health", "participants"] as const;

/**
 * The ids of the first `limit` meetings of the filter in the order asked for, over every meeting the filter
 * matches, so the worst or largest one is never cut off by a page of the newest.
 */
async function meetingIdsOrdered(db: Db, filter: { state: "live" | "ended" | "all"; scope: Scope }, sort: "health" | "participants", limit: number) {
  const conditions: Prisma.Sql[] = [];
  if (filter.state === "live") conditions.push(Prisma.sql`m."endedAt" IS NULL`);
  if (filter.state === "ended") conditions.push(Prisma.sql`m."endedAt" IS NOT NULL`);
  if (filter.scope.kind === "rooms") conditions.push(Prisma.sql`m.room = ANY(${filter.scope.rooms}::text[])`);
  const where = conditions.length ? Prisma.sql`WHERE ${Prisma.join(conditions, " AND ")}` : Prisma.empty;
  const rows =
    sort === "health"
      ? await db.$queryRaw<Array<{ id: string }>>`
          SELECT m.id FROM "Meeting" m
          LEFT JOIN LATERAL (
            SELECT "overallScore" FROM "PerformanceReport" WHERE "meetingId" = m.id ORDER BY "generatedAt" DESC LIMIT 1
          ) r ON true
          ${where}
          ORDER BY r."overallScore" ASC NULLS LAST, m."startedAt" DESC, m.id
          LIMIT ${limit}`
      : await db.$queryRaw<Array<{ id: string }>>`
          SELECT m.id FROM "Meeting" m
          ${where}
          -- a meeting ends only when nobody is left in it (housekeeping.ts): count the live ones only
          ORDER BY CASE WHEN m."endedAt" IS NULL
                     THEN (SELECT count(*) FROM "Participant" p WHERE p."meetingId" = m.id AND p."leftAt" IS NULL) ELSE 0 END DESC,
                   m."startedAt" DESC, m.id
          LIMIT ${limit}`;
  return rows.map((r) => r.id);
}

export const meetingsRouter = router({
  detail: meetingDetail,
  series: meetingSeries,
  issues: meetingIssues,
  list: viewerProcedure
    .input(
      z
        .object({
          state: z.enum(["live", "ended", "all"]).default("all"),
          sort: z.enum(MEETING_LIST_SORTS).default("started"),
          limit: z.number().int().min(1).max(500).default(100),
        })
        .default({ state: "all", sort: "started", limit: 100 }),
    )
    .query(async ({ ctx, input }) => {
      const ordered = input.sort === "started" ? null : await meetingIdsOrdered(ctx.db, { state: input.state, scope: ctx.scope }, input.sort, input.limit);
      const where: Prisma.MeetingWhereInput = ordered
        ? { id: { in: ordered } }
        : {
            ...roomFilter(ctx.scope),
            ...(input.state === "live" ? { endedAt: null } : input.state === "ended" ? { endedAt: { not: null } } : {}),
          };
      const found = await ctx.db.meeting.findMany({
        where,
        orderBy: { startedAt: "desc" },
        take: input.limit,
        include: {
          bridge: { select: { id: true, name: true } },
          _count: { select: { participants: { where: { leftAt: null } } } },
        },
      });
      const position = new Map(ordered?.map((id, i) => [id, i]));
      const meetings = ordered ? found.sort((a, b) => (position.get(a.id) ?? 0) - (position.get(b.id) ?? 0)) : found;
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
