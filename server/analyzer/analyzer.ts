import { buildMeetingReport, DEFAULT_THRESHOLDS, thresholdsSchema, type MeetingReport, type Thresholds } from "../analysis";
import type { Db } from "../db/client";
import type { Prisma } from "../db/generated/client";

/**
 * Every 30 s (leader only): one performance report per live meeting from the last 30 s of its samples. The
 * analysis is pure (server/analysis); this shell loads the window in a few queries for all live meetings,
 * and stores the reports in one statement.
 */

export const ANALYSIS_WINDOW_MS = 30_000;
/**
 * Over 30 s a sudden network problem is averaged with 20 s of the past and shows only after several reports;
 * judged on the last 10 s too, it shows in the first report after it. Every report judges both, the 30-s
 * rounds and the reports made as samples arrive for a meeting someone is watching, so the two kinds agree
 * and an open page does not flip between them.
 */
export const ONSET_WINDOW_MS = 10_000;
export const THRESHOLDS_SETTING_KEY = "quality-thresholds";

/** The quality thresholds in force: the admins' edits from Settings, over the published defaults. */
export async function loadThresholds(db: Db): Promise<Thresholds> {
  const row = await db.setting.findUnique({ where: { key: THRESHOLDS_SETTING_KEY } });
  if (!row) return DEFAULT_THRESHOLDS;
  const parsed = thresholdsSchema.safeParse(row.value);
  return parsed.success ? parsed.data : DEFAULT_THRESHOLDS;
}

/** Reports on live meetings (all of them, or the given ones), stores them and returns them. */
export async function analyzeLiveMeetings(
  db: Db,
  now: Date,
  options: { thresholds?: Thresholds; meetingIds?: string[] } = {},
): Promise<MeetingReport[]> {
  const t = options.thresholds ?? (await loadThresholds(db));
  const windowMs = ANALYSIS_WINDOW_MS;
  const windowStart = new Date(now.getTime() - windowMs);
  const meetings = await db.meeting.findMany({
    where: { endedAt: null, ...(options.meetingIds ? { id: { in: options.meetingIds } } : {}) },
    select: { id: true, bridgeId: true },
  });
  if (meetings.length === 0) return [];
  const meetingIds = meetings.map((m) => m.id);
  const bridgeOf = new Map(meetings.map((m) => [m.id, m.bridgeId]));
  const bridgeIds = [...new Set(meetings.map((m) => m.bridgeId).filter((id): id is string => id !== null))];

  const [samples, bridgeSamples, previous] = await Promise.all([
    db.participantSample.findMany({
      where: { meetingId: { in: meetingIds }, sampledAt: { gte: windowStart, lte: now } },
      include: { participant: { select: { endpointId: true, displayName: true } } },
      omit: { id: true },
    }),
    db.bridgeSample.findMany({
      where: { bridgeId: { in: bridgeIds }, sampledAt: { gte: new Date(windowStart.getTime() - t.bridge.baselineMs), lte: now } },
      select: { bridgeId: true, sampledAt: true, stressLevel: true, endpoints: true, rttAggregateMs: true, incomingLossFraction: true, outgoingLossFraction: true, bridge: { select: { name: true } } },
    }),
    db.performanceReport.findMany({
      where: { meetingId: { in: meetingIds }, generatedAt: { gte: new Date(now.getTime() - 3 * ANALYSIS_WINDOW_MS) } },
      orderBy: { generatedAt: "desc" },
      distinct: ["meetingId"],
    }),
  ]);

  const samplesOf = new Map<string, typeof samples>();
  for (const s of samples) samplesOf.set(s.meetingId, [...(samplesOf.get(s.meetingId) ?? []), s]);
  const previousOf = new Map(previous.map((r) => [r.meetingId, reportFromRow(r)]));
  const bridgeInputs = bridgeSamples.map(({ bridge, ...s }) => ({ ...s, bridgeName: bridge.name }));

  const reports: MeetingReport[] = [];
  for (const [meetingId, rows] of samplesOf) {
    const bridgeId = bridgeOf.get(meetingId) ?? null;
    reports.push(
      buildMeetingReport({
        meetingId,
        now,
        windowMs,
        onsetMs: ONSET_WINDOW_MS,
        samples: rows.map(({ participant, ...s }) => ({ ...s, endpointId: participant.endpointId, displayName: participant.displayName, bridgeId })),
        bridgeSamples: bridgeId ? bridgeInputs.filter((b) => b.bridgeId === bridgeId) : [],
        thresholds: t,
        previousReport: previousOf.get(meetingId) ?? null,
      }),
    );
  }
  if (reports.length) await db.performanceReport.createMany({ data: reports.map(reportRow) });
  return reports;
}

export function reportRow(r: MeetingReport): Prisma.PerformanceReportCreateManyInput {
  return {
    meetingId: r.meetingId,
    generatedAt: r.generatedAt,
    windowStart: r.windowStart,
    windowEnd: r.windowEnd,
    overallScore: r.overallScore,
    participants: r.participants as unknown as Prisma.InputJsonValue,
    issues: r.issues as unknown as Prisma.InputJsonValue,
    issueCount: r.issues.length,
    worstParticipantIds: r.worstParticipantIds,
    mos: r.participants.map((p) => ({ p: p.participantId, s: p.send.audio?.mos ?? null, r: p.recv.audio?.mos ?? null })),
  };
}

/** A stored report as the analysis types describe it (the JSON columns were written from those types). */
export function reportFromRow(row: {
  meetingId: string;
  generatedAt: Date;
  windowStart: Date;
  windowEnd: Date;
  overallScore: number | null;
  participants: Prisma.JsonValue;
  issues: Prisma.JsonValue;
  worstParticipantIds: string[];
}): MeetingReport {
  return {
    meetingId: row.meetingId,
    generatedAt: row.generatedAt,
    windowStart: row.windowStart,
    windowEnd: row.windowEnd,
    overallScore: row.overallScore,
    participants: row.participants as unknown as MeetingReport["participants"],
    issues: row.issues as unknown as MeetingReport["issues"],
    worstParticipantIds: row.worstParticipantIds,
  };
}
