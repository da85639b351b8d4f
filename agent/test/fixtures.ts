/** Shared getStats and lib-jitsi-meet fixtures for the agent tests. */

export const REF = { room: "Team-Standup", endpointId: "a1b2c3d4", jitsiMeetingId: "6f1c2b1e-1d2a-4c3b-9a8f-0123456789ab" };

export const T0 = 1_764_065_700_000; // 2025-11-25T10:15:00Z, stats timestamps are epoch ms in Chrome
export const T1 = T0 + 10_000; // lib-jitsi-meet's pcStatsInterval

export type S = Record<string, unknown>;

/**
 * A Chrome-like JVB peer connection: VP8 simulcast (3 layers) + audio sent, two remote video and two remote
 * audio streams received. `b` is the second snapshot 10 s later; every delta is spelled out where it is used.
 */
export function report(b: boolean, overrides: Record<string, S> = {}): S[] {
  const t = b ? T1 : T0;
  const stats: S[] = [
    { id: "COT01_96", type: "codec", timestamp: t, mimeType: "video/VP8", payloadType: 96 },
    { id: "COT01_111", type: "codec", timestamp: t, mimeType: "audio/opus", payloadType: 111 },
    { id: "CIT01_96", type: "codec", timestamp: t, mimeType: "video/VP8", payloadType: 96 },
    // simulcast layers: q 180p, h 360p, f 720p
    { id: "OT01V1001", type: "outbound-rtp", kind: "video", ssrc: 1001, rid: "q", timestamp: t, active: true, codecId: "COT01_96", bytesSent: b ? 1_187_500 : 1_000_000, packetsSent: b ? 2500 : 2000, frameHeight: 180, frameWidth: 320, framesPerSecond: 30, qualityLimitationReason: "none" },
    { id: "OT01V1002", type: "outbound-rtp", kind: "video", ssrc: 1002, rid: "h", timestamp: t, active: true, codecId: "COT01_96", bytesSent: b ? 3_500_000 : 3_000_000, packetsSent: b ? 5000 : 4000, frameHeight: 360, frameWidth: 640, framesPerSecond: 30, qualityLimitationReason: "none" },
    { id: "OT01V1003", type: "outbound-rtp", kind: "video", ssrc: 1003, rid: "f", timestamp: t, active: true, codecId: "COT01_96", bytesSent: b ? 11_875_000 : 10_000_000, packetsSent: b ? 14_000 : 12_000, frameHeight: 720, frameWidth: 1280, framesPerSecond: b ? 29.5 : 30, qualityLimitationReason: "none" },
    { id: "OT01A2001", type: "outbound-rtp", kind: "audio", ssrc: 2001, timestamp: t, codecId: "COT01_111", bytesSent: b ? 440_000 : 400_000, packetsSent: b ? 20_500 : 20_000 },
    // the bridge's receiver reports about our 720p layer and our audio
    { id: "RI01V1003", type: "remote-inbound-rtp", kind: "video", ssrc: 1003, localId: "OT01V1003", timestamp: t, roundTripTime: b ? 0.045 : 0.05, packetsLost: b ? 30 : 10, fractionLost: 0.004 },
    { id: "RI01A2001", type: "remote-inbound-rtp", kind: "audio", ssrc: 2001, localId: "OT01A2001", timestamp: t, roundTripTime: b ? 0.047 : 0.05, packetsLost: 5, fractionLost: 0 },
    // two remote participants' video (720p and 360p)
    { id: "IT01V3001", type: "inbound-rtp", kind: "video", ssrc: 3001, timestamp: t, codecId: "CIT01_96", bytesReceived: b ? 6_250_000 : 5_000_000, packetsReceived: b ? 7000 : 6000, packetsLost: b ? 15 : 10, frameHeight: 720, frameWidth: 1280, framesPerSecond: 30 },
    { id: "IT01V3002", type: "inbound-rtp", kind: "video", ssrc: 3002, timestamp: t, codecId: "CIT01_96", bytesReceived: b ? 1_375_000 : 1_000_000, packetsReceived: b ? 2390 : 2000, packetsLost: b ? 3 : 0, frameHeight: 360, frameWidth: 640, framesPerSecond: 24 },
    // two remote participants' audio
    { id: "IT01A4001", type: "inbound-rtp", kind: "audio", ssrc: 4001, timestamp: t, bytesReceived: b ? 337_500 : 300_000, packetsReceived: b ? 15_500 : 15_000, packetsLost: b ? 4 : 2, jitter: b ? 0.012 : 0.01, totalSamplesReceived: b ? 5_280_000 : 4_800_000, concealedSamples: b ? 5800 : 1000 },
    { id: "IT01A4002", type: "inbound-rtp", kind: "audio", ssrc: 4002, timestamp: t, bytesReceived: b ? 110_000 : 100_000, packetsReceived: b ? 5100 : 5000, packetsLost: 0, jitter: b ? 0.018 : 0.02, totalSamplesReceived: b ? 2_480_000 : 2_000_000, concealedSamples: 500 },
    // ICE: the selected pair is host/udp to the bridge; an unselected relay pair must be ignored
    { id: "T01", type: "transport", timestamp: t, selectedCandidatePairId: "CPhost" },
    { id: "CPhost", type: "candidate-pair", timestamp: t, localCandidateId: "Lhost", remoteCandidateId: "Rhost", state: "succeeded", nominated: true, currentRoundTripTime: 0.044, availableOutgoingBitrate: 2_500_000 },
    { id: "CPrelay", type: "candidate-pair", timestamp: t, localCandidateId: "Lrelay", remoteCandidateId: "Rhost", state: "succeeded", nominated: false, currentRoundTripTime: 0.09 },
    { id: "Lhost", type: "local-candidate", timestamp: t, candidateType: "host", protocol: "udp" },
    { id: "Lrelay", type: "local-candidate", timestamp: t, candidateType: "relay", protocol: "udp", relayProtocol: "tls" },
    { id: "Rhost", type: "remote-candidate", timestamp: t, candidateType: "host", protocol: "udp" },
  ];
  return stats.map((s) => ({ ...s, ...overrides[s.id as string] }));
}


/** lib-jitsi-meet's `cq.local_stats_updated` object for endpoint a1b2c3d4 (shape from RTPStatsCollector + ConnectionQuality). */
export const LIB_STATS = {
  bitrate: { upload: 1832, download: 2210, audio: { upload: 32, download: 61 }, video: { upload: 1800, download: 2149 } },
  packetLoss: { upload: 3, download: 12, total: 8 }, // integer percent
  bandwidth: { upload: 2500, download: 4200 },
  connectionQuality: 87.5,
  jvbRTT: 48,
  transport: [{ ip: "203.0.113.9:10000", localip: "192.0.2.4:50000", type: "udp", localCandidateType: "srflx", remoteCandidateType: "host", networkType: "wifi", p2p: false, rtt: 47 }],
  resolution: {
    a1b2c3d4: { "1001": { width: 320, height: 180 }, "1003": { width: 1280, height: 720 } },
    remote01: { "3001": { width: 640, height: 360 } },
    remote02: { "3002": { width: 1280, height: 720 } },
  },
  framerate: { a1b2c3d4: { "1001": 30, "1003": 28 }, remote01: { "3001": 24 }, remote02: { "3002": 30 } },
  codec: { a1b2c3d4: { "1003": { video: "VP9" }, "2001": { audio: "opus" } }, remote02: { "3002": { video: "AV1" } } },
};

