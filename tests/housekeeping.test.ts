import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeSilentMeetings, expireRawSamples, PARTICIPANT_SILENCE_MS, rollUpBridgeSamples } from "@/server/collector/housekeeping";
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
});
