import { afterEach, describe, expect, it } from "vitest";
import bridgeSelector from "./fixtures/jicofo-bridge-selector.json";
import jicofoStats from "./fixtures/jicofo-stats.json";
import { createJicofoClient, JICOFO_DISABLED_HINTS } from "./jicofo";
import { routes, sendJson, sendText, sourceErrorOf, startServer, type Handler, type TestServer } from "./test-server";
import type { JicofoBridge } from "./types";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function jicofoServing(handler: Handler) {
  server = await startServer(handler);
  return { server, jicofo: createJicofoClient(server.url, { timeoutMs: 2000 }) };
}

const JVB1_JID = "jvbbrewery@internal.auth.example.org/jvb1";

/** GET /debug wraps bridge_selector with the other components' state. */
function debugAnswer(selector: unknown) {
  return { focus_manager: { "standup@conference.meet.example.org": 4 }, bridge_selector: selector, jibri_detector: { count: 0 }, av_moderation: {} };
}

describe("Jicofo /stats contract", () => {
  it("normalizes the reference example (§2.3) exactly", async () => {
    const { jicofo, server } = await jicofoServing(routes({ "/stats": (_req, res) => sendJson(res, 200, jicofoStats) }));
    expect(await jicofo.stats()).toEqual({
      conferences: 4,
      participants: 23,
      largestConference: 11,
      bridgeCount: 3,
      operationalBridgeCount: 3,
      inShutdownBridgeCount: 0,
      lostBridges: 0,
      version: "1.0-1120-g5e6f7a8b",
      healthy: true,
    });
    expect(server.requests[0]?.method).toBe("GET");
  });

  it("gives healthy null when health checks are off (healthy/health absent), and reads health.success alone", async () => {
    const { healthy: _h, health: _hh, slow_health_check: _s, ...withoutHealth } = jicofoStats;
    let body: object = withoutHealth;
    const { jicofo } = await jicofoServing(routes({ "/stats": (_req, res) => sendJson(res, 200, body) }));
    expect((await jicofo.stats()).healthy).toBeNull();
    body = { ...withoutHealth, health: { success: false, hardFailure: true, responseCode: null, sticky: false, message: "No operational bridges" } };
    expect((await jicofo.stats()).healthy).toBe(false);
  });

  it("tolerates a minimal /stats (no bridge_selector, no largest_conference)", async () => {
    const { jicofo } = await jicofoServing(routes({ "/stats": (_req, res) => sendJson(res, 200, { conferences: 0, participants: 0, threads: 40 }) }));
    expect(await jicofo.stats()).toEqual({
      conferences: 0,
      participants: 0,
      largestConference: null,
      bridgeCount: null,
      operationalBridgeCount: null,
      inShutdownBridgeCount: null,
      lostBridges: null,
      version: null,
      healthy: null,
    });
  });

  it("reads /about/version", async () => {
    const { jicofo } = await jicofoServing(
      routes({ "/about/version": (_req, res) => sendJson(res, 200, { name: "JiCoFo", version: "1.0-1120-g5e6f7a8b", os: "Linux" }) }),
    );
    expect(await jicofo.version()).toEqual({ name: "JiCoFo", version: "1.0-1120-g5e6f7a8b", os: "Linux" });
  });
});

describe("Jicofo /debug → bridge_selector contract", () => {
  const jvb1: JicofoBridge = {
    jid: JVB1_JID,
    name: "jvb1",
    stressLevel: 0.23,
    correctedStress: 0.25,
    endpoints: 23,
    drain: false,
    gracefulShutdown: false,
    shuttingDown: false,
    healthy: true,
    operational: true,
    overloaded: false,
    failingIce: false,
    region: "eu-central-1",
    version: "2.3.209-g1a2b3c4d",
    release: null,
    relayId: null,
  };

  it("normalizes the reference example: name from the JID, \"null\" strings become null", async () => {
    const { jicofo } = await jicofoServing(routes({ "/debug": (_req, res) => sendJson(res, 200, debugAnswer(bridgeSelector)) }));
    expect(await jicofo.debug()).toEqual({ selectionStrategy: "SingleBridgeSelectionStrategy", bridges: [jvb1] });
  });

  it("reads an older Jicofo (no corrected-stress / failing-ice) and a draining bridge with every string \"null\"", async () => {
    const selector = {
      strategy: "RegionBasedBridgeSelectionStrategy",
      bridge: {
        ...bridgeSelector.bridge,
        "jvbbrewery@internal.auth.example.org/jvb2": {
          drain: true,
          endpoints: 0,
          "endpoint-restart-requests": 0,
          "graceful-shutdown": false,
          healthy: true,
          operational: true,
          overloaded: false,
          region: "null",
          "relay-id": "null",
          release: "null",
          "shutting-down": false,
          stress: 0.91,
          version: "null",
          "some-future-key": [1],
        },
      },
    };
    const { jicofo } = await jicofoServing(routes({ "/debug": (_req, res) => sendJson(res, 200, debugAnswer(selector)) }));
    const debug = await jicofo.debug();
    expect(debug.selectionStrategy).toBe("RegionBasedBridgeSelectionStrategy");
    expect(debug.bridges).toEqual([
      jvb1,
      {
        jid: "jvbbrewery@internal.auth.example.org/jvb2",
        name: "jvb2",
        stressLevel: 0.91,
        correctedStress: 0.91,
        endpoints: 0,
        drain: true,
        gracefulShutdown: false,
        shuttingDown: false,
        healthy: true,
        operational: true,
        overloaded: false,
        failingIce: false,
        region: null,
        version: null,
        release: null,
        relayId: null,
      },
    ]);
  });

  it("names the bridge and field when a required one is missing", async () => {
    const { operational: _o, ...broken } = bridgeSelector.bridge[JVB1_JID];
    const selector = { strategy: "SingleBridgeSelectionStrategy", bridge: { [JVB1_JID]: broken } };
    const { jicofo } = await jicofoServing(routes({ "/debug": (_req, res) => sendJson(res, 200, debugAnswer(selector)) }));
    const err = await sourceErrorOf(jicofo.debug());
    expect(err.kind).toBe("invalid");
    expect(err.message).toContain(`bridge_selector.bridge["${JVB1_JID}"].operational: missing (expected boolean)`);
  });

  it('maps 404 on /debug to "disabled" with the Jicofo debug hint', async () => {
    const { jicofo } = await jicofoServing(routes({}));
    const err = await sourceErrorOf(jicofo.debug());
    expect(err.kind).toBe("disabled");
    expect(err.message).toContain(JICOFO_DISABLED_HINTS.debug);
  });
});

describe("Jicofo move-endpoints", () => {
  const moved = (_req: unknown, res: Parameters<Handler>[1]) => sendJson(res, 200, { movedEndpoints: 3, conferences: 2 });
  const moveRoutes = routes({
    "/move-endpoints/move-endpoint": moved,
    "/move-endpoints/move-endpoints": moved,
    "/move-endpoints/move-fraction": moved,
  });

  it("uses GET with query parameters, omitting the optional ones not given", async () => {
    const { jicofo, server } = await jicofoServing(moveRoutes);
    expect(await jicofo.moveEndpoint({ conference: "standup@conference.meet.example.org", endpoint: "3f9e2a1b" })).toEqual({
      movedEndpoints: 3,
      conferences: 2,
    });
    await jicofo.moveEndpoint({ conference: "standup@conference.meet.example.org", endpoint: "3f9e2a1b", bridge: "jvb2" });
    await jicofo.moveEndpoints({ bridge: JVB1_JID });
    await jicofo.moveEndpoints({ bridge: "jvb1", conference: "standup@conference.meet.example.org", numEndpoints: 5 });
    await jicofo.moveFraction({ bridge: "jvb1" });
    await jicofo.moveFraction({ bridge: "jvb1", fraction: 0.25 });

    expect(server.requests.map((r) => r.method)).toEqual(["GET", "GET", "GET", "GET", "GET", "GET"]);
    expect(server.requests.map((r) => r.body)).toEqual(["", "", "", "", "", ""]);
    expect(server.requests.map((r) => `${r.path}?${r.search}`)).toEqual([
      "/move-endpoints/move-endpoint?conference=standup%40conference.meet.example.org&endpoint=3f9e2a1b",
      "/move-endpoints/move-endpoint?conference=standup%40conference.meet.example.org&endpoint=3f9e2a1b&bridge=jvb2",
      "/move-endpoints/move-endpoints?bridge=jvbbrewery%40internal.auth.example.org%2Fjvb1",
      "/move-endpoints/move-endpoints?bridge=jvb1&conference=standup%40conference.meet.example.org&numEndpoints=5",
      "/move-endpoints/move-fraction?bridge=jvb1",
      "/move-endpoints/move-fraction?bridge=jvb1&fraction=0.25",
    ]);
    // The decoded values are what Jicofo sees.
    expect(server.requests[2]?.query.get("bridge")).toBe(JVB1_JID);
  });

  it('surfaces 500 "Not found: …" (unknown bridge) as kind http with the text', async () => {
    const { jicofo } = await jicofoServing(
      routes({ "/move-endpoints/move-endpoints": (_req, res) => sendText(res, 500, "Not found: Bridge not found: jvb9") }),
    );
    const err = await sourceErrorOf(jicofo.moveEndpoints({ bridge: "jvb9" }));
    expect(err).toMatchObject({ kind: "http", httpStatus: 500 });
    expect(err.message).toContain("Not found: Bridge not found: jvb9");
  });

  it('surfaces 400 "Bad request: …" as kind http with the text', async () => {
    const { jicofo } = await jicofoServing(
      routes({ "/move-endpoints/move-fraction": (_req, res) => sendText(res, 400, "Bad request: Missing parameter: bridge") }),
    );
    const err = await sourceErrorOf(jicofo.moveFraction({ bridge: "" }));
    expect(err).toMatchObject({ kind: "http", httpStatus: 400 });
    expect(err.message).toContain("Bad request: Missing parameter: bridge");
  });

  it('maps 404 to "disabled": jicofo.rest.move-endpoints is off', async () => {
    const { jicofo } = await jicofoServing(routes({}));
    const err = await sourceErrorOf(jicofo.moveEndpoint({ conference: "a@b", endpoint: "c" }));
    expect(err.kind).toBe("disabled");
    expect(err.message).toContain("jicofo.rest.move-endpoints.enabled=true");
  });

  it("rejects a reply without movedEndpoints", async () => {
    const { jicofo } = await jicofoServing(routes({ "/move-endpoints/move-fraction": (_req, res) => sendJson(res, 200, { moved: 1 }) }));
    const err = await sourceErrorOf(jicofo.moveFraction({ bridge: "jvb1" }));
    expect(err.kind).toBe("invalid");
    expect(err.message).toContain("movedEndpoints: missing");
  });
});
