import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyzeLiveMeetings, loadThresholds, THRESHOLDS_SETTING_KEY } from "@/server/analyzer/analyzer";
import { ingestBatch } from "@/server/ingest/ingest";
import { ingestBatchSchema, type IngestBatchInput } from "@/server/ingest/schema";
import { createToken } from "@/server/tokens/tokens";
import { DB_KINDS, openTestDb, type TestDb } from "./db";

/** The analyzer shell over a real database: samples in through ingestion, a stored report out. */

describe.each(DB_KINDS)("analyzer on %s", (kind) => {
  let testDb: TestDb;
  const now = new Date();
  beforeAll(async () => {
    testDb = await openTestDb(kind);
    const token = await createToken(testDb.db, { name: "t", scope: "ingest", createdBy: "t" });
    const samples: IngestBatchInput["samples"] = [];
    for (const secondsAgo of [25, 15, 5]) {
      const sampledAt = new Date(now.getTime() - secondsAgo * 1000).toISOString();
      for (const endpointId of ["good0001", "good0002", "good0003"]) {
        samples.push({ room: "analysis-room", endpointId, sampledAt, network: { rttMs: 40, lossSendFraction: 0.002, lossRecvFraction: 0.003 }, audio: { send: { bitrateKbps: 40 }, recv: { bitrateKbps: 40, jitterMs: 5 } }, video: { send: { bitrateKbps: 1500, heightPx: 720, frameRateFps: 30 }, recv: { bitrateKbps: 3000, heightPx: 720, frameRateFps: 30 } } });
      }
      samples.push({ room: "analysis-room", endpointId: "badnet01", displayName: "Garett", sampledAt, network: { rttMs: 380, lossSendFraction: 0.16, lossRecvFraction: 0.12 }, audio: { send: { bitrateKbps: 40 }, recv: { bitrateKbps: 40, jitterMs: 45 } }, video: { send: { bitrateKbps: 300, heightPx: 180, frameRateFps: 15 } } });
    }
    await ingestBatch(testDb.db, ingestBatchSchema.parse({ batchId: "analysis-1", samples }), token.id, now);
  });
  afterAll(() => testDb.close());

  it("stores a report that blames the one participant's network, with evidence", async () => {
    const reports = await analyzeLiveMeetings(testDb.db, now);
    expect(reports).toHaveLength(1);
    const stored = await testDb.db.performanceReport.findFirstOrThrow({ include: { meeting: true } });
    expect(stored.meeting.room).toBe("analysis-room");
    expect(stored.issueCount).toBeGreaterThan(0);
    const bad = await testDb.db.participant.findFirstOrThrow({ where: { endpointId: "badnet01" } });
    const issues = stored.issues as Array<{ cause: string; participantIds: string[]; evidence: string[] }>;
    expect(issues[0]).toMatchObject({ cause: "participant-network", participantIds: [bad.id] });
    expect(issues[0]!.evidence.join(" ")).toMatch(/loss/);
    expect(stored.worstParticipantIds[0]).toBe(bad.id);
    expect(stored.overallScore).toBeGreaterThan(0);
    expect(stored.overallScore).toBeLessThan(90);
  });

  it("uses the thresholds an admin stored, over the defaults", async () => {
    await testDb.db.setting.create({ data: { key: THRESHOLDS_SETTING_KEY, value: { bridge: { stressedAtLevel: 0.7 } }, updatedBy: "t" } });
    const t = await loadThresholds(testDb.db);
    expect(t.bridge.stressedAtLevel).toBe(0.7);
    expect(t.cqdAudio).toEqual((await import("@/server/analysis")).DEFAULT_THRESHOLDS.cqdAudio);
  });
});
