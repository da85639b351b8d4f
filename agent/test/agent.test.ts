import { afterEach, describe, expect, it } from "vitest";
import { attachToJitsiMeet, jvbGetStats, startMeetscopeAgent, type JitsiMeetAttachment, type MeetscopeAgent, type RawStats } from "../src/agent";
import { LIB_STATS, REF, report } from "./fixtures";
import { startIngestServer, waitFor, type IngestServer } from "./ingest-server";

const TOKEN = "msi_test_token";
const MEETING_ID = "6f1c2b1e-1d2a-4c3b-9a8f-0123456789ab";

let server: IngestServer | undefined;
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
  await server?.close();
  server = undefined;
});

/** getStats that plays the given reports in order, then null (no peer connection any more). */
function playback(reports: RawStats[]): () => Promise<RawStats> | null {
  return () => {
    const next = reports.shift();
    return next ? Promise.resolve(next) : null;
  };
}

function agent(options: Partial<Parameters<typeof startMeetscopeAgent>[0]>): MeetscopeAgent {
  const a = startMeetscopeAgent({
    url: server!.url,
    token: TOKEN,
    room: REF.room,
    endpointId: REF.endpointId,
    jitsiMeetingId: REF.jitsiMeetingId,
    intervalMs: 100,
    getStats: () => null,
    reportJsHeap: false,
    sender: { flushIntervalMs: 50, retryBaseMs: 20 },
    log: () => undefined,
    ...options,
  });
  cleanups.push(() => a.stop());
  return a;
}

describe("startMeetscopeAgent", () => {
  it("polls getStats, maps consecutive snapshots and posts the samples", async () => {
    server = await startIngestServer();
    const a = agent({ getStats: playback([report(false), report(true)]) });
    await waitFor(() => server!.acceptedSamples().length === 2, 3000, "two samples");
    await new Promise((r) => setTimeout(r, 300)); // later ticks get null: no more samples

    const [first, second] = server.acceptedSamples();
    // first tick: baseline, gauges only
    expect(first!.video?.send).toEqual({ heightPx: 720, frameRateFps: 30, codec: "VP8" });
    expect(first!.audio?.send).toBeUndefined();
    // second tick: the deltas of the fixture (see mapping.test.ts for the arithmetic)
    expect(second).toMatchObject({
      room: "team-standup",
      endpointId: "a1b2c3d4",
      jitsiMeetingId: REF.jitsiMeetingId,
      video: { send: { bitrateKbps: 2050, heightPx: 720 }, recv: { bitrateKbps: 1300 } },
      network: { rttMs: 46, lossSendFraction: 0.008, lossRecvFraction: 0.005 },
    });
    expect(server.acceptedSamples()).toHaveLength(2);
    expect(server.requests.every((r) => r.schemaError === null)).toBe(true);
    expect(a.stats().sentSamples).toBe(2);
  });

  it("falls back to lib-jitsi-meet stats when getStats is unavailable, once per update", async () => {
    server = await startIngestServer();
    const a = agent({ getStats: () => null });
    a.recordLocalStats(LIB_STATS);
    await waitFor(() => server!.acceptedSamples().length === 1, 3000, "the lib-jitsi-meet sample");
    await new Promise((r) => setTimeout(r, 300));
    expect(server.acceptedSamples()).toHaveLength(1); // not re-sent on every tick
    expect(server.acceptedSamples()[0]).toMatchObject({ connectionQuality: 87.5, network: { lossSendFraction: 0.03, lossRecvFraction: 0.12 } });
  });

  it("survives a getStats that throws or rejects", async () => {
    server = await startIngestServer();
    let n = 0;
    const a = agent({
      getStats: () => {
        n++;
        if (n === 1) throw new Error("boom");
        return Promise.reject(new Error("closed"));
      },
    });
    await waitFor(() => n >= 3, 3000, "a few ticks");
    a.recordEvent("join");
    await a.flush();
    expect(server.acceptedEvents()).toHaveLength(1);
  });

  it("flushes at once on leave and refuses a room the server would refuse", async () => {
    server = await startIngestServer();
    const a = agent({ sender: { flushIntervalMs: 60_000 } });
    a.recordEvent("join");
    a.recordEvent("leave", { reason: "left" });
    await waitFor(() => server!.acceptedEvents().length === 2, 2000, "the leave flush");
    expect(server.acceptedEvents().map((e) => e.kind)).toEqual(["join", "leave"]);
    expect(() => agent({ room: "not a room" })).toThrow(/room/);
  });
});

// ---------------------------------------------------------------------------------------------------------------

type Handler = (...args: unknown[]) => void;

/** Just enough of lib-jitsi-meet's JitsiConference (Listenable + the getters the agent reads). */
class FakeConference {
  handlers = new Map<string, Set<Handler>>();
  joined = false;
  p2p = false;
  reports: RawStats[] = [report(false), report(true)];
  jvbJingleSession = {
    peerconnection: {
      peerconnection: {
        getStats: (): Promise<RawStats> => Promise.resolve(this.reports.shift() ?? report(true)),
      },
    },
  };
  on(name: string, h: Handler) {
    if (!this.handlers.has(name)) this.handlers.set(name, new Set());
    this.handlers.get(name)!.add(h);
  }
  off(name: string, h: Handler) {
    this.handlers.get(name)?.delete(h);
  }
  emit(name: string, ...args: unknown[]) {
    for (const h of this.handlers.get(name) ?? []) h(...args);
  }
  myUserId() {
    return "a1b2c3d4";
  }
  getName() {
    return "standup";
  }
  getMeetingUniqueId() {
    return this.joined ? MEETING_ID : undefined;
  }
  isJoined() {
    return this.joined;
  }
  isP2PActive() {
    return this.p2p;
  }
}

describe("attachToJitsiMeet", () => {
  it("waits for APP.conference._room, then records events and samples from the JVB connection", async () => {
    server = await startIngestServer();
    const conference = new FakeConference();
    // jitsi-meet's bundle has not run yet when the agent starts: pass a getter
    const page: { APP?: { conference: { _room?: unknown }; connection: FakeConference } } = {};
    const attachment: JitsiMeetAttachment = attachToJitsiMeet(() => page.APP, {
      url: server.url,
      token: TOKEN,
      intervalMs: 100,
      watchIntervalMs: 100,
      reportJsHeap: false,
      sender: { flushIntervalMs: 50 },
      log: () => undefined,
    });
    cleanups.push(() => attachment.stop());
    await new Promise((r) => setTimeout(r, 150));
    page.APP = { conference: {}, connection: new FakeConference() };
    await new Promise((r) => setTimeout(r, 250));
    expect(attachment.agent()).toBeNull(); // prejoin screen: no conference yet

    page.APP.conference._room = conference;
    await waitFor(() => attachment.agent() !== null, 2000, "the attach");
    // events before the join (prejoin failures) are not a participant leaving
    conference.emit("conference.left");
    conference.joined = true;
    conference.emit("conference.joined");
    conference.emit("cq.local_stats_updated", LIB_STATS);
    conference.emit("conference.connectionInterrupted");
    await new Promise((r) => setTimeout(r, 30));
    conference.emit("conference.connectionRestored");
    conference.emit("conference.failed", "conference.iceFailed");
    // a poll may run before the lib stats arrive: wait for a getStats sample that carries them
    await waitFor(() => server!.acceptedSamples().some((s) => s.video?.send?.bitrateKbps === 2050 && s.connectionQuality === 87.5), 3000, "a getStats sample");

    conference.p2p = true; // media now bypasses the bridge: no samples
    await new Promise((r) => setTimeout(r, 150));
    const samplesBeforeP2p = server.acceptedSamples().length;
    await new Promise((r) => setTimeout(r, 300));
    expect(server.acceptedSamples()).toHaveLength(samplesBeforeP2p);

    conference.emit("conference.left");
    await waitFor(() => server!.acceptedEvents().some((e) => e.kind === "leave"), 2000, "the leave event");

    const events = server.acceptedEvents();
    expect(events.map((e) => e.kind)).toEqual(["join", "reconnect", "ice_failure", "leave"]);
    expect(events[0]).toMatchObject({ room: "standup", endpointId: "a1b2c3d4", jitsiMeetingId: MEETING_ID });
    expect(events[1]!.detail?.interruptedMs).toBeGreaterThanOrEqual(20);
    expect(events[2]!.detail).toEqual({ error: "conference.iceFailed" });
    // lib-jitsi-meet's connectionQuality is merged into the getStats samples
    const full = server.acceptedSamples().find((s) => s.video?.send?.bitrateKbps === 2050 && s.connectionQuality !== undefined);
    expect(full).toMatchObject({ connectionQuality: 87.5, jitsiMeetingId: MEETING_ID });
    expect(full).not.toHaveProperty("displayName"); // not sent unless includeDisplayName
    expect(server.requests.every((r) => r.schemaError === null)).toBe(true);
  });

  it("finds the conference through the redux store when APP.conference._room is gone", async () => {
    server = await startIngestServer();
    const conference = new FakeConference();
    const APP = { store: { getState: () => ({ "features/base/conference": { conference } }) } };
    const attachment = attachToJitsiMeet(APP, { url: server.url, token: TOKEN, intervalMs: 100, watchIntervalMs: 100, log: () => undefined });
    cleanups.push(() => attachment.stop());
    await waitFor(() => attachment.agent() !== null, 2000, "the attach");
    conference.joined = true;
    conference.emit("conference.joined");
    await attachment.agent()!.flush();
    expect(server.acceptedEvents().map((e) => e.kind)).toEqual(["join"]);
  });

  it("never throws into the page, whatever APP looks like", () => {
    const throwing = () => {
      throw new Error("x");
    };
    for (const app of [undefined, null, 42, {}, throwing, { conference: { _room: { getName: throwing } } }, { store: { getState: throwing } }]) {
      const a = attachToJitsiMeet(app, { url: "http://127.0.0.1:9", token: TOKEN, log: () => undefined, sender: { fetch: () => Promise.reject(new Error("no")) } });
      expect(a.agent()).toBeNull();
      a.stop();
    }
    expect(jvbGetStats({ isP2PActive: () => false, jvbJingleSession: { peerconnection: { peerconnection: { getStats: () => { throw new Error("closed"); } } } } })).toBeNull();
    expect(jvbGetStats({ isP2PActive: () => true })).toBeNull();
    expect(jvbGetStats(null)).toBeNull();
  });
});
