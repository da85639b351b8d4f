import { z } from "zod";
import { reportFromRow } from "../../analyzer/analyzer";
import { binOf, BUCKET_SECONDS, loadChartBuckets } from "../../analyzer/chart-buckets";
import { cached } from "../../cache/cache";
import type { Db } from "../../db/client";
import { Prisma } from "../../db/generated/client";
import { utc } from "../../db/sql";
import { meetingProcedure } from "../trpc";

/** Procedures about one meeting; admins, and moderators of its room. */

export const meetingDetail = meetingProcedure.query(async ({ ctx }) => {
  const [meeting, latest] = await Promise.all([
    ctx.db.meeting.findUniqueOrThrow({
      where: { id: ctx.meeting.id },
      include: {
        bridge: { select: { id: true, name: true, status: true } },
        participants: { orderBy: { joinedAt: "asc" }, select: { id: true, endpointId: true, displayName: true, joinedAt: true, leftAt: true } },
      },
    }),
    // on its own: a nested `reports: { take: 1 }` would read every report of the meeting
    ctx.db.performanceReport.findFirst({ where: { meetingId: ctx.meeting.id }, orderBy: { generatedAt: "desc" } }),
  ]);
  return { ...meeting, latestReport: latest ? reportFromRow(latest) : null };
});

const windowInput = z.object({ meetingId: z.uuid(), minutes: z.number().int().min(1).max(24 * 60).default(60) });

/**
 * The start of a chart window: the last `minutes` of the meeting, up to now while it is live and up to its end
 * after, so an ended meeting's charts stay browsable.
 */
function windowStart(meeting: { endedAt: Date | null }, minutes: number): Date {
  return new Date((meeting.endedAt ?? new Date()).getTime() - minutes * 60_000);
}

/** Per-participant figures over time for the charts, in time buckets, oldest first. */
export const meetingSeries = meetingProcedure.input(windowInput).query(({ ctx, input }) => {
  const load = () => loadSeries(ctx.db, ctx.meeting.id, windowStart(ctx.meeting, input.minutes), input.minutes);
  // A live meeting's last hour changes with every sample; longer windows and ended meetings change slowly.
  if (input.minutes <= 60 && !ctx.meeting.endedAt) return load();
  return cached({ db: ctx.db, namespace: "meetings.series", scope: ctx.scope, params: input, ttlMs: 30_000, load });
});

/** About this many points per participant and chart, whatever the window: the charts do not need more. */
const POINTS_PER_SERIES = 120;

/**
 * The charts' data: the participants' means per bucket (30 s over an hour, from the roll-ups), and the MOS
 * and score of the reports in the same buckets, from the reports' compact `mos` column: the page gets a few
 * thousand points, not every sample and report.
 */
async function loadSeries(db: Db, meetingId: string, since: Date, minutes: number) {
  const bucketSeconds = BUCKET_SECONDS * Math.max(1, Math.ceil((minutes * 60) / POINTS_PER_SERIES / BUCKET_SECONDS));
  const reportBucket = binOf(bucketSeconds, Prisma.sql`r."generatedAt"`);
  const [samples, mos, scores] = await Promise.all([
    loadChartBuckets(db, meetingId, since, bucketSeconds),
    db.$queryRaw<Array<{ participantId: string; sampledAt: Date; mosSend: number | null; mosRecv: number | null }>>`
    SELECT m->>'p' AS "participantId", ${reportBucket} AS "sampledAt", avg((m->>'s')::float8) AS "mosSend", avg((m->>'r')::float8) AS "mosRecv"
    FROM "PerformanceReport" r, jsonb_array_elements(r.mos) m
    WHERE r."meetingId" = ${meetingId} AND r."generatedAt" >= ${utc(since)}
    GROUP BY 1, 2 ORDER BY 2`,
    db.$queryRaw<Array<{ at: Date; overallScore: number | null }>>`
    SELECT ${reportBucket} AS at, avg(r."overallScore")::float8 AS "overallScore"
    FROM "PerformanceReport" r WHERE r."meetingId" = ${meetingId} AND r."generatedAt" >= ${utc(since)} GROUP BY 1 ORDER BY 1`,
  ]);
  return { bucketSeconds, samples, mos, scores };
}

/** The issues of every report in the window, newest first: the meeting's issue timeline. */
export const meetingIssues = meetingProcedure.input(windowInput).query(async ({ ctx, input }) => {
  const rows = await ctx.db.performanceReport.findMany({
    where: { meetingId: ctx.meeting.id, generatedAt: { gte: windowStart(ctx.meeting, input.minutes) }, issueCount: { gt: 0 } },
    orderBy: { generatedAt: "desc" },
    take: 200,
  });
  return rows.map((r) => ({ generatedAt: r.generatedAt, overallScore: r.overallScore, issues: reportFromRow(r).issues }));
});
