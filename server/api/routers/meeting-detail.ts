import { z } from "zod";
import { reportFromRow } from "../../analyzer/analyzer";
import { cached } from "../../cache/cache";
import type { Db } from "../../db/client";
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

async function loadSeries(db: Db, meetingId: string, minutes: number) {
  const since = new Date(Date.now() - minutes * 60_000);
  const samples = await db.participantSample.findMany({
    where: { meetingId: meetingId, sampledAt: { gte: since } },
    orderBy: { sampledAt: "asc" },
    select: {
      participantId: true, sampledAt: true, videoSendBitrateKbps: true, videoRecvBitrateKbps: true, videoSendHeightPx: true, videoRecvHeightPx: true,
      videoSendFrameRateFps: true, videoRecvFrameRateFps: true, audioJitterMs: true, rttMs: true, lossSendFraction: true, lossRecvFraction: true,
    },
  });
  const reports = await db.performanceReport.findMany({
    where: { meetingId: meetingId, generatedAt: { gte: since } },
    orderBy: { generatedAt: "asc" },
    select: { generatedAt: true, overallScore: true, participants: true },
  });
  // MOS per participant and direction from each report, for the MOS chart
  const mos = reports.flatMap((r) =>
    (reportFromRow({ ...r, meetingId: meetingId, windowStart: r.generatedAt, windowEnd: r.generatedAt, issues: [], worstParticipantIds: [] }).participants ?? []).map((p) => ({
      participantId: p.participantId,
      sampledAt: r.generatedAt,
      mosSend: p.send.audio?.mos ?? null,
      mosRecv: p.recv.audio?.mos ?? null,
    })),
  );
  return { samples, mos, scores: reports.map((r) => ({ at: r.generatedAt, overallScore: r.overallScore })) };
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
