import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleIngest, ingestLimiter } from "../../server/ingest/handler";
import { authenticateToken, createToken } from "../../server/tokens/tokens";
import { openTestDb, type TestDb } from "../../tests/db";
import { figuresFromRtcStats, statsSnapshot, toEvent, toSample } from "../src/mapping";
import { BatchSender, ingestUrl } from "../src/sender";
import { REF, report, T0, T1 } from "./fixtures";

/**
 * The agent against Meetscope's real ingest path (token check as in withTier("ingestToken"), handleIngest,
 * PGlite): the samples it builds are stored, a retried batch is stored once, a 413 split stores everything.
 */

let testDb: TestDb;
let secret: string;
let server: Server;
let baseUrl: string;
/** Answers the next N requests with 502 AFTER Meetscope stored them (a proxy losing the answer) */
let loseAnswers = 0;
let statuses: number[] = [];

beforeAll(async () => {
  testDb = await openTestDb("pglite");
  secret = (await createToken(testDb.db, { name: "agent test", scope: "ingest", createdBy: "test" })).secret;
  const deps = { db: testDb.db, maxBodyBytes: 6000, limiter: ingestLimiter(1_000_000) };
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      try {
        const request = new Request(`http://meetscope.test${req.url}`, {
          method: req.method,
          headers: Object.entries(req.headers).flatMap(([k, v]) => (typeof v === "string" ? [[k, v] as [string, string]] : [])),
          body: Buffer.concat(chunks),
        });
        const auth = await authenticateToken(testDb.db, request.headers.get("authorization"), "ingest");
        let response = auth.ok ? await handleIngest(request, auth.token, deps) : Response.json({ error: auth.message }, { status: auth.status });
        if (loseAnswers > 0) {
          loseAnswers--;
          response = new Response("bad gateway", { status: 502 });
        }
        statuses.push(response.status);
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
      } catch (error) {
        res.writeHead(500);
        res.end(String(error));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await testDb.close();
});

const newSender = (token = secret) => new BatchSender({ url: ingestUrl(baseUrl), token, flushIntervalMs: 60_000, retryBaseMs: 20, log: () => undefined });

describe("agent → Meetscope ingest (real handler, PGlite)", () => {
  it("stores the mapped samples and events; a retry after a lost answer is stored once", async () => {
    statuses = [];
    const s = newSender();
    const first = statsSnapshot(report(false), T0);
    s.enqueueEvent(toEvent(REF, "join", T0));
    s.enqueueSample(toSample(REF, figuresFromRtcStats(first, null), T0));
    s.enqueueSample(toSample(REF, figuresFromRtcStats(statsSnapshot(report(true), T1), first), T1));
    loseAnswers = 1;
    await s.flush();
    s.stop();

    expect(statuses).toEqual([502, 200]); // the second answer is {"status":"duplicate"}
    expect(s.stats()).toMatchObject({ sentBatches: 1, duplicateBatches: 1, retries: 1 });
    expect(await testDb.db.participantSample.count()).toBe(2);
    expect(await testDb.db.participantEvent.count()).toBe(1);
    const row = await testDb.db.participantSample.findFirst({ where: { videoSendBitrateKbps: 2050 } });
    expect(row).toMatchObject({ videoSendBitrateKbps: 2050, rttMs: 46, lossSendFraction: 0.008, lossRecvFraction: 0.005, transportProtocol: "udp", relayed: false });
  });

  it("splits batches the server finds too large (413) and stores every sample", async () => {
    statuses = [];
    const before = await testDb.db.participantSample.count();
    const s = newSender();
    // ~900 bytes each against a 6000-byte limit: 20 samples need several splits
    const snapshot = statsSnapshot(report(true), T1);
    const figures = figuresFromRtcStats(snapshot, statsSnapshot(report(false), T0));
    for (let i = 0; i < 20; i++) s.enqueueSample(toSample({ ...REF, endpointId: `split${i}` }, figures, T1 + i * 1000));
    await s.flush();
    s.stop();
    expect(statuses).toContain(413);
    expect(statuses.filter((x) => x === 200).length).toBeGreaterThan(1);
    expect(s.stats()).toMatchObject({ sentSamples: 20, rejectedSamples: 0 });
    expect((await testDb.db.participantSample.count()) - before).toBe(20);
  });

  it("drops batches refused for a bad token without retrying", async () => {
    statuses = [];
    const s = newSender("msc_i_not_a_token");
    s.enqueueSample(toSample(REF, { network: { rttMs: 1 } }, T1));
    await s.flush();
    s.stop();
    expect(statuses).toEqual([401]);
    expect(s.stats()).toMatchObject({ rejectedSamples: 1, retries: 0 });
  });
});
