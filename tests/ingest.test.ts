import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeSilentMeetings } from "@/server/collector/housekeeping";
import { handleIngest, ingestLimiter, type IngestDeps } from "@/server/ingest/handler";
import { ingestBatch } from "@/server/ingest/ingest";
import type { IngestBatchInput } from "@/server/ingest/schema";
import { authenticateToken, createToken, forgetCachedTokens, type TokenIdentity } from "@/server/tokens/tokens";
import { DB_KINDS, openTestDb, type TestDb } from "./db";

const post = (body: unknown, headers: Record<string, string> = {}) =>
  new Request("http://meetscope.test/api/v1/ingest", {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

const isoDate = fc.date({ min: new Date("2026-01-01T00:00:00Z"), max: new Date("2027-01-01T00:00:00Z"), noInvalidDate: true }).map((d) => d.toISOString());
const fractionArb = fc.double({ min: 0, max: 1, noNaN: true });
const sampleArb = fc.record(
  {
    room: fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/),
    endpointId: fc.stringMatching(/^[0-9a-f]{8}$/),
    sampledAt: isoDate,
    displayName: fc.string({ maxLength: 20 }),
    video: fc.record(
      {
        send: fc.record({ bitrateKbps: fc.integer({ min: 0, max: 5000 }), heightPx: fc.constantFrom(180, 360, 720), frameRateFps: fc.double({ min: 0, max: 60, noNaN: true }) }, { requiredKeys: [] }),
        recv: fc.record({ bitrateKbps: fc.integer({ min: 0, max: 20000 }), heightPx: fc.constantFrom(180, 360, 720) }, { requiredKeys: [] }),
      },
      { requiredKeys: [] },
    ),
    audio: fc.record({ recv: fc.record({ jitterMs: fc.double({ min: 0, max: 500, noNaN: true }), concealedFraction: fractionArb }, { requiredKeys: [] }) }, { requiredKeys: [] }),
    network: fc.record(
      { rttMs: fc.double({ min: 0, max: 5000, noNaN: true }), lossSendFraction: fractionArb, lossRecvFraction: fractionArb, transport: fc.constantFrom("udp", "tcp"), relayed: fc.boolean() },
      { requiredKeys: [] },
    ),
    resources: fc.record({ qualityLimitationReason: fc.constantFrom("none", "cpu", "bandwidth", "other") }, { requiredKeys: [] }),
    connectionQuality: fc.double({ min: 0, max: 100, noNaN: true }),
  },
  { requiredKeys: ["room", "endpointId", "sampledAt"] },
);
const batchArb = fc.record({
  batchId: fc.stringMatching(/^[A-Za-z0-9]{8,20}$/),
  samples: fc.array(sampleArb, { minLength: 1, maxLength: 8 }),
});

/** A place to break a valid batch, and a value that must be refused there. */
const mutationArb = fc.oneof(
  fc.record({ where: fc.constant(["batchId"]), value: fc.constantFrom("", "short", "has space!!", 42, null) }),
  fc.record({ where: fc.constant(["samples", 0, "room"]), value: fc.constantFrom("", "a room", "a/b", 7, null) }),
  fc.record({ where: fc.constant(["samples", 0, "endpointId"]), value: fc.constantFrom("", 12, null, "x".repeat(65)) }),
  fc.record({ where: fc.constant(["samples", 0, "sampledAt"]), value: fc.constantFrom("yesterday", "2026-13-01T00:00:00Z", 1700000000, null) }),
  fc.record({ where: fc.constant(["samples", 0, "network", "rttMs"]), value: fc.constantFrom(-1, "fast", 1e9, true) }),
  fc.record({ where: fc.constant(["samples", 0, "network", "lossSendFraction"]), value: fc.constantFrom(-0.1, 1.5, 12, "5%") }),
  fc.record({ where: fc.constant(["samples", 0, "network", "transport"]), value: fc.constantFrom("quic", 1, "") }),
  fc.record({ where: fc.constant(["samples", 0, "video", "send", "bitrateKbps"]), value: fc.constantFrom(-5, 1.5, "2000", 1e12) }),
  fc.record({ where: fc.constant(["samples", 0, "video", "send", "heightPx"]), value: fc.constantFrom(-1, 10000, 720.5) }),
  fc.record({ where: fc.constant(["samples", 0, "audio", "recv", "concealedFraction"]), value: fc.constantFrom(2, -1, "none") }),
  fc.record({ where: fc.constant(["samples", 0, "resources", "qualityLimitationReason"]), value: fc.constantFrom("gpu", 0) }),
  fc.record({ where: fc.constant(["samples", 0, "connectionQuality"]), value: fc.constantFrom(101, -3, "good") }),
  fc.record({ where: fc.constant(["samples", 0, "unexpectedField"]), value: fc.constantFrom(1, "x") }),
  fc.record({ where: fc.constant(["samples"]), value: fc.constantFrom("many", 3, { a: 1 }) }),
);

function setPath(target: Record<string, unknown>, where: Array<string | number>, value: unknown) {
  let node = target as Record<string | number, unknown>;
  for (const key of where.slice(0, -1)) {
    node[key] ??= {};
    node = node[key] as Record<string | number, unknown>;
  }
  node[where.at(-1)!] = value;
}

describe.each(DB_KINDS)("POST /api/v1/ingest on %s", (kind) => {
  let testDb: TestDb;
  let token: TokenIdentity;
  let deps: IngestDeps;
  const counts = async () => ({
    samples: await testDb.db.participantSample.count(),
    meetings: await testDb.db.meeting.count(),
    participants: await testDb.db.participant.count(),
    batches: await testDb.db.ingestBatch.count(),
    events: await testDb.db.participantEvent.count(),
  });

  beforeAll(async () => {
    testDb = await openTestDb(kind);
    const created = await createToken(testDb.db, { name: "test client", scope: "ingest", createdBy: "test" });
    token = { id: created.id, name: created.name, scope: "ingest" };
    deps = { db: testDb.db, maxBodyBytes: 200_000, limiter: ingestLimiter(1_000_000) };
  });
  afterAll(() => testDb.close());

  it("answers thousands of malformed batches with 400 naming the field, and writes nothing", async () => {
    const before = await counts();
    await fc.assert(
      fc.asyncProperty(batchArb, mutationArb, async (batch, mutation) => {
        const broken = structuredClone(batch) as unknown as Record<string, unknown>;
        setPath(broken, [...mutation.where], mutation.value);
        const response = await handleIngest(post(broken), token, deps);
        expect(response.status).toBe(400);
        const body = (await response.json()) as { issues: Array<{ path: string }> };
        const expectedPath = mutation.where.join(".");
        expect(body.issues.some((i) => i.path === expectedPath || i.path.startsWith(`${expectedPath}.`) || expectedPath.startsWith(i.path))).toBe(true);
      }),
      { numRuns: kind === "pglite" ? 2000 : 300 },
    );
    expect(await counts()).toEqual(before);
  });

  it("refuses bodies that are not JSON, not JSON content, or too large, with nothing written", async () => {
    const before = await counts();
    expect((await handleIngest(post("{not json"), token, deps)).status).toBe(400);
    expect((await handleIngest(post("{}", { "content-type": "text/plain" }), token, deps)).status).toBe(415);
    const big = { batchId: "big-batch-1", samples: [{ room: "r", endpointId: "e", sampledAt: "2026-11-25T10:00:00Z", displayName: "x".repeat(250_000) }] };
    const tooLarge = await handleIngest(post(big), token, deps);
    expect(tooLarge.status).toBe(413);
    expect(((await tooLarge.json()) as { error: string }).error).toContain("larger than 200000 bytes");
    expect((await handleIngest(post({ batchId: "empty-batch", samples: [] }), token, deps)).status).toBe(400);
    expect(await counts()).toEqual(before);
  });

  it("accepts valid batches whole: meetings, participants, samples and events", async () => {
    const before = await counts();
    await fc.assert(
      fc.asyncProperty(batchArb, async (batch) => {
        const response = await handleIngest(post({ ...batch, batchId: `${batch.batchId}-${Math.random().toString(36).slice(2)}` }), token, deps);
        expect(response.status).toBe(200);
        expect(await response.json()).toMatchObject({ status: "accepted", samples: batch.samples.length });
      }),
      { numRuns: 25 },
    );
    const after = await counts();
    expect(after.batches - before.batches).toBe(25);
    expect(after.samples).toBeGreaterThan(before.samples);
  });

  it("maps a sample's figures to their columns and its events to the participant", async () => {
    const batch: IngestBatchInput = {
      batchId: "mapping-check-1",
      samples: [
        {
          room: "Weekly-Sync",
          endpointId: "ab12cd34",
          displayName: "Mia",
          sampledAt: "2026-11-25T10:00:00Z",
          video: { send: { bitrateKbps: 1200, heightPx: 720, frameRateFps: 30, codec: "VP8" }, recv: { bitrateKbps: 2400, heightPx: 360 } },
          audio: { send: { bitrateKbps: 40 }, recv: { bitrateKbps: 38, jitterMs: 12.5, concealedFraction: 0.02 } },
          network: { rttMs: 85, lossSendFraction: 0.01, lossRecvFraction: 0.03, availableSendBandwidthKbps: 2500, transport: "tcp", relayed: true },
          resources: { qualityLimitationReason: "cpu", memoryUsedMb: 512 },
          connectionQuality: 72,
        },
      ],
      events: [
        { room: "weekly-sync", endpointId: "ab12cd34", kind: "join", occurredAt: "2026-11-25T09:59:00Z" },
        { room: "weekly-sync", endpointId: "ab12cd34", kind: "leave", occurredAt: "2026-11-25T10:05:00Z" },
      ],
    };
    expect((await handleIngest(post(batch), token, deps)).status).toBe(200);
    const participant = await testDb.db.participant.findFirstOrThrow({ where: { endpointId: "ab12cd34" }, include: { samples: true, events: true, meeting: true } });
    expect(participant.meeting.room).toBe("weekly-sync"); // lower-cased like Jitsi room names
    expect(participant.leftAt?.toISOString()).toBe("2026-11-25T10:05:00.000Z");
    expect(participant.events.map((e) => e.kind).sort()).toEqual(["JOIN", "LEAVE"]);
    expect(participant.samples[0]).toMatchObject({
      videoSendBitrateKbps: 1200, videoSendHeightPx: 720, videoRecvHeightPx: 360, videoCodec: "VP8", audioJitterMs: 12.5, audioConcealedFraction: 0.02,
      rttMs: 85, lossSendFraction: 0.01, lossRecvFraction: 0.03, transportProtocol: "tcp", relayed: true, qualityLimitationReason: "cpu", memoryUsedMb: 512, connectionQuality: 72,
    });
  });

  it("accepts a retried batch id once", async () => {
    const batch = { batchId: "retry-me-1234", samples: [{ room: "retry-room", endpointId: "e1", sampledAt: "2026-11-25T10:00:00Z" }] };
    const first = await handleIngest(post(batch), token, deps);
    const again = await handleIngest(post(batch), token, deps);
    expect(await first.json()).toMatchObject({ status: "accepted" });
    expect(await again.json()).toMatchObject({ status: "duplicate" });
    expect(await testDb.db.participantSample.count({ where: { participant: { meeting: { room: "retry-room" } } } })).toBe(1);
  });

  it("answers 429 with Retry-After past the token's rate", async () => {
    const limited: IngestDeps = { ...deps, limiter: ingestLimiter(2) };
    const send = (n: number) => handleIngest(post({ batchId: `rate-limit-${n}`, samples: [{ room: "rl", endpointId: "e", sampledAt: "2026-11-25T10:00:00Z" }] }), token, limited);
    expect((await send(1)).status).toBe(200);
    expect((await send(2)).status).toBe(200);
    const third = await send(3);
    expect(third.status).toBe(429);
    expect(Number(third.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  });

  it("concurrent batches for a new room land in one meeting", async () => {
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        handleIngest(post({ batchId: `concurrent-${i}-x`, samples: [{ room: "race-room", endpointId: `e${i}`, sampledAt: "2026-11-25T10:00:00Z" }] }), token, deps),
      ),
    );
    expect(await testDb.db.meeting.count({ where: { room: "race-room" } })).toBe(1);
  });

  it("concurrent batches with the same new participants all land, each participant once", async () => {
    const endpoints = Array.from({ length: 20 }, (_, i) => `race-ep-${i}`);
    const responses = await Promise.all(
      Array.from({ length: 6 }, (_, b) =>
        handleIngest(post({ batchId: `participants-race-${b}`, samples: endpoints.map((endpointId) => ({ room: "race-room-2", endpointId, sampledAt: "2026-11-25T10:00:00Z" })) }), token, deps),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(await testDb.db.participant.count({ where: { meeting: { room: "race-room-2" } } })).toBe(20);
    expect(await testDb.db.participantSample.count({ where: { participant: { meeting: { room: "race-room-2" } } } })).toBe(120);
  });

  it("a meeting named by Jitsi's meeting id is one meeting, whatever else the room holds", async () => {
    const jitsiMeetingId = "6f1c2d3e-4b5a-4c6d-8e7f-901234567890";
    for (const [i, room] of ["jitsi-id-room", "jitsi-id-room"].entries()) {
      await handleIngest(post({ batchId: `jitsi-id-${i}-x`, samples: [{ room, jitsiMeetingId, endpointId: `e${i}`, sampledAt: "2026-11-25T10:00:00Z" }] }), token, deps);
    }
    const meetings = await testDb.db.meeting.findMany({ where: { jitsiMeetingId }, include: { _count: { select: { participants: true } } } });
    expect(meetings).toHaveLength(1);
    expect(meetings[0]!._count.participants).toBe(2);
  });

  it("records sent before the client knew Jitsi's meeting id land in the meeting that id names", async () => {
    const jitsiMeetingId = "7a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
    const room = "learns-its-id";
    // the join, before the id is known; then samples with it; then a batch holding both kinds
    await ingestBatch(testDb.db, { batchId: "id-later-1", samples: [], events: [{ room, endpointId: "a1", kind: "join", occurredAt: "2026-11-25T10:00:00Z" }] }, token.id);
    await ingestBatch(testDb.db, { batchId: "id-later-2", samples: [{ room, jitsiMeetingId, endpointId: "a1", sampledAt: "2026-11-25T10:00:10Z" }], events: [] }, token.id);
    await ingestBatch(
      testDb.db,
      { batchId: "id-later-3", samples: [{ room, jitsiMeetingId, endpointId: "b2", sampledAt: "2026-11-25T10:00:20Z" }], events: [{ room, endpointId: "b2", kind: "join", occurredAt: "2026-11-25T10:00:15Z" }] },
      token.id,
    );
    const meetings = await testDb.db.meeting.findMany({ where: { room }, include: { participants: { orderBy: { endpointId: "asc" } } } });
    expect(meetings).toHaveLength(1);
    expect(meetings[0]!.jitsiMeetingId).toBe(jitsiMeetingId);
    expect(meetings[0]!.participants.map((p) => p.endpointId)).toEqual(["a1", "b2"]);

    // a new room whose first batch holds records both with and without the id: one meeting
    const both = { batchId: "same-batch", samples: [{ room: "both-at-once", jitsiMeetingId: "8b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e", endpointId: "c3", sampledAt: "2026-11-25T10:00:20Z" }], events: [{ room: "both-at-once", endpointId: "c3", kind: "join" as const, occurredAt: "2026-11-25T10:00:15Z" }] };
    await ingestBatch(testDb.db, both, token.id);
    expect(await testDb.db.meeting.count({ where: { room: "both-at-once" } })).toBe(1);
  });

  it("a meeting or participant closed for silence reopens when newer samples arrive; older ones leave it closed", async () => {
    const room = "paused-client";
    const sample = (batchId: string, sampledAt: string) => ({ batchId, samples: [{ room, jitsiMeetingId: "9c4d5e6f-7a8b-4c9d-8e1f-2a3b4c5d6e7f", endpointId: "d4", sampledAt }], events: [] });
    const t0 = new Date("2026-11-25T11:00:00Z");
    await ingestBatch(testDb.db, sample("pause-1", "2026-11-25T11:00:00Z"), token.id, t0);
    await closeSilentMeetings(testDb.db, new Date(t0.getTime() + 120_000));
    const closed = await testDb.db.meeting.findFirstOrThrow({ where: { room }, include: { participants: true } });
    expect(closed.endedAt).not.toBeNull();
    // a retried batch from before the close changes nothing
    await ingestBatch(testDb.db, sample("pause-old", "2026-11-25T10:59:50Z"), token.id, new Date(t0.getTime() + 130_000));
    expect((await testDb.db.meeting.findUniqueOrThrow({ where: { id: closed.id } })).endedAt).not.toBeNull();
    // the client is back
    await ingestBatch(testDb.db, sample("pause-2", "2026-11-25T11:02:30Z"), token.id, new Date(t0.getTime() + 150_000));
    const reopened = await testDb.db.meeting.findUniqueOrThrow({ where: { id: closed.id }, include: { participants: true } });
    expect(reopened.endedAt).toBeNull();
    expect(reopened.participants[0]!.leftAt).toBeNull();
  });

  it("a client whose clock is 5 minutes slow: with sentAt its times are moved onto the server's clock; without, kept", async () => {
    const receivedAt = new Date("2026-11-25T12:00:00Z");
    const slow = (iso: string) => new Date(Date.parse(iso) - 5 * 60_000).toISOString();
    const batch = (batchId: string, room: string, sentAt?: string) => ({
      batchId,
      ...(sentAt ? { sentAt } : {}),
      samples: [{ room, endpointId: "c1", sampledAt: slow("2026-11-25T11:59:57Z") }],
      events: [{ room, endpointId: "c1", kind: "join" as const, occurredAt: slow("2026-11-25T11:59:40Z") }],
    });
    await ingestBatch(testDb.db, batch("clock-sent", "slow-clock", slow("2026-11-25T12:00:00Z")), token.id, receivedAt);
    await ingestBatch(testDb.db, batch("clock-none", "unknown-clock"), token.id, receivedAt);
    const stored = async (room: string) => {
      const p = await testDb.db.participant.findFirstOrThrow({ where: { meeting: { room } }, include: { samples: true, events: true } });
      return { sampledAt: p.samples[0]!.sampledAt.toISOString(), occurredAt: p.events[0]!.occurredAt.toISOString() };
    };
    expect(await stored("slow-clock")).toEqual({ sampledAt: "2026-11-25T11:59:57.000Z", occurredAt: "2026-11-25T11:59:40.000Z" });
    expect(await stored("unknown-clock")).toEqual({ sampledAt: slow("2026-11-25T11:59:57Z"), occurredAt: slow("2026-11-25T11:59:40Z") });
  });

  it("tokens: unknown, revoked and wrong-scope tokens are refused; lastUsedAt is recorded", async () => {
    const read = await createToken(testDb.db, { name: "reader", scope: "read", createdBy: "test" });
    expect(await authenticateToken(testDb.db, null, "ingest")).toMatchObject({ ok: false, status: 401 });
    expect(await authenticateToken(testDb.db, "Bearer msc_i_nope", "ingest")).toMatchObject({ ok: false, status: 401 });
    expect(await authenticateToken(testDb.db, `Bearer ${read.secret}`, "ingest")).toMatchObject({ ok: false, status: 403 });
    expect(await authenticateToken(testDb.db, `Bearer ${read.secret}`, "read")).toMatchObject({ ok: true });
    expect((await testDb.db.apiToken.findUniqueOrThrow({ where: { id: read.id } })).lastUsedAt).toBeInstanceOf(Date);
    await testDb.db.apiToken.update({ where: { id: read.id }, data: { revokedAt: new Date() } });
    // another replica's cache lets a revoked token through for at most 10 s
    expect(await authenticateToken(testDb.db, `Bearer ${read.secret}`, "read", Date.now() + 11_000)).toMatchObject({ ok: false, status: 401 });
    forgetCachedTokens(); // what revoking in Settings does on this replica
    expect(await authenticateToken(testDb.db, `Bearer ${read.secret}`, "read")).toMatchObject({ ok: false, status: 401 });
    const stored = await testDb.db.apiToken.findUniqueOrThrow({ where: { id: read.id } });
    expect(stored.tokenHash).not.toContain(read.secret.slice(6));
  });
});
