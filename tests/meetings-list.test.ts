import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "@/server/api/root";
import { viewerFrom } from "@/server/auth/viewer";
import { DB_KINDS, openTestDb, type TestDb } from "./db";

/**
 * The Meetings list sorts on the server, over every meeting its filter matches: the worst or largest meeting
 * is first even when it is older than a page of the newest.
 */

describe.each(DB_KINDS)("meetings.list order on %s", (kind) => {
  let testDb: TestDb;
  const ids: Record<string, string> = {};
  const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

  beforeAll(async () => {
    testDb = await openTestDb(kind);
    const db = testDb.db;
    // oldest → newest: ended (score 10), A (score 20 now, 95 before), C (no report yet), B (score 90)
    const meetings = [
      { key: "ended", room: "alpha", startedAt: minutesAgo(90), endedAt: minutesAgo(60), scores: [10], present: 0, left: 4 },
      { key: "A", room: "alpha", startedAt: minutesAgo(40), endedAt: null, scores: [95, 20], present: 1, left: 1 },
      { key: "C", room: "alpha", startedAt: minutesAgo(20), endedAt: null, scores: [], present: 0, left: 0 },
      { key: "B", room: "beta", startedAt: minutesAgo(5), endedAt: null, scores: [90], present: 3, left: 0 },
    ];
    for (const m of meetings) {
      const row = await db.meeting.create({ data: { room: m.room, startedAt: m.startedAt, endedAt: m.endedAt, lastSeenAt: m.endedAt ?? new Date() } });
      ids[m.key] = row.id;
      await db.participant.createMany({
        data: Array.from({ length: m.present + m.left }, (_, i) => ({
          meetingId: row.id,
          endpointId: `${m.key}-${i}`,
          joinedAt: m.startedAt,
          leftAt: i < m.present ? null : minutesAgo(1),
          lastSeenAt: new Date(),
        })),
      });
      for (const [i, score] of m.scores.entries()) {
        const generatedAt = minutesAgo(3 - i); // the last score is the latest report
        const report = { overallScore: score, participants: [], issues: [], issueCount: 0, worstParticipantIds: [], mos: [] };
        await db.performanceReport.create({ data: { meetingId: row.id, generatedAt, windowStart: generatedAt, windowEnd: generatedAt, ...report } });
      }
    }
  });
  afterAll(() => testDb.close());

  const admin = () => createCaller({ db: testDb.db, viewer: viewerFrom("sub-ada", "ada@example.test", "ada", ["admin"]) });
  const keysOf = (rows: Array<{ id: string }>) => rows.map((r) => Object.keys(ids).find((k) => ids[k] === r.id));

  it("newest first by default", async () => {
    expect(keysOf(await admin().meetings.list({ state: "live", limit: 10 }))).toEqual(["B", "C", "A"]);
  });

  it("worst health first by each meeting's latest report, over more meetings than the page holds", async () => {
    expect(keysOf(await admin().meetings.list({ state: "live", sort: "health", limit: 1 }))).toEqual(["A"]);
    // a meeting without a report yet goes last
    expect(keysOf(await admin().meetings.list({ state: "live", sort: "health", limit: 10 }))).toEqual(["A", "B", "C"]);
    expect(keysOf(await admin().meetings.list({ state: "all", sort: "health", limit: 10 }))).toEqual(["ended", "A", "B", "C"]);
    const [worst] = await admin().meetings.list({ state: "live", sort: "health", limit: 1 });
    expect(worst?.healthScore).toBe(20);
  });

  it("most participants present first (those who left do not count)", async () => {
    expect(keysOf(await admin().meetings.list({ state: "live", sort: "participants", limit: 2 }))).toEqual(["B", "A"]);
    expect(keysOf(await admin().meetings.list({ state: "ended", sort: "participants", limit: 10 }))).toEqual(["ended"]);
  });

  it("a moderator's sorted list holds only their rooms", async () => {
    await testDb.db.roomAssignment.create({ data: { email: "mona@example.test", room: "alpha", createdBy: "test" } });
    const mona = createCaller({ db: testDb.db, viewer: viewerFrom("sub-mona", "mona@example.test", "mona", ["moderator"]) });
    expect(keysOf(await mona.meetings.list({ state: "live", sort: "health", limit: 10 }))).toEqual(["A", "C"]);
    expect(keysOf(await mona.meetings.list({ state: "all", sort: "participants", limit: 10 }))).toEqual(["A", "C", "ended"]);
  });

  it("refuses an unknown order, naming the field", async () => {
    await expect(admin().meetings.list({ state: "live", sort: "loudest" as "health" })).rejects.toThrow(/sort/);
  });
});
