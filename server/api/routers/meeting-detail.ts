import { z } from "zod";
import type { ParticipantSampleInput } from "../../analysis/types";
import { reportFromRow } from "../../analyzer/analyzer";
import { cached } from "../../cache/cache";
import type { Db } from "../../db/client";
import { Prisma } from "../../db/generated/client";
import { utc } from "../../db/sql";
import { meetingProcedure } from "../trpc";

/** Procedures about one meeting; admins, and moderators of its room. */

export const meetingDetail = meetingProcedure.query(async ({ ctx }) => {
  const meeting = await ctx.db.meeting.findUniqueOrThrow({
    where: { id: ctx.meeting.id },
    include: {
      bridge: { select: { id: true, name: true, status: true } },
      participants: { orderBy: { joinedAt: "asc" }, select: { id: true, endpointId: true, displayName: true, joinedAt: true, leftAt: true } },
      reports: { orderBy: { generatedAt: "desc" }, take: 1 },
    },
  });
  const { reports, ...rest } = meeting;
  return { ...rest, latestReport: reports[0] ? reportFromRow(reports[0]) : null };
});

const windowInput = z.object({ meetingId: z.uuid(), minutes: z.number().int().min(1).max(24 * 60).default(60) });

/** Per-participant figures over time for the charts: the raw samples of the window, oldest first. */
export const meetingSeries = meetingProcedure.input(windowInput).query(({ ctx, input }) => {
  const load = () => loadSeries(ctx.db, ctx.meeting.id, input.minutes);
  // The last hour is live (every sample must show at once); longer windows change slowly and cost more.
  if (input.minutes <= 60) return load();
  return cached({ db: ctx.db, namespace: "meetings.series", scope: ctx.scope, params: input, ttlMs: 30_000, load });
});

/** About this many points per participant and chart, whatever the window: the charts do not need more. */
const POINTS_PER_SERIES = 120;

/** One time bucket of one participant: the window means of the charted columns. */
type SeriesSample = Pick<
  ParticipantSampleInput,
  | "participantId" | "sampledAt" | "videoSendBitrateKbps" | "videoRecvBitrateKbps" | "videoSendHeightPx" | "videoRecvHeightPx"
  | "videoSendFrameRateFps" | "videoRecvFrameRateFps" | "audioJitterMs" | "rttMs" | "lossSendFraction" | "lossRecvFraction"
>;

/**
 * The charts' data, averaged in PostgreSQL into time buckets (30 s over an hour), and the MOS of each report
 * from its compact `mos` column there too: the page gets a few thousand points, not every sample and report.
 */
async function loadSeries(db: Db, meetingId: string, minutes: number) {
  const since = new Date(Date.now() - minutes * 60_000);
  const bucketSeconds = Math.max(5, Math.ceil((minutes * 60) / POINTS_PER_SERIES));
  const binOf = (column: string) => Prisma.sql`date_bin(${`${bucketSeconds} seconds`}::interval, ${Prisma.raw(column)}, timestamp '2000-01-01')`;
  const bucket = binOf('"sampledAt"');
  const reportBucket = binOf('r."generatedAt"');
  // three independent queries, run side by side
  const [samples, mos, scores] = await Promise.all([
    db.$queryRaw<SeriesSample[]>`
    SELECT "participantId", ${bucket} AS "sampledAt",
      avg("videoSendBitrateKbps")::float8 AS "videoSendBitrateKbps", avg("videoRecvBitrateKbps")::float8 AS "videoRecvBitrateKbps",
      avg("videoSendHeightPx")::float8 AS "videoSendHeightPx", avg("videoRecvHeightPx")::float8 AS "videoRecvHeightPx",
      avg("videoSendFrameRateFps")::float8 AS "videoSendFrameRateFps", avg("videoRecvFrameRateFps")::float8 AS "videoRecvFrameRateFps",
      avg("audioJitterMs")::float8 AS "audioJitterMs", avg("rttMs")::float8 AS "rttMs",
      avg("lossSendFraction")::float8 AS "lossSendFraction", avg("lossRecvFraction")::float8 AS "lossRecvFraction"
    FROM "ParticipantSample"
    WHERE "meetingId" = ${meetingId} AND "sampledAt" >= ${utc(since)}
    GROUP BY 1, 2 ORDER BY 2`,
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
    where: { meetingId: ctx.meeting.id, generatedAt: { gte: new Date(Date.now() - input.minutes * 60_000) }, issueCount: { gt: 0 } },
    orderBy: { generatedAt: "desc" },
    take: 200,
  });
  return rows.map((r) => ({ generatedAt: r.generatedAt, overallScore: r.overallScore, issues: reportFromRow(r).issues }));
});
