import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "@/server/api/root";
import { loadChartBuckets, rollUpParticipantSamples } from "@/server/analyzer/chart-buckets";
import { viewerFrom } from "@/server/auth/viewer";
import { expireRawSamples } from "@/server/collector/housekeeping";
import { DB_KINDS, openTestDb, type TestDb } from "./db";

describe.each(DB_KINDS)("chart buckets on %s", (kind) => {
  let testDb: TestDb;
  beforeAll(async () => {
    testDb = await openTestDb(kind);
  });
  afterAll(() => testDb.close());

  /** A meeting with two participants and the given samples: [participant index, ISO time, rttMs, lossSendFraction]. */
  async function meetingWith(samples: Array<[0 | 1, string, number | null, number]>, endedAt: Date | null = null) {
    const first = new Date(samples[0]![1]);
    const meeting = await testDb.db.meeting.create({ data: { room: `charts-${kind}`, startedAt: first, lastSeenAt: first, endedAt } });
    const people = await Promise.all(
      ["a", "b"].map((endpointId) => testDb.db.participant.create({ data: { meetingId: meeting.id, endpointId, joinedAt: first, lastSeenAt: first } })),
    );
    await testDb.db.participantSample.createMany({
      data: samples.map(([who, at, rttMs, lossSendFraction]) => ({ participantId: people[who]!.id, meetingId: meeting.id, sampledAt: new Date(at), rttMs, lossSendFraction })),
    });
    return { meeting, people };
  }

  const samples: Array<[0 | 1, string, number | null, number]> = [
    [0, "2026-11-25T12:00:05Z", 40, 0.01], [0, "2026-11-25T12:00:20Z", 60, 0.03], // bucket 12:00:00
    [1, "2026-11-25T12:00:10Z", 100, 0], // bucket 12:00:00
    [0, "2026-11-25T12:00:35Z", 80, 0.05], // bucket 12:00:30
    [0, "2026-11-25T12:01:05Z", null, 0.02], [0, "2026-11-25T12:01:15Z", 30, 0.04], // bucket 12:01:00, one sample without RTT
    [0, "2026-11-25T12:01:40Z", 50, 0], // bucket 12:01:30: the current one at 12:01:45
  ];

  it("rolls finished 30-second buckets up, idempotently, and re-rolls a bucket a late sample joins", async () => {
    const { meeting, people } = await meetingWith(samples);
    const now = new Date("2026-11-25T12:01:45Z");
    await rollUpParticipantSamples(testDb.db, now);
    await rollUpParticipantSamples(testDb.db, now);
    const rows = await testDb.db.participantSampleBucket.findMany({ where: { meetingId: meeting.id }, orderBy: [{ bucketStart: "asc" }, { participantId: "asc" }] });
    const ofA = rows.filter((r) => r.participantId === people[0]!.id);
    expect(ofA.map((r) => [r.bucketStart.toISOString(), r.sampleCount, r.rttMs])).toEqual([
      ["2026-11-25T12:00:00.000Z", 2, 50],
      ["2026-11-25T12:00:30.000Z", 1, 80],
      ["2026-11-25T12:01:00.000Z", 2, 30], // the mean of the samples that have an RTT
    ]);
    expect(rows.filter((r) => r.participantId === people[1]!.id).map((r) => r.rttMs)).toEqual([100]);

    // a retried batch brings a sample into a bucket already rolled up
    await testDb.db.participantSample.create({ data: { participantId: people[1]!.id, meetingId: meeting.id, sampledAt: new Date("2026-11-25T12:00:25Z"), rttMs: 200 } });
    await rollUpParticipantSamples(testDb.db, new Date("2026-11-25T12:02:00Z"));
    const late = await testDb.db.participantSampleBucket.findUniqueOrThrow({ where: { participantId_bucketStart: { participantId: people[1]!.id, bucketStart: new Date("2026-11-25T12:00:00Z") } } });
    expect([late.sampleCount, late.rttMs]).toEqual([2, 150]);
  });

  it("charts read the roll-ups and then the raw samples, the same means whichever way a bucket was read", async () => {
    const { meeting, people } = await meetingWith(samples);
    const since = new Date("2026-11-25T11:59:00Z");
    const before = await loadChartBuckets(testDb.db, meeting.id, since, 30); // nothing rolled up: all raw
    await rollUpParticipantSamples(testDb.db, new Date("2026-11-25T12:00:45Z")); // rolls 12:00:00 only
    const after = await loadChartBuckets(testDb.db, meeting.id, since, 30);
    expect(after).toEqual(before);
    const ofA = after.filter((b) => b.participantId === people[0]!.id);
    expect(ofA.map((b) => [b.sampledAt.toISOString(), b.rttMs])).toEqual([
      ["2026-11-25T12:00:00.000Z", 50],
      ["2026-11-25T12:00:30.000Z", 80],
      ["2026-11-25T12:01:00.000Z", 30],
      ["2026-11-25T12:01:30.000Z", 50],
    ]);
    expect(ofA[0]!.lossSendFraction).toBeCloseTo(0.02, 10);

    // one-minute buckets: the sample-weighted means of the 30-second ones, across rolled and raw
    const minutes = (await loadChartBuckets(testDb.db, meeting.id, since, 60)).filter((b) => b.participantId === people[0]!.id);
    expect(minutes.map((b) => b.sampledAt.toISOString())).toEqual(["2026-11-25T12:00:00.000Z", "2026-11-25T12:01:00.000Z"]);
    expect(minutes[0]!.rttMs).toBeCloseTo((40 + 60 + 80) / 3, 10);
    expect(minutes[0]!.lossSendFraction).toBeCloseTo((0.01 + 0.03 + 0.05) / 3, 10);
    expect(minutes[1]!.rttMs).toBeCloseTo((30 * 2 + 50) / 3, 10); // the RTT-less sample weighs on its bucket's mean: an approximation
    await expect(loadChartBuckets(testDb.db, meeting.id, since, 45)).rejects.toThrow(/multiple of 30/);
  });

  it("an ended meeting's charts and issues stay browsable after its raw samples expire", async () => {
    const endedAt = new Date("2026-11-25T12:01:45Z");
    const { meeting } = await meetingWith(samples, endedAt);
    await rollUpParticipantSamples(testDb.db, new Date("2026-11-25T12:03:00Z"));
    await expireRawSamples(testDb.db, new Date("2026-11-27T12:00:00Z"), 24);
    expect(await testDb.db.participantSample.count({ where: { meetingId: meeting.id } })).toBe(0);
    const admin = createCaller({ db: testDb.db, viewer: viewerFrom("a", "ada@example.org", "Ada", ["admin"]) });
    const series = await admin.meetings.series({ meetingId: meeting.id, minutes: 60 });
    expect(series.bucketSeconds).toBe(30);
    expect(series.samples.map((b) => b.sampledAt.toISOString())).toContain("2026-11-25T12:01:30.000Z");
    expect(series.samples).toHaveLength(5);
  });
});
