import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "@/server/api/root";
import { loadChartBuckets, RAW_TAIL_MS, rollUpParticipantSamples } from "@/server/analyzer/chart-buckets";
import { viewerFrom } from "@/server/auth/viewer";
import { expireRawSamples } from "@/server/collector/housekeeping";
import { DB_KINDS, openTestDb, type TestDb } from "./db";

describe.each(DB_KINDS)("chart buckets on %s", (kind) => {
  let testDb: TestDb;
  beforeAll(async () => {
    testDb = await openTestDb(kind);
  });
  afterAll(() => testDb.close());

  type Sample = [0 | 1, string, number | null, number];
  const LONG_AGO = new Date("2026-01-01T00:00:00Z"); // a retention cut-off that keeps everything here

  /** A meeting with two participants and the given samples: [participant index, ISO time, rttMs, lossSendFraction]. */
  async function meetingWith(samples: Sample[], endedAt: Date | null = null) {
    const first = new Date(samples[0]![1]);
    const meeting = await testDb.db.meeting.create({ data: { room: `charts-${kind}`, startedAt: first, lastSeenAt: first, endedAt } });
    const people = await Promise.all(
      ["a", "b"].map((endpointId) => testDb.db.participant.create({ data: { meetingId: meeting.id, endpointId, joinedAt: first, lastSeenAt: first } })),
    );
    const add = (more: Sample[], ids?: bigint[]) =>
      testDb.db.participantSample.createMany({
        data: more.map(([who, at, rttMs, lossSendFraction], i) => ({
          ...(ids ? { id: ids[i] } : {}),
          participantId: people[who]!.id, meetingId: meeting.id, sampledAt: new Date(at), rttMs, lossSendFraction,
        })),
      });
    await add(samples);
    const buckets = (who: 0 | 1) =>
      testDb.db.participantSampleBucket.findMany({ where: { participantId: people[who]!.id }, orderBy: { bucketStart: "asc" } }).then((rows) =>
        rows.map((r) => [r.bucketStart.toISOString().slice(11, 19), r.sampleCount, r.rttMs, r.rttMsCount]),
      );
    return { meeting, people, add, buckets };
  }

  const samples: Sample[] = [
    [0, "2026-11-20T12:00:05Z", 40, 0.01], [0, "2026-11-20T12:00:20Z", 60, 0.03], // bucket 12:00:00
    [1, "2026-11-20T12:00:10Z", 100, 0], // bucket 12:00:00
    [0, "2026-11-20T12:00:35Z", 80, 0.05], // bucket 12:00:30
    [0, "2026-11-20T12:01:05Z", null, 0.02], [0, "2026-11-20T12:01:15Z", 30, 0.04], // bucket 12:01:00, one sample without RTT
    [0, "2026-11-20T12:01:40Z", 50, 0], // bucket 12:01:30
  ];

  it("rolls up every bucket new samples fall into, however late they arrive, idempotently", async () => {
    const { add, buckets } = await meetingWith(samples);
    await rollUpParticipantSamples(testDb.db, LONG_AGO);
    await rollUpParticipantSamples(testDb.db, LONG_AGO);
    expect(await buckets(0)).toEqual([
      ["12:00:00", 2, 50, 2],
      ["12:00:30", 1, 80, 1],
      ["12:01:00", 2, 30, 1], // the mean of the samples that have an RTT, and how many did
      ["12:01:30", 1, 50, 1],
    ]);
    expect(await buckets(1)).toEqual([["12:00:00", 1, 100, 1]]);

    // a client re-sends, hours later, a sample into a bucket rolled up long ago
    await add([[1, "2026-11-20T12:00:25Z", 200, 0]]);
    expect(await rollUpParticipantSamples(testDb.db, LONG_AGO)).toBe(1); // only that bucket is recomputed
    expect(await buckets(1)).toEqual([["12:00:00", 2, 150, 2]]);
    expect(await rollUpParticipantSamples(testDb.db, LONG_AGO)).toBe(1); // the run after looks once more (see below)
    expect(await rollUpParticipantSamples(testDb.db, LONG_AGO)).toBe(0);
  });

  it("picks up a sample whose insert committed after a run had looked past its id", async () => {
    const { add, buckets } = await meetingWith([[0, "2026-11-20T13:00:05Z", 10, 0]]);
    await add([[0, "2026-11-20T13:00:35Z", 20, 0]], [1_000_000n]);
    await rollUpParticipantSamples(testDb.db, LONG_AGO); // sees ids up to 1,000,000
    await add([[0, "2026-11-20T13:01:05Z", 30, 0]], [999_999n]); // an id taken earlier, committed only now
    await rollUpParticipantSamples(testDb.db, LONG_AGO);
    // (the ids above came from no sequence: move it past them, as it would have been)
    await testDb.db.$executeRawUnsafe(`SELECT setval(pg_get_serial_sequence('"ParticipantSample"', 'id'), 2000000)`);
    expect((await buckets(0)).map((b) => b[0])).toEqual(["13:00:00", "13:00:30", "13:01:00"]);
  });

  it("leaves buckets at the raw retention's edge alone: their samples may be partly deleted", async () => {
    const { add, buckets } = await meetingWith([[0, "2026-11-20T14:00:05Z", 10, 0], [0, "2026-11-20T14:00:15Z", 30, 0]]);
    await rollUpParticipantSamples(testDb.db, LONG_AGO);
    const cutoff = new Date("2026-11-20T14:00:10Z"); // retention deletes the 14:00:05 sample
    await expireRawSamples(testDb.db, new Date(cutoff.getTime() + 3_600_000), 1);
    await add([[0, "2026-11-20T14:00:20Z", 20, 0]]); // a late sample into that bucket
    await rollUpParticipantSamples(testDb.db, cutoff);
    expect(await buckets(0)).toEqual([["14:00:00", 2, 20, 2]]); // not recomputed from what is left
  });

  it("charts read the roll-ups and then the raw tail, the same means whichever way a bucket was read", async () => {
    const { meeting, people, add } = await meetingWith(samples.map(([w, at, r, l]) => [w, at.replace("T12", "T15"), r, l]));
    const since = new Date("2026-11-20T14:59:00Z");
    const now = new Date("2026-11-20T15:01:45Z");
    const before = await loadChartBuckets(testDb.db, meeting.id, since, 30, now); // nothing rolled up: all raw
    await rollUpParticipantSamples(testDb.db, LONG_AGO);
    expect(await loadChartBuckets(testDb.db, meeting.id, since, 30, now)).toEqual(before); // within the raw tail
    const later = new Date(now.getTime() + RAW_TAIL_MS + 60_000);
    expect(await loadChartBuckets(testDb.db, meeting.id, since, 30, later)).toEqual(before); // from the roll-ups
    const ofA = before.filter((b) => b.participantId === people[0]!.id);
    expect(ofA.map((b) => [b.sampledAt.toISOString().slice(11, 19), b.rttMs])).toEqual([["15:00:00", 50], ["15:00:30", 80], ["15:01:00", 30], ["15:01:30", 50]]);
    expect(ofA[0]!.lossSendFraction).toBeCloseTo(0.02, 10);

    // a sample stored after the roll-up, into a bucket it already rolled, is charted at once
    await add([[1, "2026-11-20T15:00:20Z", 200, 0]]);
    const fresh = await loadChartBuckets(testDb.db, meeting.id, since, 30, now);
    expect(fresh.find((b) => b.participantId === people[1]!.id)!.rttMs).toBe(150);

    // one-minute buckets: per column, the 30-second means weighted by the samples that had the column
    const minutes = (await loadChartBuckets(testDb.db, meeting.id, since, 60, later)).filter((b) => b.participantId === people[0]!.id);
    expect(minutes.map((b) => b.sampledAt.toISOString().slice(11, 19))).toEqual(["15:00:00", "15:01:00"]);
    expect(minutes[0]!.rttMs).toBeCloseTo((40 + 60 + 80) / 3, 10);
    expect(minutes[1]!.rttMs).toBeCloseTo((30 + 50) / 2, 10); // the sample without an RTT does not count
    expect(minutes[1]!.lossSendFraction).toBeCloseTo((0.02 + 0.04 + 0) / 3, 10);
    await expect(loadChartBuckets(testDb.db, meeting.id, since, 45)).rejects.toThrow(/multiple of 30/);
  });

  it("an ended meeting's charts and issues stay browsable after its raw samples expire", async () => {
    const shifted = samples.map(([w, at, r, l]): Sample => [w, at.replace("T12", "T16"), r, l]);
    const { meeting } = await meetingWith(shifted, new Date("2026-11-20T16:01:45Z"));
    await rollUpParticipantSamples(testDb.db, LONG_AGO);
    await expireRawSamples(testDb.db, new Date("2026-11-22T18:00:00Z"), 24);
    expect(await testDb.db.participantSample.count({ where: { meetingId: meeting.id } })).toBe(0);
    const admin = createCaller({ db: testDb.db, viewer: viewerFrom("a", "ada@example.org", "Ada", ["admin"]) });
    const series = await admin.meetings.series({ meetingId: meeting.id, minutes: 60 });
    expect(series.bucketSeconds).toBe(30);
    expect(series.samples.map((b) => b.sampledAt.toISOString().slice(11, 19))).toEqual(["16:00:00", "16:00:00", "16:00:30", "16:01:00", "16:01:30"]);
  });
});
