import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Collector } from "@/server/collector/collector";
import { closedPort, routes, sendJson, sendText, startServer, type TestServer } from "@/server/jitsi/test-server";
import { openTestDb, type TestDb } from "./db";

/**
 * Fault tests over real sockets: one collector polls a healthy bridge, a dead port, a bridge slower than the
 * timeout, one answering HTML, one with COLIBRI REST disabled and one that flaps. The healthy bridge keeps its
 * pace, every other failure is recorded with its reason, and every transition of the flapping one is recorded.
 */

const stats = JSON.parse(readFileSync("server/jitsi/fixtures/jvb-colibri-stats.json", "utf8")) as Record<string, unknown>;
const INTERVAL_MS = 300;
const TIMEOUT_MS = 250;
const RUN_MS = 4000;

let testDb: TestDb;
const servers: TestServer[] = [];
let urls: Record<"good" | "slow" | "html" | "disabled" | "flappy" | "dead", string>;
let collector: Collector;

beforeAll(async () => {
  testDb = await openTestDb("pglite");
  const serve = async (handler: Parameters<typeof startServer>[0]) => {
    const s = await startServer(handler);
    servers.push(s);
    return s.url;
  };
  let flapCount = 0;
  urls = {
    good: await serve(routes({ "/colibri/stats": (_q, res) => sendJson(res, 200, { ...stats, current_timestamp: undefined }) })),
    slow: await serve(routes({ "/colibri/stats": (_q, res) => setTimeout(() => sendJson(res, 200, stats), TIMEOUT_MS * 4) })),
    html: await serve(routes({ "/colibri/stats": (_q, res) => sendText(res, 502, "<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html") })),
    disabled: await serve(routes({})),
    // two answers, then two failures, and so on: up, down, up, down…
    flappy: await serve(routes({ "/colibri/stats": (_q, res) => (Math.floor(flapCount++ / 2) % 2 === 0 ? sendJson(res, 200, stats) : sendText(res, 500, "boom")) })),
    dead: `http://127.0.0.1:${await closedPort()}`,
  };
  collector = new Collector({
    db: testDb.db,
    collector: { intervalMs: INTERVAL_MS, timeoutMs: TIMEOUT_MS, concurrency: 8, rawRetentionHours: 1 },
    sources: { jvb: Object.entries(urls).map(([name, url]) => ({ url, bridgeName: name })), jicofo: [] },
    log: () => {},
  });
  const started = Date.now();
  await collector.start();
  await new Promise((r) => setTimeout(r, RUN_MS - (Date.now() - started)));
  await collector.stop();
}, 30_000);

afterAll(async () => {
  for (const s of servers) await s.close();
  await testDb.close();
});

const sourceOf = (name: keyof typeof urls) =>
  testDb.db.source.findUniqueOrThrow({ where: { url: urls[name] }, include: { transitions: { orderBy: { at: "asc" } }, bridges: true } });

describe("collector against faulty sources", () => {
  it("keeps polling the healthy bridge at its pace, unaffected by the others", async () => {
    const bridge = await testDb.db.bridge.findUniqueOrThrow({ where: { name: "good" } });
    const samples = await testDb.db.bridgeSample.count({ where: { bridgeId: bridge.id } });
    // ~RUN_MS / INTERVAL_MS = 13 polls if nothing slowed it down; a slow source (1 s answers, 250 ms timeout)
    // in the same loop would cut it to about 4. Half is allowed for start-up and a loaded CI machine.
    expect(samples).toBeGreaterThanOrEqual(Math.floor((RUN_MS / INTERVAL_MS) * 0.5));
    expect(bridge.status).toBe("UP");
    expect(bridge.region).toBe("eu-central-1");
    expect(bridge.version).toBe("2.3.209-g1a2b3c4d");
    const sample = await testDb.db.bridgeSample.findFirstOrThrow({ where: { bridgeId: bridge.id } });
    expect(sample).toMatchObject({ stressLevel: 0.23, endpoints: 23, bitrateDownloadKbps: 9840, rttAggregateMs: 42.7, outgoingLossFraction: 0.0113 });
    const source = await sourceOf("good");
    expect(source.lastSuccessAt).toBeInstanceOf(Date);
    expect(source.transitions.map((t) => t.to)).toEqual(["up"]);
  });

  it.each([
    ["dead", /refused|ECONNREFUSED|unreachable/i],
    ["slow", /no answer|time/i],
    ["html", /502/],
    ["disabled", /COLIBRI REST/],
  ] as const)("marks the %s source down with the reason, and its bridge down", async (name, reason) => {
    const source = await sourceOf(name);
    expect(source.downSince).toBeInstanceOf(Date);
    expect(source.lastError).toMatch(reason);
    expect(source.transitions.map((t) => t.to)).toEqual(["down"]);
    expect(source.transitions[0]!.reason).toMatch(reason);
    expect(source.bridges[0]!.status).toBe("DOWN");
    expect(source.bridges[0]!.statusReason).toMatch(reason);
  });

  it("backs off a failing source instead of hammering it", async () => {
    const dead = await sourceOf("dead");
    const good = await sourceOf("good");
    expect(dead.consecutiveFailures).toBeGreaterThanOrEqual(2);
    // with backoff 300, 600, 1200, 2400 ms the dead port is tried about 4-5 times in 4 s, not 13
    expect(dead.consecutiveFailures).toBeLessThanOrEqual(6);
    expect(good.consecutiveFailures).toBe(0);
  });

  it("records every transition of a flapping source", async () => {
    const flappy = await sourceOf("flappy");
    const sequence = flappy.transitions.map((t) => t.to);
    expect(sequence.length).toBeGreaterThanOrEqual(3);
    expect(sequence[0]).toBe("up");
    sequence.forEach((to, i) => i > 0 && expect(to).not.toBe(sequence[i - 1]));
    expect(flappy.transitions.find((t) => t.to === "down")!.reason).toMatch(/500/);
    expect(flappy.transitions.filter((t) => t.to === "up").slice(1)[0]?.reason ?? "").toMatch(/recovered after/);
  });
});
