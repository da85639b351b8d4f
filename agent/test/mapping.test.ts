import { describe, expect, expectTypeOf, it } from "vitest";
import type { z } from "zod";
import { eventSchema, sampleSchema } from "../../server/ingest/schema";
import {
  checkParticipantRef,
  eventFromJitsi,
  figuresFromLibStats,
  figuresFromRtcStats,
  mergeFigures,
  statsList,
  statsSnapshot,
  toEvent,
  toSample,
  type IngestEventBody,
  type IngestSampleBody,
  type StatsSnapshot,
} from "../src/mapping";
import { LIB_STATS as libStats, REF, report, T0, T1, type S } from "./fixtures";

// The agent cannot import zod at runtime, so its output types are hand-written; keep them assignable.
expectTypeOf<IngestSampleBody>().toExtend<z.input<typeof sampleSchema>>();
expectTypeOf<IngestEventBody>().toExtend<z.input<typeof eventSchema>>();

const snap = (stats: S[], takenAtMs: number): StatsSnapshot => statsSnapshot(stats, takenAtMs);
const A = () => snap(report(false), T0);
const B = () => snap(report(true), T1);

describe("figuresFromRtcStats → toSample", () => {
  it("maps two snapshots 10 s apart to the exact sample", () => {
    const sample = toSample(REF, figuresFromRtcStats(B(), A()), T1);
    expect(sample).toEqual({
      room: "team-standup", // lower-cased like Jitsi
      endpointId: "a1b2c3d4",
      jitsiMeetingId: "6f1c2b1e-1d2a-4c3b-9a8f-0123456789ab",
      sampledAt: "2025-11-25T10:15:10.000Z",
      video: {
        // Δbytes × 8 / Δms: q 187 500 B → 150, h 500 000 B → 400, f 1 875 000 B → 1500; sum 2050 kbps
        // top layer that moved bytes: f (720p) at 29.5 fps; codec from COT01_96 "video/VP8"
        send: { bitrateKbps: 2050, heightPx: 720, frameRateFps: 29.5, codec: "VP8" },
        // 1 250 000 B → 1000 kbps, 375 000 B → 300 kbps; the 720p stream at 30 fps
        recv: { bitrateKbps: 1300, heightPx: 720, frameRateFps: 30, codec: "VP8" },
      },
      audio: {
        send: { bitrateKbps: 32 }, // 40 000 B × 8 / 10 000 ms
        recv: {
          bitrateKbps: 38, // 37 500 B → 30 + 10 000 B → 8
          jitterMs: 13, // (12 ms × 500 pkts + 18 ms × 100 pkts) / 600 pkts
          concealedFraction: 0.005, // (4800 + 0) / (480 000 + 480 000)
        },
      },
      network: {
        rttMs: 46, // mean of remote-inbound-rtp 45 ms and 47 ms (preferred over the pair's 44 ms)
        lossSendFraction: 0.008, // Δlost (20 + 0) / Δsent of the linked outbound streams (2000 + 500)
        lossRecvFraction: 0.005, // Δlost (5+3+2+0 = 10) / (10 + Δreceived 1000+390+500+100 = 1990)
        availableSendBandwidthKbps: 2500, // 2 500 000 bps
        transport: "udp",
        relayed: false,
      },
      resources: { qualityLimitationReason: "none" },
    });
    expect(sampleSchema.safeParse(sample).success).toBe(true);
  });

  it("leaves rates out on the first snapshot but keeps gauges", () => {
    const sample = toSample(REF, figuresFromRtcStats(A(), null), T0);
    expect(sample.video?.send).toEqual({ heightPx: 720, frameRateFps: 30, codec: "VP8" });
    expect(sample.video?.recv).toEqual({ heightPx: 720, frameRateFps: 30, codec: "VP8" });
    expect(sample.audio?.send).toBeUndefined();
    // no deltas: jitter weighted by cumulative packets, (10 × 15 000 + 20 × 5000) / 20 000 = 12.5 ms
    expect(sample.audio?.recv).toEqual({ jitterMs: 12.5 });
    // fractionLost fallback, weighted by packets sent: (0.004 × 12 000 + 0 × 20 000) / 32 000 = 0.0015
    expect(sample.network).toEqual({ rttMs: 50, lossSendFraction: 0.0015, availableSendBandwidthKbps: 2500, transport: "udp", relayed: false });
    expect(sampleSchema.safeParse(sample).success).toBe(true);
  });

  it("skips a stream whose counters went backwards (reset) instead of sending a negative rate", () => {
    // the 720p layer was recreated: its bytesSent restarted from 50 000
    const reset = snap(report(true, { OT01V1003: { bytesSent: 50_000, packetsSent: 40 } }), T1);
    const sample = toSample(REF, figuresFromRtcStats(reset, A()), T1);
    expect(sample.video?.send?.bitrateKbps).toBe(550); // q 150 + h 400 only
    // its remote-inbound report cannot be paired with a delta any more: loss from audio alone, 0 / 500
    expect(sample.network?.lossSendFraction).toBe(0);
    expect(sampleSchema.safeParse(sample).success).toBe(true);

    // every stream reset (e.g. a new peer connection reusing ids): no rates at all rather than zeros
    const allReset = snap(report(false).map((s) => ({ ...s, timestamp: T1, bytesSent: 1, bytesReceived: 1, packetsSent: 1, packetsReceived: 1 })), T1);
    const figures = figuresFromRtcStats(allReset, A());
    expect(figures.video?.send?.bitrateKbps).toBeUndefined();
    expect(figures.audio?.recv?.bitrateKbps).toBeUndefined();
    expect(figures.network?.lossRecvFraction).toBeUndefined();
  });

  it("does not divide by zero: same timestamp, no samples received", () => {
    const same = snap(report(false), T0);
    const figures = figuresFromRtcStats(same, A());
    expect(figures.video?.send?.bitrateKbps).toBeUndefined();
    expect(figures.audio?.recv?.concealedFraction).toBeUndefined();
    expect(figures.network?.lossRecvFraction).toBeUndefined();

    const silent = snap(report(true, { IT01A4001: { totalSamplesReceived: 4_800_000, concealedSamples: 1000 }, IT01A4002: { totalSamplesReceived: 2_000_000 } }), T1);
    expect(figuresFromRtcStats(silent, A()).audio?.recv?.concealedFraction).toBeUndefined();
  });

  it("handles missing stats: an empty report gives an empty sample body", () => {
    const sample = toSample(REF, figuresFromRtcStats(snap([], T1), snap([], T0)), T1);
    expect(sample).toEqual({ room: "team-standup", endpointId: "a1b2c3d4", jitsiMeetingId: REF.jitsiMeetingId, sampledAt: "2025-11-25T10:15:10.000Z" });
  });

  it("detects TURN relay over TLS as tcp + relayed (relayProtocol is the participant → TURN leg)", () => {
    const relayed = snap(report(true, { T01: { selectedCandidatePairId: "CPrelay" } }), T1);
    const sample = toSample(REF, figuresFromRtcStats(relayed, A()), T1);
    expect(sample.network?.transport).toBe("tcp");
    expect(sample.network?.relayed).toBe(true);
    expect(sample.network?.availableSendBandwidthKbps).toBeUndefined(); // the relay pair has none
  });

  it("detects ICE-TCP to the bridge without relay, and Firefox's `selected` pair without a transport stat", () => {
    const tcp = report(true, { Lhost: { protocol: "tcp", tcpType: "active" }, CPhost: { selected: true } }).filter((s) => s.type !== "transport");
    const sample = toSample(REF, figuresFromRtcStats(snap(tcp, T1), A()), T1);
    expect(sample.network?.transport).toBe("tcp");
    expect(sample.network?.relayed).toBe(false);
  });

  it("falls back to the pair's currentRoundTripTime before any RTCP receiver report", () => {
    const noRr = report(true).filter((s) => s.type !== "remote-inbound-rtp");
    expect(figuresFromRtcStats(snap(noRr, T1), A()).network?.rttMs).toBeCloseTo(44, 6);
  });

  it("reports a cpu limitation when any layer is cpu-limited, and ignores a suspended layer's stale height", () => {
    const cpu = snap(
      report(true, {
        OT01V1002: { qualityLimitationReason: "bandwidth" },
        OT01V1001: { qualityLimitationReason: "cpu" },
        // the 720p layer is switched off: no bytes since A, `active: false`, frameHeight still 720
        OT01V1003: { active: false, bytesSent: 10_000_000, packetsSent: 12_000 },
      }),
      T1,
    );
    const sample = toSample(REF, figuresFromRtcStats(cpu, A()), T1);
    expect(sample.resources?.qualityLimitationReason).toBe("cpu");
    expect(sample.video?.send).toEqual({ bitrateKbps: 550, heightPx: 360, frameRateFps: 30, codec: "VP8" });
  });

  it("reads an RTCStatsReport-like map as well as an array", () => {
    const map = new Map(report(true).map((s) => [s.id as string, s]));
    expect(statsList(map)).toHaveLength(report(true).length);
    expect(figuresFromRtcStats(statsSnapshot(map, T1), A())).toEqual(figuresFromRtcStats(B(), A()));
  });
});

describe("figuresFromLibStats (lib-jitsi-meet cq.local_stats_updated)", () => {
  it("maps bitrates, integer-percent loss → fraction, quality, RTT, transport and per-direction video", () => {
    const sample = toSample(REF, figuresFromLibStats(libStats, "a1b2c3d4"), T1);
    expect(sample).toEqual({
      room: "team-standup",
      endpointId: "a1b2c3d4",
      jitsiMeetingId: REF.jitsiMeetingId,
      sampledAt: "2025-11-25T10:15:10.000Z",
      video: {
        send: { bitrateKbps: 1800, heightPx: 720, frameRateFps: 28, codec: "VP9" }, // our own entries
        recv: { bitrateKbps: 2149, heightPx: 720, frameRateFps: 30, codec: "AV1" }, // everyone else's
      },
      audio: { send: { bitrateKbps: 32 }, recv: { bitrateKbps: 61 } },
      network: { rttMs: 48, lossSendFraction: 0.03, lossRecvFraction: 0.12, availableSendBandwidthKbps: 2500, availableRecvBandwidthKbps: 4200, transport: "udp", relayed: false },
      connectionQuality: 87.5,
    });
    expect(sampleSchema.safeParse(sample).success).toBe(true);
  });

  it("reads relay from the candidate types and survives garbage", () => {
    const relayed = figuresFromLibStats({ ...libStats, transport: [{ type: "tcp", localCandidateType: "relay", remoteCandidateType: "host" }] }, "a1b2c3d4");
    expect(relayed.network?.transport).toBe("tcp");
    expect(relayed.network?.relayed).toBe(true);
    expect(figuresFromLibStats(null, "x")).toEqual({});
    const junk = toSample(REF, figuresFromLibStats({ bitrate: { video: { upload: Number.NaN } }, packetLoss: { upload: "3" }, connectionQuality: 140, resolution: 5 }, "x"), T1);
    expect(junk.connectionQuality).toBe(100);
    expect(junk.video).toBeUndefined();
    expect(junk.network).toBeUndefined();
    expect(sampleSchema.safeParse(junk).success).toBe(true);
  });

  it("only fills gaps when merged into getStats figures", () => {
    const merged = mergeFigures(figuresFromRtcStats(B(), A()), figuresFromLibStats(libStats, "a1b2c3d4"));
    const sample = toSample(REF, merged, T1);
    expect(sample.video?.send?.bitrateKbps).toBe(2050); // getStats wins
    expect(sample.network?.availableRecvBandwidthKbps).toBe(4200); // only lib-jitsi-meet knows (bridge estimate)
    expect(sample.connectionQuality).toBe(87.5);
  });
});

describe("toSample / toEvent sanitizing", () => {
  it("omits unknown and out-of-range figures, rounds integers, clamps fractions", () => {
    const sample = toSample(
      { room: " Room ", endpointId: "e1", displayName: "d".repeat(250), jitsiMeetingId: "not-a-uuid" },
      {
        video: { send: { bitrateKbps: 1234.6, heightPx: 719.6, frameRateFps: 999, codec: "   " } },
        audio: { recv: { jitterMs: Number.POSITIVE_INFINITY, concealedFraction: 1.02 } },
        network: { rttMs: -1, lossSendFraction: -0.001, lossRecvFraction: Number.NaN },
        resources: { memoryUsedMb: 312.4 },
      },
      T1,
    );
    expect(sample).toEqual({
      room: "room",
      endpointId: "e1",
      displayName: "d".repeat(200),
      sampledAt: "2025-11-25T10:15:10.000Z",
      video: { send: { bitrateKbps: 1235, heightPx: 720 } },
      audio: { recv: { concealedFraction: 1 } },
      network: { lossSendFraction: 0 },
      resources: { memoryUsedMb: 312 },
    });
    expect(sampleSchema.safeParse(sample).success).toBe(true);
  });

  it("refuses refs the server would refuse", () => {
    expect(checkParticipantRef({ room: "a room", endpointId: "e" }).ok).toBe(false);
    expect(checkParticipantRef({ room: "a/b", endpointId: "e" }).ok).toBe(false);
    expect(checkParticipantRef({ room: "ok", endpointId: "" }).ok).toBe(false);
    expect(checkParticipantRef({ room: "ok", endpointId: "x".repeat(65) }).ok).toBe(false);
    expect(checkParticipantRef({ room: "OK", endpointId: "e" })).toEqual({ ok: true, ref: { room: "ok", endpointId: "e" } });
  });

  it("builds events that pass eventSchema, keeping only schema-safe detail values", () => {
    const event = toEvent(REF, "reconnect", T1, { interruptedMs: 4200, note: "x".repeat(600), nested: { a: 1 }, bad: Number.NaN, p2p: false });
    expect(event).toEqual({
      room: "team-standup",
      endpointId: "a1b2c3d4",
      jitsiMeetingId: REF.jitsiMeetingId,
      kind: "reconnect",
      occurredAt: "2025-11-25T10:15:10.000Z",
      detail: { interruptedMs: 4200, note: "x".repeat(500), p2p: false },
    });
    expect(eventSchema.safeParse(event).success).toBe(true);
    expect(toEvent(REF, "join", T1)).not.toHaveProperty("detail");
  });
});

describe("eventFromJitsi", () => {
  it("maps lib-jitsi-meet conference and connection events to ingest kinds", () => {
    expect(eventFromJitsi("conference.joined")).toEqual({ kind: "join" });
    expect(eventFromJitsi("conference.left")).toEqual({ kind: "leave", detail: { reason: "left" } });
    expect(eventFromJitsi("conference.kicked", [{}])).toEqual({ kind: "leave", detail: { reason: "kicked" } });
    expect(eventFromJitsi("conference.failed", ["conference.iceFailed"])).toEqual({ kind: "ice_failure", detail: { error: "conference.iceFailed" } });
    expect(eventFromJitsi("conference.failed", ["conference.focusLeft"])).toEqual({ kind: "leave", detail: { reason: "conference_failed", error: "conference.focusLeft" } });
    expect(eventFromJitsi("conference.connectionRestored")).toEqual({ kind: "reconnect" });
    expect(eventFromJitsi("connection.connectionFailed", ["connection.otherError"])).toEqual({
      kind: "leave",
      detail: { reason: "connection_failed", error: "connection.otherError" },
    });
    expect(eventFromJitsi("conference.connectionInterrupted")).toBeNull();
    expect(eventFromJitsi("conference.dominantSpeaker", ["x"])).toBeNull();
  });
});
