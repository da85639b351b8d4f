import { afterEach, describe, expect, it } from "vitest";
import colibriStats from "./fixtures/jvb-colibri-stats.json";
import colibriStats2019 from "./fixtures/jvb-colibri-stats-2019.json";
import { createJvbClient, JVB_DISABLED_HINTS } from "./jvb";
import { routes, sendJson, sendText, sourceErrorOf, startServer, type Handler, type TestServer } from "./test-server";
import type { JvbStats } from "./types";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function jvbServing(handler: Handler) {
  server = await startServer(handler);
  return { server, jvb: createJvbClient(server.url, { timeoutMs: 2000 }) };
}

const statsAnswer = (body: unknown): Handler => routes({ "/colibri/stats": (_req, res) => sendJson(res, 200, body) });

/** A copy of the reference example without some keys. */
function without(keys: string[], body: Record<string, unknown> = colibriStats): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([k]) => !keys.includes(k)));
}

describe("JVB /colibri/stats contract", () => {
  it("normalizes the reference example (§1.4) exactly", async () => {
    const { jvb, server } = await jvbServing(statsAnswer(colibriStats));
    const expected: JvbStats = {
      sampledAt: new Date("2025-03-14T10:22:31.418Z"),
      stressLevel: 0.23,
      conferences: 4,
      endpoints: 23,
      localEndpoints: 23,
      largestConference: 11,
      endpointsSendingAudio: 6,
      endpointsSendingVideo: 15,
      bitrateDownloadKbps: 9840,
      bitrateUploadKbps: 21310,
      packetRateDownloadPps: 1450,
      packetRateUploadPps: 2890,
      rttAggregateMs: 42.7,
      incomingLossFraction: 0.0041,
      outgoingLossFraction: 0.0113,
      overallLossFraction: 0.0079,
      relaySendBitrateKbps: 0,
      relayReceiveBitrateKbps: 0,
      healthy: true,
      drain: false,
      gracefulShutdown: false,
      shuttingDown: false,
      version: "2.3.209-g1a2b3c4d",
      region: "eu-central-1",
      relayId: null,
      threads: 142,
    };
    expect(await jvb.stats()).toEqual(expected);
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["GET /colibri/stats"]);
  });

  it("converts octo bitrates from bps to kbps and keeps bit_rate_* as kbps", async () => {
    const { jvb } = await jvbServing(
      statsAnswer({ ...colibriStats, octo_send_bitrate: 2_500_000, octo_receive_bitrate: 1_234_567, bit_rate_download: 777, relay_id: "jvb1-relay" }),
    );
    const stats = await jvb.stats();
    expect(stats.relaySendBitrateKbps).toBe(2500);
    expect(stats.relayReceiveBitrateKbps).toBe(1234.567);
    expect(stats.bitrateDownloadKbps).toBe(777);
    expect(stats.relayId).toBe("jvb1-relay");
  });

  it("reads an old (2019) bridge: participants and loss_rate_*, removed keys, no endpoints/incoming_loss/drain", async () => {
    const { jvb } = await jvbServing(statsAnswer(colibriStats2019));
    expect(await jvb.stats()).toEqual({
      sampledAt: new Date("2019-06-01T08:00:00.050Z"),
      stressLevel: 0.05,
      conferences: 2,
      endpoints: 6,
      localEndpoints: null,
      largestConference: 4,
      endpointsSendingAudio: null,
      endpointsSendingVideo: null,
      bitrateDownloadKbps: 1200,
      bitrateUploadKbps: 3400,
      packetRateDownloadPps: 310,
      packetRateUploadPps: 640,
      rttAggregateMs: 55.5,
      incomingLossFraction: 0.02,
      outgoingLossFraction: 0.01,
      overallLossFraction: null,
      relaySendBitrateKbps: null,
      relayReceiveBitrateKbps: null,
      healthy: null,
      drain: false,
      gracefulShutdown: false,
      shuttingDown: false,
      version: "1.1.0",
      region: null,
      relayId: null,
      threads: 60,
    } satisfies JvbStats);
  });

  it("prefers endpoints over the deprecated participants and incoming_loss over loss_rate_download", async () => {
    const { jvb } = await jvbServing(statsAnswer({ ...colibriStats, participants: 99, loss_rate_download: 0.5, loss_rate_upload: 0.5 }));
    const stats = await jvb.stats();
    expect(stats.endpoints).toBe(23);
    expect(stats.incomingLossFraction).toBe(0.0041);
    expect(stats.outgoingLossFraction).toBe(0.0113);
  });

  it("gives null for keys present only when configured, and the arrival time without current_timestamp", async () => {
    const { jvb } = await jvbServing(statsAnswer(without(["region", "relay_id", "release", "threads", "current_timestamp", "healthy"])));
    const before = Date.now();
    const stats = await jvb.stats();
    expect(stats).toMatchObject({ region: null, relayId: null, threads: null, healthy: null });
    expect(stats.sampledAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(stats.sampledAt.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it("accepts unknown extra keys, integer/float spellings and the string \"null\" for optional text", async () => {
    const raw = JSON.stringify({ ...colibriStats, region: "null", future_metric: { nested: [1, 2] }, tcc_unmatched_feedback: 3 })
      .replace('"stress_level":0.23', '"stress_level":1')
      .replace('"conferences":4', '"conferences":4.0')
      .replace('"rtt_aggregate":42.7', '"rtt_aggregate":0');
    const { jvb } = await jvbServing(statsAnswer(raw));
    const stats = await jvb.stats();
    expect(stats).toMatchObject({ stressLevel: 1, conferences: 4, rttAggregateMs: 0, region: null });
  });

  it('answers 404 with kind "disabled" and the COLIBRI REST hint (stock bridge)', async () => {
    const { jvb } = await jvbServing(routes({}));
    const err = await sourceErrorOf(jvb.stats());
    expect(err.kind).toBe("disabled");
    expect(err.httpStatus).toBe(404);
    expect(err.message).toContain(JVB_DISABLED_HINTS.colibri);
    expect(err.message).toContain("COLIBRI_REST_ENABLED=true");
    expect(err.url).toBe(`${server?.url}/colibri/stats`);
  });

  it("names every missing required field", async () => {
    const { jvb } = await jvbServing(statsAnswer(without(["endpoints", "participants", "incoming_loss"])));
    const err = await sourceErrorOf(jvb.stats());
    expect(err.kind).toBe("invalid");
    expect(err.message).toContain("endpoints: missing");
    expect(err.message).toContain("incoming_loss: missing");
    expect(err.message).not.toContain("outgoing_loss");
  });

  it("rejects a malformed current_timestamp naming the field", async () => {
    const { jvb } = await jvbServing(statsAnswer({ ...colibriStats, current_timestamp: "yesterday" }));
    const err = await sourceErrorOf(jvb.stats());
    expect(err.kind).toBe("invalid");
    expect(err.message).toContain("current_timestamp:");
  });

  it("keeps a path prefix of the base URL (bridge behind a reverse proxy)", async () => {
    server = await startServer((_req, res) => sendJson(res, 200, colibriStats));
    const jvb = createJvbClient(`${server.url}/jvb/jvb1/`, { timeoutMs: 2000 });
    await jvb.stats();
    expect(server.requests[0]?.path).toBe("/jvb/jvb1/colibri/stats");
  });

  it("refuses a base URL that is not http(s) at creation", () => {
    expect(() => createJvbClient("jvb1:8080", { timeoutMs: 1000 })).toThrow(/http/);
    expect(() => createJvbClient("not a url", { timeoutMs: 1000 })).toThrow(/not a URL/);
  });
});

describe("JVB /debug contract", () => {
  const debugBody = {
    shutdown_state: "RUNNING",
    drain: false,
    time: 1741947751418,
    load_management: { state: "NOT_OVERLOADED", stress: "0.23", reducer_enabled: "false" },
    overall_bridge_jitter: 1.7,
    conferences: {
      "4a1b9c0d2e3f": {
        id: "4a1b9c0d2e3f",
        rtcstatsEnabled: false,
        name: "standup@conference.meet.example.org",
        meeting_id: "0c5d4e0e-3f3a-4c47-8e3a-5b8a8c3f1d22",
        endpoints: { "Garett-w1o": "Garett-w1o", "3f9e2a1b": "Lina-x7q" },
        relays: [],
      },
      "5b2c0d1e3f40": "null",
    },
    health: { success: true, hardFailure: false, responseCode: null, message: null },
  };

  it("parses string-valued load_management, drops conferences that are the string \"null\", asks for the SHORT form", async () => {
    const { jvb, server } = await jvbServing(routes({ "/debug": (_req, res) => sendJson(res, 200, debugBody) }));
    expect(await jvb.debug()).toEqual({
      shutdownState: "RUNNING",
      drain: false,
      loadManagement: { state: "NOT_OVERLOADED", stress: 0.23, reducerEnabled: false },
      conferences: [
        {
          jvbConferenceId: "4a1b9c0d2e3f",
          name: "standup@conference.meet.example.org",
          meetingId: "0c5d4e0e-3f3a-4c47-8e3a-5b8a8c3f1d22",
          endpointIds: ["Garett-w1o", "3f9e2a1b"],
        },
      ],
    });
    expect(server.requests[0]?.search).toBe("full=false");
  });

  it("accepts an overloaded bridge with a reducer and a minimal answer", async () => {
    const body = { shutdown_state: "GRACEFUL_SHUTDOWN", load_management: { state: "OVERLOADED", stress: "1.08", reducer_enabled: "true" } };
    const { jvb } = await jvbServing(routes({ "/debug": (_req, res) => sendJson(res, 200, body) }));
    expect(await jvb.debug()).toEqual({
      shutdownState: "GRACEFUL_SHUTDOWN",
      drain: null,
      loadManagement: { state: "OVERLOADED", stress: 1.08, reducerEnabled: true },
      conferences: [],
    });
  });
});

describe("JVB health, version, drain and shutdown", () => {
  it("reads 200 with an empty body as healthy", async () => {
    const { jvb } = await jvbServing(routes({ "/about/health": (_req, res) => sendJson(res, 200, "") }));
    expect(await jvb.health()).toEqual({ healthy: true, failure: null, httpStatus: 200, message: null });
  });

  it("returns 503 as a soft failure and 500 as a hard failure, with the text body as message", async () => {
    let status = 503;
    const { jvb } = await jvbServing(
      routes({ "/about/health": (_req, res) => sendText(res, status, status === 503 ? "Soft failure: ICE check timed out\n" : "No health check run in 90 s") }),
    );
    expect(await jvb.health()).toEqual({ healthy: false, failure: "soft", httpStatus: 503, message: "Soft failure: ICE check timed out" });
    status = 500;
    expect(await jvb.health()).toEqual({ healthy: false, failure: "hard", httpStatus: 500, message: "No health check run in 90 s" });
  });

  it("throws for other statuses (a proxy's 502 is not the bridge's verdict)", async () => {
    const { jvb } = await jvbServing(routes({ "/about/health": (_req, res) => sendText(res, 502, "<html>Bad Gateway</html>", "text/html") }));
    const err = await sourceErrorOf(jvb.health());
    expect(err.kind).toBe("http");
    expect(err.httpStatus).toBe(502);
  });

  it("reads /about/version", async () => {
    const { jvb } = await jvbServing(
      routes({ "/about/version": (_req, res) => sendJson(res, 200, { name: "JVB", version: "2.3.209-g1a2b3c4d", os: "Linux" }) }),
    );
    expect(await jvb.version()).toEqual({ name: "JVB", version: "2.3.209-g1a2b3c4d", os: "Linux" });
  });

  it("reads and sets drain with GET /colibri/drain and POST /colibri/drain/enable|disable", async () => {
    let drain = false;
    const { jvb, server } = await jvbServing(
      routes({
        "/colibri/drain": (_req, res) => sendJson(res, 200, { drain }),
        "/colibri/drain/enable": (req, res) => {
          drain = req.method === "POST" ? true : drain;
          sendText(res, 200, "");
        },
        "/colibri/drain/disable": (req, res) => {
          drain = req.method === "POST" ? false : drain;
          sendText(res, 200, "");
        },
      }),
    );
    expect(await jvb.drainState()).toBe(false);
    await jvb.setDrain(true);
    expect(await jvb.drainState()).toBe(true);
    await jvb.setDrain(false);
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "GET /colibri/drain",
      "POST /colibri/drain/enable",
      "GET /colibri/drain",
      "POST /colibri/drain/disable",
    ]);
  });

  it('maps a 404 on /colibri/drain* to "disabled" with the drain hint', async () => {
    const { jvb } = await jvbServing(routes({}));
    const err = await sourceErrorOf(jvb.setDrain(true));
    expect(err.kind).toBe("disabled");
    expect(err.message).toContain("videobridge.rest.drain.enabled=true");
  });

  it("posts {graceful-shutdown} as JSON to /colibri/shutdown; 404 means shutdown/COLIBRI REST is off", async () => {
    let enabled = true;
    const { jvb, server } = await jvbServing((req, res) => (enabled && req.path === "/colibri/shutdown" ? sendText(res, 200, "") : sendText(res, 404, "")));
    await jvb.shutdown(true);
    await jvb.shutdown(false);
    expect(server.requests.map((r) => [r.method, r.path, r.contentType, r.body])).toEqual([
      ["POST", "/colibri/shutdown", "application/json", '{"graceful-shutdown":true}'],
      ["POST", "/colibri/shutdown", "application/json", '{"graceful-shutdown":false}'],
    ]);
    enabled = false;
    const err = await sourceErrorOf(jvb.shutdown(true));
    expect(err.kind).toBe("disabled");
    expect(err.message).toContain("videobridge.rest.shutdown.enabled=true");
    expect(err.message).toContain("COLIBRI_REST_ENABLED=true");
  });

  it("surfaces a 500 from shutdown as kind http with the text", async () => {
    const { jvb } = await jvbServing(routes({ "/colibri/shutdown": (_req, res) => sendText(res, 500, "Shutdown already in progress") }));
    const err = await sourceErrorOf(jvb.shutdown(true));
    expect(err).toMatchObject({ kind: "http", httpStatus: 500 });
    expect(err.message).toContain("Shutdown already in progress");
  });
});
