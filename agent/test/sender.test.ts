import { afterEach, describe, expect, it } from "vitest";
import { toEvent, toSample } from "../src/mapping";
import { BatchSender, ingestUrl, parseRetryAfterMs, type BatchSenderOptions, type LogLevel } from "../src/sender";
import { startIngestServer, waitFor, type IngestServer } from "./ingest-server";

/** Real fetch against a real node:http server on 127.0.0.1; only the intervals are shrunk. */

const T0 = Date.parse("2026-11-25T10:15:00Z");
const TOKEN = "msi_test_token";
const sample = (i: number) => toSample({ room: "Standup", endpointId: `ep${i}` }, { network: { rttMs: i } }, T0 + i * 1000);
const event = (i: number) => toEvent({ room: "Standup", endpointId: `ep${i}` }, "join", T0 + i * 1000);

let server: IngestServer | undefined;
const senders: BatchSender[] = [];
afterEach(async () => {
  for (const s of senders.splice(0)) s.stop();
  await server?.close();
  server = undefined;
});

function sender(options: Partial<BatchSenderOptions> = {}, logs: Array<[LogLevel, string]> = []): BatchSender {
  const s = new BatchSender({
    url: ingestUrl(`${server!.url}/`),
    token: TOKEN,
    flushIntervalMs: 60_000, // tests flush explicitly unless they test the timer
    retryBaseMs: 20,
    retryMaxMs: 100,
    requestTimeoutMs: 2000,
    log: (level, message) => logs.push([level, message]),
    ...options,
  });
  senders.push(s);
  return s;
}

describe("BatchSender against a real HTTP server", () => {
  it("posts schema-valid batches of at most 1000 samples with the bearer token", async () => {
    server = await startIngestServer();
    const s = sender({ flushAtSamples: 5000, maxBufferItems: 5000 }); // all 2300 wait in the buffer until flush()
    for (let i = 0; i < 2300; i++) s.enqueueSample(sample(i));
    s.enqueueEvent(event(1));
    await s.flush();

    expect(server.requests.map((r) => r.schemaError)).toEqual([null, null, null]);
    expect(server.requests.map((r) => r.batch!.samples.length)).toEqual([1000, 1000, 300]);
    expect(server.requests[2]!.batch!.events).toHaveLength(1);
    expect(new Set(server.requests.map((r) => r.batch!.batchId)).size).toBe(3);
    for (const r of server.requests) {
      expect(r.path).toBe("/api/v1/ingest");
      expect(r.authorization).toBe(`Bearer ${TOKEN}`);
      expect(r.contentType).toBe("application/json");
    }
    // order is kept and the room arrives lower-cased
    expect(server.acceptedSamples().map((x) => x.endpointId)).toEqual(Array.from({ length: 2300 }, (_, i) => `ep${i}`));
    expect(server.acceptedSamples()[0]!.room).toBe("standup");
    expect(s.stats()).toMatchObject({ sentBatches: 3, sentSamples: 2300, sentEvents: 1, bufferedItems: 0, pendingItems: 0, retries: 0 });
  });

  it("flushes on its own: every flushIntervalMs, and at once when flushAtSamples are waiting", async () => {
    server = await startIngestServer();
    const timed = sender({ flushIntervalMs: 50 });
    timed.enqueueSample(sample(1));
    await waitFor(() => server!.requests.length === 1, 2000, "the interval flush");

    const eager = sender({ flushAtSamples: 3 });
    eager.enqueueSample(sample(2));
    eager.enqueueSample(sample(3));
    await new Promise((r) => setTimeout(r, 100));
    expect(server.requests).toHaveLength(1); // 2 < 3: waits for the (60 s) timer
    eager.enqueueSample(sample(4));
    await waitFor(() => server!.requests.length === 2, 2000, "the threshold flush");
    expect(server.requests[1]!.batch!.samples).toHaveLength(3);
  });

  it("retries a 503 with the SAME batchId, then succeeds", async () => {
    server = await startIngestServer((_batch, n) => (n === 0 ? { status: 503, body: { error: "starting" } } : undefined));
    const s = sender();
    s.enqueueSample(sample(1));
    s.enqueueEvent(event(1));
    await s.flush();

    expect(server.requests.map((r) => r.status)).toEqual([503, 200]);
    expect(server.requests[1]!.batch!.batchId).toBe(server.requests[0]!.batch!.batchId);
    expect(s.stats()).toMatchObject({ sentBatches: 1, sentSamples: 1, sentEvents: 1, retries: 1 });
  });

  it("counts a retry the server had already stored as a duplicate, not as new data", async () => {
    // the first attempt reached Meetscope but its answer was lost (a proxy's 502); the retry, same batchId,
    // is then answered "duplicate" by the server's idempotency check
    server = await startIngestServer((batch, n) =>
      n === 0 ? { status: 502 } : batch && n === 1 ? { status: 200, body: { status: "duplicate", batchId: batch.batchId } } : undefined,
    );
    const s = sender();
    s.enqueueSample(sample(1));
    await s.flush();
    expect(server.requests.map((r) => r.status)).toEqual([502, 200]);
    expect(server.requests[1]!.batch!.batchId).toBe(server.requests[0]!.batch!.batchId);
    expect(s.stats()).toMatchObject({ sentBatches: 1, duplicateBatches: 1 });
  });

  it("waits Retry-After seconds on 429", async () => {
    server = await startIngestServer((_b, n) => (n === 0 ? { status: 429, headers: { "retry-after": "1" }, body: { error: "slow down" } } : undefined));
    const s = sender({ retryBaseMs: 10 }); // the backoff alone would retry after ≤ 10 ms
    s.enqueueSample(sample(1));
    await s.flush();

    expect(server.requests.map((r) => r.status)).toEqual([429, 200]);
    expect(server.requests[1]!.atMs - server.requests[0]!.atMs).toBeGreaterThanOrEqual(1000);
    expect(server.requests[1]!.batch!.batchId).toBe(server.requests[0]!.batch!.batchId);
  });

  it("does not retry a 400 (logs once, drops the batch) and keeps sending later batches", async () => {
    server = await startIngestServer((_b, n) => (n < 2 ? { status: 400, body: { error: "Invalid batch: samples.0.room: bad" } } : undefined));
    const logs: Array<[LogLevel, string]> = [];
    const s = sender({}, logs);
    s.enqueueSample(sample(1));
    await s.flush();
    await new Promise((r) => setTimeout(r, 200)); // several backoff periods: nothing may follow
    expect(server.requests).toHaveLength(1);
    expect(s.stats()).toMatchObject({ rejectedSamples: 1, sentBatches: 0, retries: 0, lastStatus: 400 });

    s.enqueueSample(sample(2));
    await s.flush(); // second 400: dropped again, but not logged again
    s.enqueueSample(sample(3));
    await s.flush();
    expect(server.requests.map((r) => r.status)).toEqual([400, 400, 200]);
    expect(logs.filter(([, m]) => m.includes("400"))).toHaveLength(1);
    expect(logs[0]![1]).toContain("samples.0.room: bad");
  });

  it("does not retry 401 or 403 either", async () => {
    server = await startIngestServer((_b, n) => ({ status: n === 0 ? 401 : 403, body: { error: "no" } }));
    const s = sender();
    s.enqueueSample(sample(1));
    await s.flush();
    s.enqueueEvent(event(2));
    await s.flush();
    expect(server.requests.map((r) => r.status)).toEqual([401, 403]);
    expect(s.stats()).toMatchObject({ rejectedSamples: 1, rejectedEvents: 1, retries: 0 });
  });

  it("splits a batch on 413 until the halves fit, delivering every item exactly once", async () => {
    // this "server" takes at most 2 items per body
    server = await startIngestServer((b) => (b && b.samples.length + b.events.length > 2 ? { status: 413, body: { error: "too large" } } : undefined));
    const s = sender();
    for (let i = 0; i < 5; i++) s.enqueueSample(sample(i));
    s.enqueueEvent(event(9));
    await s.flush();

    // 6 → 413 → 3 + 3; each 3 → 413 → 2 + 1
    expect(server.requests.map((r) => r.status)).toEqual([413, 413, 200, 200, 413, 200, 200]);
    expect(server.acceptedSamples().map((x) => x.endpointId)).toEqual(["ep0", "ep1", "ep2", "ep3", "ep4"]);
    expect(server.acceptedEvents()).toHaveLength(1);
    const ids = server.requests.map((r) => r.batch!.batchId);
    expect(new Set(ids).size).toBe(ids.length); // every body got its own id
    expect(s.stats()).toMatchObject({ sentSamples: 5, sentEvents: 1, rejectedSamples: 0 });
  });

  it("drops a single item that is still too large (413) instead of looping", async () => {
    server = await startIngestServer(() => ({ status: 413 }));
    const s = sender();
    s.enqueueSample(sample(1));
    await s.flush();
    expect(server.requests).toHaveLength(1);
    expect(s.stats().rejectedSamples).toBe(1);
  });

  it("keeps the batch through a network outage and delivers it when the server is back", async () => {
    server = await startIngestServer();
    await server.close(); // connection refused from now on
    const s = sender({ retryBaseMs: 20, retryMaxMs: 80 });
    s.enqueueSample(sample(1));
    s.enqueueSample(sample(2));
    const flushed = s.flush();
    await waitFor(() => s.stats().retries >= 3, 5000, "retries while the server is down");
    expect(s.stats()).toMatchObject({ sentBatches: 0, pendingItems: 2 });
    expect(s.stats().lastError).toBeTruthy();
    // new data during the outage waits in the buffer behind the pending batch
    s.enqueueSample(sample(3));

    await server.reopen();
    await flushed;
    expect(server.acceptedSamples().map((x) => x.endpointId)).toEqual(["ep1", "ep2", "ep3"]);
    expect(server.requests.every((r) => r.status === 200)).toBe(true);
    expect(s.stats()).toMatchObject({ sentSamples: 3, bufferedItems: 0, pendingItems: 0 });
  });

  it("caps the buffer: drops the oldest items and counts them", async () => {
    server = await startIngestServer();
    const s = sender({ maxBufferItems: 5, flushAtSamples: 100 });
    for (let i = 1; i <= 7; i++) s.enqueueSample(sample(i));
    s.enqueueEvent(event(8));
    expect(s.stats()).toMatchObject({ bufferedItems: 5, droppedSamples: 3, droppedEvents: 0 });
    await s.flush();
    expect(server.acceptedSamples().map((x) => x.endpointId)).toEqual(["ep4", "ep5", "ep6", "ep7"]);
    expect(server.acceptedEvents().map((x) => x.endpointId)).toEqual(["ep8"]);
  });

  it("close() gives pending data one last attempt without retrying", async () => {
    server = await startIngestServer(() => ({ status: 503 }));
    const s = sender({ retryBaseMs: 5000, retryMaxMs: 5000 });
    s.enqueueSample(sample(1));
    void s.flush();
    await waitFor(() => server!.requests.length === 1, 2000, "the first attempt");
    s.enqueueSample(sample(2));
    const start = Date.now();
    await s.close(); // wakes the 5 s backoff: one more attempt for the pending batch, one for the buffered sample
    expect(Date.now() - start).toBeLessThan(2000);
    expect(server.requests).toHaveLength(3);
    expect(s.stats()).toMatchObject({ rejectedSamples: 2, pendingItems: 0, bufferedItems: 0 });
  });
});

describe("parseRetryAfterMs", () => {
  it("reads seconds and HTTP dates", () => {
    expect(parseRetryAfterMs("1", 0)).toBe(1000);
    expect(parseRetryAfterMs("0", 0)).toBe(0);
    expect(parseRetryAfterMs(null, 0)).toBeUndefined();
    expect(parseRetryAfterMs("soon", 0)).toBeUndefined();
    expect(parseRetryAfterMs("Wed, 25 Nov 2026 10:15:30 GMT", T0)).toBe(30_000);
  });
});
