import type { Db } from "../db/client";
import { utc } from "../db/sql";

/**
 * Once a minute (leader only): roll finished minutes of bridge samples up into BridgeSampleMinute, drop raw
 * samples past the retention, and close meetings and participants that stopped reporting.
 */

/** A participant not heard from for this long has left; a meeting with nobody left has ended. */
export const PARTICIPANT_SILENCE_MS = 90_000;

export async function rollUpBridgeSamples(db: Db, now: Date): Promise<number> {
  // Idempotent: re-rolling a minute recomputes it from the raw samples still present.
  return db.$executeRaw`
    INSERT INTO "BridgeSampleMinute" ("bridgeId", minute, "sampleCount", "stressLevelAvg", "stressLevelMax", "endpointsAvg", "endpointsMax",
      "conferencesMax", "bitrateDownloadKbpsAvg", "bitrateUploadKbpsAvg", "rttAggregateMsAvg", "incomingLossFractionAvg", "outgoingLossFractionAvg")
    SELECT "bridgeId", date_trunc('minute', "sampledAt"), count(*), avg("stressLevel"), max("stressLevel"), avg(endpoints), max(endpoints),
      max(conferences), avg("bitrateDownloadKbps"), avg("bitrateUploadKbps"), avg("rttAggregateMs"), avg("incomingLossFraction"), avg("outgoingLossFraction")
    FROM "BridgeSample"
    WHERE "sampledAt" >= date_trunc('minute', ${utc(now)}) - interval '10 minutes' AND "sampledAt" < date_trunc('minute', ${utc(now)})
    GROUP BY 1, 2
    ON CONFLICT ("bridgeId", minute) DO UPDATE SET "sampleCount" = EXCLUDED."sampleCount", "stressLevelAvg" = EXCLUDED."stressLevelAvg",
      "stressLevelMax" = EXCLUDED."stressLevelMax", "endpointsAvg" = EXCLUDED."endpointsAvg", "endpointsMax" = EXCLUDED."endpointsMax",
      "conferencesMax" = EXCLUDED."conferencesMax", "bitrateDownloadKbpsAvg" = EXCLUDED."bitrateDownloadKbpsAvg",
      "bitrateUploadKbpsAvg" = EXCLUDED."bitrateUploadKbpsAvg", "rttAggregateMsAvg" = EXCLUDED."rttAggregateMsAvg",
      "incomingLossFractionAvg" = EXCLUDED."incomingLossFractionAvg", "outgoingLossFractionAvg" = EXCLUDED."outgoingLossFractionAvg"`;
}

export async function expireRawSamples(db: Db, now: Date, retentionHours: number): Promise<{ bridgeSamples: number; participantSamples: number }> {
  const cutoff = new Date(now.getTime() - retentionHours * 3_600_000);
  const bridgeSamples = await db.bridgeSample.deleteMany({ where: { sampledAt: { lt: cutoff } } });
  const participantSamples = await db.participantSample.deleteMany({ where: { sampledAt: { lt: cutoff } } });
  return { bridgeSamples: bridgeSamples.count, participantSamples: participantSamples.count };
}

export async function closeSilentMeetings(db: Db, now: Date): Promise<{ participantsLeft: number; meetingsEnded: number }> {
  const silentSince = new Date(now.getTime() - PARTICIPANT_SILENCE_MS);
  const participantsLeft = await db.$executeRaw`
    UPDATE "Participant" SET "leftAt" = "lastSeenAt" WHERE "leftAt" IS NULL AND "lastSeenAt" < ${utc(silentSince)}`;
  const meetingsEnded = await db.$executeRaw`
    UPDATE "Meeting" m SET "endedAt" = m."lastSeenAt"
    WHERE m."endedAt" IS NULL AND m."lastSeenAt" < ${utc(silentSince)}
      AND NOT EXISTS (SELECT 1 FROM "Participant" p WHERE p."meetingId" = m.id AND p."leftAt" IS NULL)`;
  return { participantsLeft, meetingsEnded };
}

/**
 * The history's own retention: meetings that ended before the cut-off go with their participants, samples,
 * chart roll-ups and reports; bridge minute roll-ups and resolved alerts older than it go too.
 */
export async function expireHistory(db: Db, now: Date, retentionDays: number): Promise<{ meetings: number; bridgeMinutes: number; alerts: number }> {
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
  const [meetings, bridgeMinutes, alerts] = await Promise.all([
    db.meeting.deleteMany({ where: { endedAt: { lt: cutoff } } }),
    db.bridgeSampleMinute.deleteMany({ where: { minute: { lt: cutoff } } }),
    db.alertState.deleteMany({ where: { resolvedAt: { lt: cutoff } } }),
  ]);
  return { meetings: meetings.count, bridgeMinutes: bridgeMinutes.count, alerts: alerts.count };
}
