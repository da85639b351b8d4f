import { z } from "zod";
import type { Issue } from "../analysis/types";
import type { Db } from "../db/client";
import { reportFromRow } from "./analyzer";

/** Live meetings and their latest report as the read API presents them (GET /api/v1/meetings…). */

const issueSchema = z.object({
  kind: z.enum(["network-degraded", "video-send-limited"]),
  severity: z.enum(["warning", "critical"]),
  cause: z.enum(["participant-network", "bridge", "participant-cpu"]).describe("what the analyzer holds responsible"),
  participantIds: z.array(z.string()),
  bridgeId: z.string().nullable(),
  evidence: z.array(z.string()),
  rule: z.string().describe("the published rule that fired"),
});

const directionSchema = z.object({
  mos: z.number().nullable().describe("E-model audio MOS 1–4.5; null without audio data"),
  rttMs: z.number().nullable(),
  lossFraction: z.number().nullable(),
  jitterMs: z.number().nullable(),
});

export const meetingReportViewSchema = z.object({
  meetingId: z.string(),
  generatedAt: z.date(),
  windowStart: z.date(),
  windowEnd: z.date(),
  overallScore: z.number().nullable().describe("0–100; null when the window held no classifiable data"),
  participants: z.array(
    z.object({
      participantId: z.string(),
      endpointId: z.string(),
      displayName: z.string().nullable(),
      score: z.number().nullable(),
      send: directionSchema,
      recv: directionSchema,
      connectionQualityPercent: z.number().nullable().describe("Jitsi's own 0–100 connection quality"),
      streams: z.array(z.object({ stream: z.string(), verdict: z.enum(["good", "poor", "unclassified"]), rule: z.string() })),
    }),
  ),
  issues: z.array(issueSchema),
});
export type MeetingReportView = z.infer<typeof meetingReportViewSchema>;

export const liveMeetingViewSchema = z.object({
  id: z.string(),
  room: z.string(),
  startedAt: z.date(),
  bridge: z.string().nullable(),
  participantsNow: z.number().int(),
  latestReport: z.object({ generatedAt: z.date(), overallScore: z.number().nullable(), issueCount: z.number().int() }).nullable(),
});

export async function liveMeetingViews(db: Db): Promise<Array<z.infer<typeof liveMeetingViewSchema>>> {
  const meetings = await db.meeting.findMany({
    where: { endedAt: null },
    orderBy: { startedAt: "desc" },
    include: {
      bridge: { select: { name: true } },
      _count: { select: { participants: { where: { leftAt: null } } } },
    },
  });
  const latest = await latestReportSummaries(db, meetings.map((m) => m.id));
  return meetings.map((m) => {
    const report = latest.get(m.id);
    return {
      id: m.id,
      room: m.room,
      startedAt: m.startedAt,
      bridge: m.bridge?.name ?? null,
      participantsNow: m._count.participants,
      latestReport: report ? { generatedAt: report.generatedAt, overallScore: report.overallScore, issueCount: report.issueCount } : null,
    };
  });
}

export async function latestReportView(db: Db, meetingId: string): Promise<MeetingReportView | null> {
  const row = await db.performanceReport.findFirst({ where: { meetingId }, orderBy: { generatedAt: "desc" } });
  if (!row) return null;
  const r = reportFromRow(row);
  return {
    meetingId: r.meetingId,
    generatedAt: r.generatedAt,
    windowStart: r.windowStart,
    windowEnd: r.windowEnd,
    overallScore: r.overallScore,
    participants: r.participants.map((p) => ({
      participantId: p.participantId,
      endpointId: p.endpointId,
      displayName: p.displayName,
      score: p.score,
      send: { mos: p.send.audio?.mos ?? null, rttMs: p.send.rttMs, lossFraction: p.send.lossFraction, jitterMs: p.send.jitterMs },
      recv: { mos: p.recv.audio?.mos ?? null, rttMs: p.recv.rttMs, lossFraction: p.recv.lossFraction, jitterMs: p.recv.jitterMs },
      connectionQualityPercent: p.connectionQualityPercent,
      streams: p.streams,
    })),
    issues: r.issues,
  };
}

/** How people are named in issues and alerts: display name, else endpoint id; by participant id. */
export async function participantNames(db: Db, participantIds: readonly string[]): Promise<Map<string, string>> {
  const rows = await db.participant.findMany({ where: { id: { in: [...new Set(participantIds)] } }, select: { id: true, displayName: true, endpointId: true } });
  return new Map(rows.map((p) => [p.id, p.displayName ?? p.endpointId]));
}

export interface LatestReportSummary {
  generatedAt: Date;
  overallScore: number | null;
  issueCount: number;
  issues: Issue[];
}

/**
 * The latest report of each meeting, one index lookup each. (A nested `reports: { take: 1 }` in Prisma reads
 * every report of the meetings and keeps one in memory.)
 */
export async function latestReportSummaries(db: Db, meetingIds: readonly string[]): Promise<Map<string, LatestReportSummary>> {
  if (meetingIds.length === 0) return new Map();
  const rows = await db.$queryRaw<Array<LatestReportSummary & { meetingId: string }>>`
    SELECT m.id AS "meetingId", r."generatedAt", r."overallScore", r."issueCount", r.issues
    FROM unnest(${[...meetingIds]}::text[]) AS m(id)
    CROSS JOIN LATERAL (
      SELECT "generatedAt", "overallScore", "issueCount", issues FROM "PerformanceReport"
      WHERE "meetingId" = m.id ORDER BY "generatedAt" DESC LIMIT 1
    ) r`;
  return new Map(rows.map(({ meetingId, ...report }) => [meetingId, report]));
}
