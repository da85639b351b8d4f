import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeSilentMeetings, expireHistory, expireRawSamples, PARTICIPANT_SILENCE_MS, rollUpBridgeSamples } from "@/server/collector/housekeeping";
import { rollUpParticipantSamples } from "@/server/analyzer/chart-buckets";
import { DB_KINDS, openTestDb, type TestDb } from "./db";

describe.each(DB_KINDS)("housekeeping on %s", (kind) => {
  let testDb: TestDb;
  beforeAll(async () => {
    testDb = await openTestDb(kind);
  });
  afterAll(() => testDb.close());

  const now = new Date("2026-11-25T12:00:30Z");

  it("rolls finished minutes up, keeps the roll-up after raw samples expire", async () => {
    const bridge = await testDb.db.bridge.create({ data: { name: `hk-${kind}` } });
    const sample = (at: string, stressLevel: number, endpoints: number) => ({
      bridgeId: bridge.id, sampledAt: new Date(at), stressLevel, conferences: 2, endpoints, bitrateDownloadKbps: 1000, bitrateUploadKbps: 2000,
      packetRateDownloadPps: 100, packetRateUploadPps: 200, rttAggregateMs: 40, incomingLossFraction: 0.01, outgoingLossFraction: 0.02,
      healthy: true, drain: false, gracefulShutdown: false, shuttingDown: false,
    });
    await testDb.db.bridgeSample.createMany({
      data: [
        sample("2026-11-25T11:58:05Z", 0.2, 10), sample("2026-11-25T11:58:35Z", 0.4, 20), // minute 11:58
        sample("2026-11-25T11:59:10Z", 0.9, 30), // minute 11:59
        sample("2026-11-25T12:00:10Z", 0.5, 40), // the current minute: not rolled up yet
      ],
    });
    await rollUpBridgeSamples(testDb.db, now);
    await rollUpBridgeSamples(testDb.db, now); // idempotent
    const minutes = await testDb.db.bridgeSampleMinute.findMany({ where: { bridgeId: bridge.id }, orderBy: { minute: "asc" } });
    expect(minutes.map((m) => m.minute.toISOString())).toEqual(["2026-11-25T11:58:00.000Z", "2026-11-25T11:59:00.000Z"]);
    expect(minutes[0]).toMatchObject({ sampleCount: 2, stressLevelMax: 0.4, endpointsMax: 20, endpointsAvg: 15 });
    expect(minutes[0]!.stressLevelAvg).toBeCloseTo(0.3, 10);
    expect(minutes[1]).toMatchObject({ sampleCount: 1, stressLevelMax: 0.9 });

    // retention of 1 minute at 12:00:30 keeps only samples from 11:59:30 on
    await expireRawSamples(testDb.db, now, 1 / 60);
    expect(await testDb.db.bridgeSample.count({ where: { bridgeId: bridge.id } })).toBe(1);
    expect(await testDb.db.bridgeSampleMinute.count({ where: { bridgeId: bridge.id } })).toBe(2);
  });

  it("participants who stopped reporting leave, and a meeting with nobody left ends", async () => {
    const silent = new Date(now.getTime() - PARTICIPANT_SILENCE_MS - 1000);
    const recent = new Date(now.getTime() - 5000);
    const quiet = await testDb.db.meeting.create({ data: { room: `quiet-${kind}`, startedAt: silent, lastSeenAt: silent } });
    await testDb.db.participant.create({ data: { meetingId: quiet.id, endpointId: "a", joinedAt: silent, lastSeenAt: silent } });
    const busy = await testDb.db.meeting.create({ data: { room: `busy-${kind}`, startedAt: silent, lastSeenAt: silent } });
    await testDb.db.participant.create({ data: { meetingId: busy.id, endpointId: "b", joinedAt: silent, lastSeenAt: silent } });
    await testDb.db.participant.create({ data: { meetingId: busy.id, endpointId: "c", joinedAt: silent, lastSeenAt: recent } });

    await closeSilentMeetings(testDb.db, now);
    const [q, b] = await Promise.all([
      testDb.db.meeting.findUniqueOrThrow({ where: { id: quiet.id }, include: { participants: true } }),
      testDb.db.meeting.findUniqueOrThrow({ where: { id: busy.id }, include: { participants: { orderBy: { endpointId: "asc" } } } }),
    ]);
    expect(q.endedAt?.toISOString()).toBe(silent.toISOString());
    expect(q.participants[0]!.leftAt?.toISOString()).toBe(silent.toISOString());
    expect(b.endedAt).toBeNull(); // someone is still there
    expect(b.participants.map((p) => p.leftAt !== null)).toEqual([true, false]);
  });

  it("history older than its retention goes: old ended meetings with everything of theirs, old bridge minutes, old resolved alerts", async () => {
    const at = (iso: string) => new Date(iso);
    const meetingEnded = async (room: string, endedAt: Date | null) => {
      const meeting = await testDb.db.meeting.create({ data: { room: `${room}-${kind}`, startedAt: at("2026-08-01T10:00:00Z"), lastSeenAt: at("2026-08-01T11:00:00Z"), endedAt } });
      const person = await testDb.db.participant.create({ data: { meetingId: meeting.id, endpointId: "e", joinedAt: meeting.startedAt, lastSeenAt: meeting.lastSeenAt } });
      await testDb.db.participantSample.create({ data: { participantId: person.id, meetingId: meeting.id, sampledAt: at("2026-08-01T10:30:00Z"), rttMs: 40 } });
      await testDb.db.performanceReport.create({ data: { meetingId: meeting.id, generatedAt: at("2026-08-01T10:30:00Z"), windowStart: at("2026-08-01T10:29:30Z"), windowEnd: at("2026-08-01T10:30:00Z"), overallScore: 90, participants: [], issues: [], issueCount: 0, worstParticipantIds: [], mos: [] } });
      return meeting;
    };
    const old = await meetingEnded("old", at("2026-08-01T11:00:00Z"));
    const still = await meetingEnded("still-live", null);
    await rollUpParticipantSamples(testDb.db, at("2026-01-01T00:00:00Z"));
    const bridge = await testDb.db.bridge.create({ data: { name: `history-${kind}` } });
    const minute = (iso: string) => ({ bridgeId: bridge.id, minute: at(iso), sampleCount: 1, stressLevelAvg: 0.1, stressLevelMax: 0.1, endpointsAvg: 1, endpointsMax: 1, conferencesMax: 1, bitrateDownloadKbpsAvg: 1, bitrateUploadKbpsAvg: 1, rttAggregateMsAvg: 1, incomingLossFractionAvg: 0, outgoingLossFractionAvg: 0 });
    await testDb.db.bridgeSampleMinute.createMany({ data: [minute("2026-08-01T10:00:00Z"), minute("2026-11-20T10:00:00Z")] });
    const alert = (key: string, resolvedAt: Date | null) => ({ key: `${key}-${kind}`, meetingId: old.id, room: "old", severity: "warning", summary: "s", issue: {}, firstSeenAt: at("2026-08-01T10:00:00Z"), lastSeenAt: at("2026-08-01T10:00:00Z"), resolvedAt });
    await testDb.db.alertState.createMany({ data: [alert("resolved-long-ago", at("2026-08-01T10:05:00Z")), alert("firing", null)] });

    expect(await expireHistory(testDb.db, at("2026-11-25T12:00:00Z"), 90)).toEqual({ meetings: 1, bridgeMinutes: 1, alerts: 1 });
    expect(await testDb.db.meeting.findUnique({ where: { id: old.id } })).toBeNull();
    const rowsOf = (meetingId: string) =>
      Promise.all([
        testDb.db.participant.count({ where: { meetingId } }),
        testDb.db.participantSample.count({ where: { meetingId } }),
        testDb.db.participantSampleBucket.count({ where: { meetingId } }),
        testDb.db.performanceReport.count({ where: { meetingId } }),
      ]);
    expect(await rowsOf(old.id)).toEqual([0, 0, 0, 0]);
    expect(await rowsOf(still.id)).toEqual([1, 1, 1, 1]);
    expect(await testDb.db.bridgeSampleMinute.count({ where: { bridgeId: bridge.id } })).toBe(1);
    expect(await testDb.db.alertState.findMany({ where: { key: { endsWith: `-${kind}` } }, select: { key: true } })).toEqual([{ key: `firing-${kind}` }]);
  });
});
