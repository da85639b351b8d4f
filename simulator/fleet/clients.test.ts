import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ingestBatchSchema, MAX_SAMPLES_PER_BATCH } from "../../server/ingest/schema";
import { buildBatches, parseRetryAfterMs, startIngestClients } from "./clients";
import { BAD_NETWORK_TARGET, CPU_STARVED_TARGET, FleetModel } from "./model";

const T0 = Date.parse("2026-03-14T10:00:00.000Z");

interface Received {
  authorization: string | undefined;
  contentType: string | undefined;
  body: unknown;
}

/** A stand-in for POST /api/v1/ingest; `respond` decides each answer. */
async function receiver(respond: (n: number, body: unknown) => { status: number; headers?: Record<string, string> }) {
  const received: Received[] = [];
  let n = 0;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body: unknown = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      if (req.url !== "/api/v1/ingest" || req.method !== "POST") {
        res.writeHead(404).end();
        return;
      }
      const answer = respond(n++, body);
      if (answer.status < 300) received.push({ authorization: req.headers.authorization, contentType: req.headers["content-type"], body });
      res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers }).end(JSON.stringify({ ok: answer.status < 300 }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, received, server, count: () => n, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await (cleanups.pop() as () => Promise<void>)();
});

describe("ingest batches", () => {
  it("builds schema-valid batches with samples for every placed participant and the pending events", () => {
    const model = new FleetModel({ startMs: T0, seed: 9, scenario: "bad-network" });
    model.step(T0 + 10_000);
    let id = 0;
    const events = model.drainEvents();
    const batches = buildBatches(model, events, model.nowMs, () => `test-batch-${++id}`);
    expect(batches.length).toBeGreaterThan(0);
    let samples = 0;
    for (const b of batches) {
      const parsed = ingestBatchSchema.safeParse(b);
      expect(parsed.success, parsed.success ? "" : JSON.stringify(parsed.error.issues.slice(0, 3))).toBe(true);
      samples += b.samples?.length ?? 0;
    }
    expect(samples).toBe([...model.participants.values()].filter((p) => p.bridge !== null).length);
    expect(batches.flatMap((b) => b.events ?? []).filter((e) => e.kind === "join").length).toBeGreaterThan(10);
    const target = batches.flatMap((b) => b.samples ?? []).find((s) => s.endpointId === BAD_NETWORK_TARGET.endpointId);
    expect(target?.room).toBe("weekly-sync");
    expect(target?.network?.lossSendFraction).toBeGreaterThan(0.1);
    expect(target?.jitsiMeetingId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("reports the CPU limitation of the cpu-starved target", () => {
    const model = new FleetModel({ startMs: T0, seed: 9, scenario: "cpu-starved", population: false });
    model.step(T0 + 5_000);
    const [batch] = buildBatches(model, [], model.nowMs, () => "test-batch-1");
    const s = batch?.samples?.find((x) => x.endpointId === CPU_STARVED_TARGET.endpointId);
    expect(s?.resources?.qualityLimitationReason).toBe("cpu");
    expect(s?.video?.send?.frameRateFps).toBeLessThan(10);
    expect(s?.video?.send?.heightPx).toBe(180);
  });

  it("splits large populations at the API's per-batch limit", () => {
    const model = new FleetModel({ startMs: T0, seed: 1, bridges: 60 });
    let id = 0;
    const batches = buildBatches(model, model.drainEvents(), model.nowMs, () => `test-batch-${++id}`);
    expect(model.participants.size).toBeGreaterThan(MAX_SAMPLES_PER_BATCH);
    expect(batches.length).toBeGreaterThan(1);
    for (const b of batches) {
      expect(b.samples?.length ?? 0).toBeLessThanOrEqual(MAX_SAMPLES_PER_BATCH);
      expect(ingestBatchSchema.safeParse(b).success).toBe(true);
    }
  });

  it("parses Retry-After as seconds or an HTTP date", () => {
    expect(parseRetryAfterMs("3", 0)).toBe(3_000);
    expect(parseRetryAfterMs(new Date(T0 + 2_000).toUTCString(), T0)).toBe(2_000);
    expect(parseRetryAfterMs(null, 0)).toBeNull();
    expect(parseRetryAfterMs("soon", 0)).toBeNull();
  });
});

describe("ingest clients", () => {
  it("posts batches with the bearer token; every batch validates and has a unique batchId", async () => {
    const rx = await receiver(() => ({ status: 202 }));
    cleanups.push(rx.close);
    const model = new FleetModel({ startMs: T0, seed: 2 });
    const clients = startIngestClients({ model, url: `${rx.url}/`, token: "sim-token-123", intervalMs: 60_000 });
    cleanups.push(() => clients.stop());
    await clients.flush();
    model.step(T0 + 10_000);
    await clients.flush();
    expect(rx.received.length).toBeGreaterThanOrEqual(2);
    const ids = new Set<string>();
    for (const r of rx.received) {
      expect(r.authorization).toBe("Bearer sim-token-123");
      expect(r.contentType).toBe("application/json");
      const parsed = ingestBatchSchema.safeParse(r.body);
      expect(parsed.success).toBe(true);
      if (parsed.success) ids.add(parsed.data.batchId);
    }
    expect(ids.size).toBe(rx.received.length);
    expect(clients.stats).toMatchObject({ batchesSent: rx.received.length, buffered: 0, batchesRejected: 0 });
  });

  it("honours Retry-After on 429 and retries the same batchId", async () => {
    const rx = await receiver((n) => (n === 0 ? { status: 429, headers: { "retry-after": "1" } } : { status: 202 }));
    cleanups.push(rx.close);
    const model = new FleetModel({ startMs: T0, seed: 2, population: false });
    const clients = startIngestClients({ model, url: rx.url, token: "t", intervalMs: 60_000 });
    cleanups.push(() => clients.stop());
    const t = Date.now();
    await clients.flush();
    expect(rx.count()).toBe(1);
    expect(clients.stats.rateLimited).toBe(1);
    await new Promise((r) => setTimeout(r, 1_300));
    expect(rx.count()).toBe(2);
    expect(Date.now() - t).toBeGreaterThanOrEqual(1_000);
    expect(rx.received).toHaveLength(1);
    expect(clients.stats.batchesSent).toBe(1);
  });

  it("buffers while the receiver is down and delivers once it is back", async () => {
    const model = new FleetModel({ startMs: T0, seed: 2, population: false });
    // a port with nobody listening
    const probe = await receiver(() => ({ status: 202 }));
    const port = new URL(probe.url).port;
    await probe.close();
    const clients = startIngestClients({ model, url: `http://127.0.0.1:${port}`, token: "t", intervalMs: 60_000, backoffBaseMs: 50, maxBufferedBatches: 3 });
    cleanups.push(() => clients.stop());
    await clients.flush();
    model.step(T0 + 5_000);
    await clients.flush();
    expect(clients.stats.buffered).toBe(2);
    expect(clients.stats.retries).toBeGreaterThanOrEqual(1);
    expect(clients.stats.lastError).toBeTruthy();
    // bring a receiver up on the same port
    const received: unknown[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        received.push(JSON.parse(Buffer.concat(chunks).toString("utf8")));
        res.writeHead(202).end();
      });
    });
    await new Promise<void>((r) => server.listen(Number(port), "127.0.0.1", r));
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    for (let i = 0; i < 40 && received.length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    expect(received).toHaveLength(2);
    for (const b of received) expect(ingestBatchSchema.safeParse(b).success).toBe(true);
    expect(clients.stats.buffered).toBe(0);
  });

  it("drops batches the API rejects (4xx other than 408/429) instead of retrying forever", async () => {
    const rx = await receiver(() => ({ status: 401 }));
    cleanups.push(rx.close);
    const model = new FleetModel({ startMs: T0, seed: 2, population: false });
    const clients = startIngestClients({ model, url: rx.url, token: "wrong", intervalMs: 60_000 });
    cleanups.push(() => clients.stop());
    await clients.flush();
    expect(clients.stats).toMatchObject({ batchesRejected: 1, buffered: 0 });
    expect(clients.stats.lastError).toMatch(/^HTTP 401/);
  });
});
