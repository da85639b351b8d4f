/**
 * Pure mapping from what a Jitsi Meet page can see (WebRTC getStats reports, lib-jitsi-meet's connection
 * stats, lib-jitsi-meet conference/connection events) to the body of Meetscope's POST /api/v1/ingest
 * (server/ingest/schema.ts). Plain data in, plain data out: no DOM, no clock reads (callers pass `nowMs`),
 * no dependencies, so the same code runs in the page and in Node tests.
 *
 * Direction words follow the ingest schema: "send" = participant → bridge, "recv" = bridge → participant.
 * Every number carries its unit in its name.
 */

// ---------------------------------------------------------------------------------------------------------------
// Output shapes (mirror `sampleSchema` / `eventSchema` input types; the tests assert the two stay assignable,
// the agent cannot import zod at runtime because it ships dependency-free)

export type QualityLimitationReason = "none" | "cpu" | "bandwidth" | "other";
export type TransportProtocol = "udp" | "tcp";

export interface VideoFigures {
  bitrateKbps?: number;
  heightPx?: number;
  frameRateFps?: number;
  codec?: string;
}

/** Everything a sample can say about the participant's media, before unit rounding and range checks. */
export interface SampleFigures {
  video?: { send?: VideoFigures; recv?: VideoFigures };
  audio?: {
    send?: { bitrateKbps?: number };
    recv?: { bitrateKbps?: number; jitterMs?: number; concealedFraction?: number };
  };
  network?: {
    rttMs?: number;
    lossSendFraction?: number;
    lossRecvFraction?: number;
    availableSendBandwidthKbps?: number;
    availableRecvBandwidthKbps?: number;
    transport?: TransportProtocol;
    relayed?: boolean;
  };
  resources?: { qualityLimitationReason?: QualityLimitationReason; memoryUsedMb?: number };
  /** lib-jitsi-meet's own 0–100 connection quality */
  connectionQuality?: number;
}

export interface ParticipantRef {
  room: string;
  endpointId: string;
  displayName?: string;
  jitsiMeetingId?: string;
}

export type IngestSampleBody = ParticipantRef & SampleFigures & { sampledAt: string };

export const EVENT_KINDS = ["join", "leave", "reconnect", "ice_failure"] as const;
export type EventKind = (typeof EVENT_KINDS)[number];
export type EventDetail = Record<string, string | number | boolean>;

export type IngestEventBody = ParticipantRef & { kind: EventKind; occurredAt: string; detail?: EventDetail };

// ---------------------------------------------------------------------------------------------------------------
// Small readers for untyped stats objects

/** One entry of an RTCStatsReport (or lib-jitsi-meet object): untyped on purpose, browsers differ. */
export type StatsRecord = Readonly<Record<string, unknown>>;

/** An RTCStatsReport (map-like: forEach gives values first) or a plain array of stats objects. */
export interface StatsInput {
  forEach(callback: (value: unknown) => void): void;
}

const isRecord = (v: unknown): v is StatsRecord => typeof v === "object" && v !== null && !Array.isArray(v);

/** A finite number or undefined; getStats fields are often absent, NaN, or (in old Firefox) strings. */
function num(o: StatsRecord | undefined, key: string): number | undefined {
  const v = o?.[key];
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

function str(o: StatsRecord | undefined, key: string): string | undefined {
  const v = o?.[key];
  return typeof v === "string" && v.length > 0 ? v : undefined;
}

function rec(o: StatsRecord | undefined, key: string): StatsRecord | undefined {
  const v = o?.[key];
  return isRecord(v) ? v : undefined;
}

const sum = (xs: readonly number[]): number | undefined => (xs.length ? xs.reduce((a, b) => a + b, 0) : undefined);

/** Stats objects of a report, whatever container the browser or the caller used. */
export function statsList(report: StatsInput): StatsRecord[] {
  const out: StatsRecord[] = [];
  report.forEach((value) => {
    if (isRecord(value) && typeof value.type === "string") out.push(value);
  });
  return out;
}

/** A getStats result plus the time the agent took it (used only when stats lack their own `timestamp`). */
export interface StatsSnapshot {
  takenAtMs: number;
  stats: readonly StatsRecord[];
}

export function statsSnapshot(report: StatsInput, nowMs: number): StatsSnapshot {
  return { takenAtMs: nowMs, stats: statsList(report) };
}

// ---------------------------------------------------------------------------------------------------------------
// getStats → figures

/** Streams are matched across snapshots by their stats id (stable per SSRC in Chrome and Firefox). */
function keyOf(s: StatsRecord): string {
  return str(s, "id") ?? `${str(s, "type")}:${str(s, "kind") ?? str(s, "mediaType")}:${num(s, "ssrc")}`;
}

const kindOf = (s: StatsRecord) => str(s, "kind") ?? str(s, "mediaType");

/** Counters that only ever grow on a live stream; one going backwards means the stream was recreated. */
const MONOTONIC_COUNTERS = [
  "bytesSent",
  "bytesReceived",
  "packetsSent",
  "packetsReceived",
  "framesEncoded",
  "framesDecoded",
  "totalSamplesReceived",
  "concealedSamples",
] as const;

interface StreamPair {
  cur: StatsRecord;
  /** The same stream in the previous snapshot, when it existed and its counters did not reset */
  prev?: StatsRecord;
  /** Milliseconds between the two observations, > 0 when `prev` is set */
  elapsedMs?: number;
}

function pairStreams(current: readonly StatsRecord[], previous: StatsSnapshot | null, takenAtMs: number, type: string, kind?: string): StreamPair[] {
  const before = new Map<string, StatsRecord>();
  for (const s of previous?.stats ?? []) if (s.type === type) before.set(keyOf(s), s);
  return current
    .filter((s) => s.type === type && (kind === undefined || kindOf(s) === kind))
    .map((cur) => {
      const prev = before.get(keyOf(cur));
      if (!prev || !previous) return { cur };
      // Per-stream timestamps are more exact than our poll time (getStats may resolve late); fall back to the
      // snapshot times for stats without one. Zero or negative → a cached report or clock jump: no rate.
      const t1 = num(cur, "timestamp");
      const t0 = num(prev, "timestamp");
      const elapsedMs = t1 !== undefined && t0 !== undefined ? t1 - t0 : takenAtMs - previous.takenAtMs;
      if (!(elapsedMs > 0)) return { cur };
      const reset = MONOTONIC_COUNTERS.some((c) => {
        const a = num(cur, c);
        const b = num(prev, c);
        return a !== undefined && b !== undefined && a < b;
      });
      return reset ? { cur } : { cur, prev, elapsedMs };
    });
}

/** Δcounter of a pair, undefined when either side lacks it. May be negative (e.g. packetsLost). */
function delta(p: StreamPair, key: string): number | undefined {
  if (!p.prev) return undefined;
  const a = num(p.cur, key);
  const b = num(p.prev, key);
  return a !== undefined && b !== undefined ? a - b : undefined;
}

/** Δbytes × 8 / Δt: bits per millisecond is kilobits per second. */
function kbpsOf(p: StreamPair, bytesKey: string): number | undefined {
  const d = delta(p, bytesKey);
  return d !== undefined && p.elapsedMs ? (d * 8) / p.elapsedMs : undefined;
}

/** Sum of per-stream rates; undefined (unknown) when no stream had a usable delta, e.g. on the first snapshot. */
function totalKbps(pairs: readonly StreamPair[], bytesKey: string): number | undefined {
  return sum(pairs.map((p) => kbpsOf(p, bytesKey)).filter((x): x is number => x !== undefined));
}

function codecName(byId: ReadonlyMap<string, StatsRecord>, s: StatsRecord): string | undefined {
  const codecId = str(s, "codecId");
  const mime = codecId ? str(byId.get(codecId), "mimeType") : undefined;
  // "video/VP8" → "VP8"; the ingest schema and lib-jitsi-meet both use the short name
  return mime ? mime.replace(/^[a-z]+\//i, "") : undefined;
}

/** Frame rate from the browser, or from Δframes when the browser leaves framesPerSecond out (older Firefox). */
function fpsOf(p: StreamPair, framesKey: string): number | undefined {
  const reported = num(p.cur, "framesPerSecond");
  if (reported !== undefined) return reported;
  const d = delta(p, framesKey);
  return d !== undefined && d >= 0 && p.elapsedMs ? (d * 1000) / p.elapsedMs : undefined;
}

/**
 * The stream that shows what the participant really sends or gets: the highest resolution among streams that
 * are flowing. With VP8 simulcast there are up to three outbound-rtp video streams and a suspended layer keeps
 * its last frameHeight, so a layer counts only if it is `active` and (when we can tell) moved bytes.
 */
function topVideoStream(pairs: readonly StreamPair[], bytesKey: string): StreamPair | undefined {
  const live = pairs.filter((p) => p.cur.active !== false && (num(p.cur, "frameHeight") ?? 0) > 0);
  const withDelta = live.filter((p) => delta(p, bytesKey) !== undefined);
  const flowing = withDelta.length ? withDelta.filter((p) => (delta(p, bytesKey) ?? 0) > 0) : live;
  let best: StreamPair | undefined;
  for (const p of flowing) {
    if (!best || (num(p.cur, "frameHeight") ?? 0) > (num(best.cur, "frameHeight") ?? 0)) best = p;
  }
  return best;
}

function videoFigures(pairs: readonly StreamPair[], byId: ReadonlyMap<string, StatsRecord>, dir: "send" | "recv"): VideoFigures {
  const bytesKey = dir === "send" ? "bytesSent" : "bytesReceived";
  const top = topVideoStream(pairs, bytesKey);
  const codecSource = top?.cur ?? pairs.find((p) => str(p.cur, "codecId"))?.cur;
  return {
    bitrateKbps: totalKbps(pairs, bytesKey),
    heightPx: top ? num(top.cur, "frameHeight") : undefined,
    frameRateFps: top ? fpsOf(top, dir === "send" ? "framesSent" : "framesDecoded") : undefined,
    codec: codecSource ? codecName(byId, codecSource) : undefined,
  };
}

const LIMITATION_RANK: Record<QualityLimitationReason, number> = { none: 0, other: 1, bandwidth: 2, cpu: 3 };

/**
 * The most telling reason across outbound video streams: cpu > bandwidth > other > none. A cpu limit on any
 * layer means the encoder is starved, which is what Meetscope uses as the browser's CPU signal.
 */
function qualityLimitation(outboundVideo: readonly StreamPair[]): QualityLimitationReason | undefined {
  let worst: QualityLimitationReason | undefined;
  for (const p of outboundVideo) {
    const raw = str(p.cur, "qualityLimitationReason");
    if (!raw) continue;
    const reason: QualityLimitationReason = raw === "none" || raw === "cpu" || raw === "bandwidth" ? raw : "other";
    if (worst === undefined || LIMITATION_RANK[reason] > LIMITATION_RANK[worst]) worst = reason;
  }
  return worst;
}

/**
 * Receive-side jitter across the incoming audio streams, weighted by packets (Δpackets when we have a previous
 * snapshot, cumulative otherwise): a muted speaker's stream sends few packets and its jitter estimate is stale.
 */
function audioJitterMs(inboundAudio: readonly StreamPair[]): number | undefined {
  let weighted = 0;
  let weights = 0;
  const haveDeltas = inboundAudio.some((p) => p.prev);
  for (const p of inboundAudio) {
    const jitterS = num(p.cur, "jitter");
    if (jitterS === undefined) continue;
    const w = haveDeltas ? (delta(p, "packetsReceived") ?? 0) : (num(p.cur, "packetsReceived") ?? 0);
    if (w <= 0) continue;
    weighted += jitterS * 1000 * w;
    weights += w;
  }
  return weights > 0 ? weighted / weights : undefined;
}

/** Δconcealed / ΔtotalSamplesReceived over all incoming audio; undefined when no samples arrived. */
function concealedFraction(inboundAudio: readonly StreamPair[]): number | undefined {
  let concealed = 0;
  let total = 0;
  for (const p of inboundAudio) {
    const c = delta(p, "concealedSamples");
    const t = delta(p, "totalSamplesReceived");
    if (c === undefined || t === undefined) continue;
    concealed += c;
    total += t;
  }
  return total > 0 ? concealed / total : undefined;
}

/** ΔpacketsLost / (ΔpacketsLost + ΔpacketsReceived) over every incoming stream (W3C webrtc-stats definition). */
function recvLossFraction(inbound: readonly StreamPair[]): number | undefined {
  let lost = 0;
  let received = 0;
  let any = false;
  for (const p of inbound) {
    const r = delta(p, "packetsReceived");
    // packetsLost may legitimately go down (a packet counted lost arrives late), so it is not a reset signal
    const l = delta(p, "packetsLost");
    if (r === undefined || l === undefined) continue;
    any = true;
    lost += l;
    received += r;
  }
  const total = lost + received;
  return any && total > 0 ? Math.max(0, lost) / total : undefined;
}

/**
 * Upstream loss as the bridge saw it. Preferred: Δ(remote-inbound-rtp packetsLost) / Δ(outbound-rtp
 * packetsSent) over the window, because `fractionLost` only covers the last RTCP report (≈1 s). Fallback:
 * `fractionLost`, weighted by how much each stream sends.
 */
function sendLossFraction(remoteInbound: readonly StreamPair[], outboundByKey: ReadonlyMap<string, StreamPair>): number | undefined {
  let lost = 0;
  let sent = 0;
  for (const p of remoteInbound) {
    const localId = str(p.cur, "localId");
    const out = localId ? outboundByKey.get(localId) : undefined;
    const l = delta(p, "packetsLost");
    const s = out ? delta(out, "packetsSent") : undefined;
    if (l === undefined || s === undefined || s <= 0) continue;
    lost += l;
    sent += s;
  }
  if (sent > 0) return Math.max(0, lost) / sent;

  let weighted = 0;
  let weights = 0;
  for (const p of remoteInbound) {
    const f = num(p.cur, "fractionLost");
    if (f === undefined) continue;
    const localId = str(p.cur, "localId");
    const out = localId ? outboundByKey.get(localId) : undefined;
    const w = (out && num(out.cur, "packetsSent")) || 1;
    weighted += f * w;
    weights += w;
  }
  return weights > 0 ? weighted / weights : undefined;
}

/** The selected ICE candidate pair: via transport.selectedCandidatePairId (spec, Chrome), `selected` (Firefox), or nominated+succeeded (what lib-jitsi-meet uses). */
function selectedPair(stats: readonly StatsRecord[], byId: ReadonlyMap<string, StatsRecord>): StatsRecord | undefined {
  for (const t of stats) {
    const id = t.type === "transport" ? str(t, "selectedCandidatePairId") : undefined;
    const pair = id ? byId.get(id) : undefined;
    if (pair) return pair;
  }
  const pairs = stats.filter((s) => s.type === "candidate-pair");
  return pairs.find((p) => p.selected === true) ?? pairs.find((p) => p.nominated === true && p.state === "succeeded");
}

/**
 * udp or tcp as seen from the participant. For a TURN relay candidate the leg that matters is participant →
 * TURN server, which is `relayProtocol` (udp, tcp or tls); `protocol` would be the TURN → bridge leg.
 */
function transportOf(local: StatsRecord | undefined, remote: StatsRecord | undefined): TransportProtocol | undefined {
  const relayProtocol = str(local, "candidateType") === "relay" ? str(local, "relayProtocol") : undefined;
  const p = (relayProtocol ?? str(local, "protocol") ?? str(remote, "protocol"))?.toLowerCase();
  if (p === "udp") return "udp";
  if (p === "tcp" || p === "tls" || p === "ssltcp") return "tcp";
  return undefined;
}

/**
 * Figures from one getStats report and the one before it (null for the first). Rates and loss need the
 * previous snapshot and are left out without it; gauges (resolution, fps, jitter, RTT, transport) are
 * reported from the current one alone. Streams whose counters went backwards are skipped for rates.
 */
export function figuresFromRtcStats(current: StatsSnapshot, previous: StatsSnapshot | null): SampleFigures {
  const { stats, takenAtMs } = current;
  const byId = new Map<string, StatsRecord>();
  for (const s of stats) {
    const id = str(s, "id");
    if (id) byId.set(id, s);
  }
  const pairs = (type: string, kind?: string) => pairStreams(stats, previous, takenAtMs, type, kind);
  const outVideo = pairs("outbound-rtp", "video");
  const outAudio = pairs("outbound-rtp", "audio");
  const inVideo = pairs("inbound-rtp", "video");
  const inAudio = pairs("inbound-rtp", "audio");
  const remoteInbound = pairs("remote-inbound-rtp");
  const outboundByKey = new Map<string, StreamPair>([...outVideo, ...outAudio].map((p) => [keyOf(p.cur), p]));

  const rttsMs = remoteInbound.map((p) => num(p.cur, "roundTripTime")).filter((x): x is number => x !== undefined && x > 0).map((s) => s * 1000);
  const pair = selectedPair(stats, byId);
  const local = pair ? byId.get(str(pair, "localCandidateId") ?? "") : undefined;
  const remote = pair ? byId.get(str(pair, "remoteCandidateId") ?? "") : undefined;
  const pairRttS = num(pair, "currentRoundTripTime");
  const outBps = num(pair, "availableOutgoingBitrate");
  const inBps = num(pair, "availableIncomingBitrate");
  const candidateTypes = [str(local, "candidateType"), str(remote, "candidateType")].filter((t) => t !== undefined);

  return {
    video: { send: videoFigures(outVideo, byId, "send"), recv: videoFigures(inVideo, byId, "recv") },
    audio: {
      send: { bitrateKbps: totalKbps(outAudio, "bytesSent") },
      recv: { bitrateKbps: totalKbps(inAudio, "bytesReceived"), jitterMs: audioJitterMs(inAudio), concealedFraction: concealedFraction(inAudio) },
    },
    network: {
      // RTCP round trip to the bridge first (what Jitsi calls jvbRTT comes from the same path); the ICE
      // consent-check RTT of the selected pair when no RTCP report arrived yet
      rttMs: rttsMs.length ? (sum(rttsMs) ?? 0) / rttsMs.length : pairRttS !== undefined ? pairRttS * 1000 : undefined,
      lossSendFraction: sendLossFraction(remoteInbound, outboundByKey),
      lossRecvFraction: recvLossFraction([...inVideo, ...inAudio]),
      availableSendBandwidthKbps: outBps !== undefined ? outBps / 1000 : undefined,
      availableRecvBandwidthKbps: inBps !== undefined ? inBps / 1000 : undefined,
      transport: transportOf(local, remote),
      relayed: candidateTypes.length ? candidateTypes.includes("relay") : undefined,
    },
    resources: { qualityLimitationReason: qualityLimitation(outVideo) },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// lib-jitsi-meet CONNECTION_STATS / cq.local_stats_updated → figures (fallback when getStats is not reachable)

/**
 * The documented shape of lib-jitsi-meet's local stats (ConnectionQuality `_localStats`, emitted with
 * `cq.local_stats_updated`; see shared reference jitsi-apis.md §4.1). Read defensively: every field is
 * optional and may be NaN.
 */
export interface LibJitsiLocalStats {
  bitrate?: { upload?: number; download?: number; audio?: { upload?: number; download?: number }; video?: { upload?: number; download?: number } };
  /** INTEGER PERCENT (0–100), not a fraction */
  packetLoss?: { upload?: number; download?: number; total?: number };
  /** kbps; for the JVB connection `download` is the bridge's estimate */
  bandwidth?: { upload?: number; download?: number };
  connectionQuality?: number;
  jvbRTT?: number;
  transport?: Array<{ type?: string; localCandidateType?: string; remoteCandidateType?: string; rtt?: number; p2p?: boolean }>;
  resolution?: Record<string, Record<string, { width?: number; height?: number }>>;
  framerate?: Record<string, Record<string, number>>;
  codec?: Record<string, Record<string, { audio?: string; video?: string }>>;
}

interface LibVideoStream {
  participantId: string;
  heightPx?: number;
  fps?: number;
  codec?: string;
}

/** Flattens the per-participant, per-SSRC maps of resolution/framerate/codec into one row per SSRC. */
function libVideoStreams(stats: StatsRecord): LibVideoStream[] {
  const resolution = rec(stats, "resolution") ?? {};
  const framerate = rec(stats, "framerate") ?? {};
  const codec = rec(stats, "codec") ?? {};
  const rows = new Map<string, LibVideoStream>();
  const row = (participantId: string, ssrc: string) => {
    const key = `${participantId}\u0000${ssrc}`;
    let r = rows.get(key);
    if (!r) rows.set(key, (r = { participantId }));
    return r;
  };
  for (const [pid, bySsrc] of Object.entries(resolution)) {
    if (!isRecord(bySsrc)) continue;
    for (const [ssrc, res] of Object.entries(bySsrc)) {
      const h = isRecord(res) ? num(res, "height") : undefined;
      if (h !== undefined && h > 0) row(pid, ssrc).heightPx = h;
    }
  }
  for (const [pid, bySsrc] of Object.entries(framerate)) {
    if (!isRecord(bySsrc)) continue;
    for (const [ssrc, fps] of Object.entries(bySsrc)) {
      if (typeof fps === "number" && Number.isFinite(fps)) row(pid, ssrc).fps = fps;
    }
  }
  for (const [pid, bySsrc] of Object.entries(codec)) {
    if (!isRecord(bySsrc)) continue;
    for (const [ssrc, c] of Object.entries(bySsrc)) {
      const video = isRecord(c) ? str(c, "video") : undefined;
      if (video) row(pid, ssrc).codec = video;
    }
  }
  return [...rows.values()];
}

function libVideoGauges(streams: readonly LibVideoStream[]): Pick<VideoFigures, "heightPx" | "frameRateFps" | "codec"> {
  let top: LibVideoStream | undefined;
  for (const s of streams) if (s.heightPx !== undefined && (!top || s.heightPx > (top.heightPx ?? 0))) top = s;
  const fpsAll = streams.map((s) => s.fps).filter((x): x is number => x !== undefined);
  return {
    heightPx: top?.heightPx,
    frameRateFps: top?.fps ?? (fpsAll.length ? Math.max(...fpsAll) : undefined),
    codec: top?.codec ?? streams.find((s) => s.codec)?.codec,
  };
}

/**
 * Figures from lib-jitsi-meet's local stats object. `localEndpointId` (conference.myUserId()) separates what
 * we send (our own entries in resolution/framerate/codec) from what we receive (everyone else's).
 * lib-jitsi-meet reports the transport protocol of the bridge's candidate, so TCP via a TURN/TLS relay shows
 * as udp there; raw getStats is more exact.
 */
export function figuresFromLibStats(input: unknown, localEndpointId: string): SampleFigures {
  if (!isRecord(input)) return {};
  const bitrate = rec(input, "bitrate");
  const video = rec(bitrate, "video");
  const audio = rec(bitrate, "audio");
  const loss = rec(input, "packetLoss");
  const bandwidth = rec(input, "bandwidth");
  const transports = Array.isArray(input.transport) ? input.transport.filter(isRecord) : [];
  // the JVB entry when lib-jitsi-meet lists several (P2P entries are flagged p2p: true)
  const transport = transports.find((t) => t.p2p !== true) ?? transports[0];
  const proto = str(transport, "type")?.toLowerCase();
  const candidateTypes = [str(transport, "localCandidateType"), str(transport, "remoteCandidateType")].filter((t) => t !== undefined);
  const jvbRttMs = num(input, "jvbRTT");
  const transportRttMs = num(transport, "rtt");
  const streams = libVideoStreams(input);
  const percent = (x: number | undefined) => (x === undefined ? undefined : x / 100);

  return {
    video: {
      send: { bitrateKbps: num(video, "upload"), ...libVideoGauges(streams.filter((s) => s.participantId === localEndpointId)) },
      recv: { bitrateKbps: num(video, "download"), ...libVideoGauges(streams.filter((s) => s.participantId !== localEndpointId)) },
    },
    audio: { send: { bitrateKbps: num(audio, "upload") }, recv: { bitrateKbps: num(audio, "download") } },
    network: {
      rttMs: jvbRttMs !== undefined && jvbRttMs > 0 ? jvbRttMs : transportRttMs !== undefined && transportRttMs > 0 ? transportRttMs : undefined,
      lossSendFraction: percent(num(loss, "upload")),
      lossRecvFraction: percent(num(loss, "download")),
      availableSendBandwidthKbps: num(bandwidth, "upload"),
      availableRecvBandwidthKbps: num(bandwidth, "download"),
      transport: proto === "udp" ? "udp" : proto === "tcp" || proto === "ssltcp" || proto === "tls" ? "tcp" : undefined,
      relayed: candidateTypes.length ? candidateTypes.includes("relay") : undefined,
    },
    connectionQuality: num(input, "connectionQuality"),
  };
}

/**
 * Fills what `primary` does not know from `secondary` (field by field). The agent uses it to add
 * lib-jitsi-meet's connectionQuality and the bridge's downlink estimate to a getStats sample.
 */
export function mergeFigures(primary: SampleFigures, secondary: SampleFigures): SampleFigures {
  const merge = (a: unknown, b: unknown): unknown => {
    if (a === undefined) return b;
    if (isRecord(a) && isRecord(b)) {
      const out: Record<string, unknown> = { ...a };
      for (const [k, v] of Object.entries(b)) out[k] = merge(a[k], v);
      return out;
    }
    return a;
  };
  return merge(primary, secondary) as SampleFigures;
}

// ---------------------------------------------------------------------------------------------------------------
// Figures → ingest body (rounding, ranges, omission of unknowns)

/** The same check as zod's z.uuid() (RFC 9562 variant bits), so a bad id never makes the server refuse a batch. */
const UUID_RE = /^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$/;
const ROOM_RE = /^[^\s/?#]+$/;

export type RefCheck = { ok: true; ref: ParticipantRef } | { ok: false; error: string };

/**
 * Normalizes a participant reference the way the server will (room lower-cased like Jitsi's) and refuses
 * what the server would refuse: one bad room name would otherwise make every batch of the page fail with 400.
 * A malformed meeting id or over-long display name is dropped or cut rather than refused.
 */
export function checkParticipantRef(input: ParticipantRef): RefCheck {
  const room = String(input.room ?? "").trim().toLowerCase();
  if (room.length < 1 || room.length > 200 || !ROOM_RE.test(room)) {
    return { ok: false, error: `room "${input.room}" must be 1–200 characters without spaces, '/', '?' or '#'` };
  }
  const endpointId = String(input.endpointId ?? "");
  if (endpointId.length < 1 || endpointId.length > 64) return { ok: false, error: `endpointId "${endpointId}" must be 1–64 characters` };
  const ref: ParticipantRef = { room, endpointId };
  if (typeof input.displayName === "string" && input.displayName.length > 0) ref.displayName = input.displayName.slice(0, 200);
  if (typeof input.jitsiMeetingId === "string" && UUID_RE.test(input.jitsiMeetingId)) ref.jitsiMeetingId = input.jitsiMeetingId;
  return { ok: true, ref };
}

const roundTo = (x: number, digits: number) => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

/** A value in [min, max] rounded to `digits`, or undefined: out-of-range figures are unknown, not clamped. */
function inRange(x: number | undefined, min: number, max: number, digits: number): number | undefined {
  if (x === undefined || !Number.isFinite(x)) return undefined;
  const r = roundTo(x, digits);
  return r >= min && r <= max ? r : undefined;
}

/** Fractions are clamped (a ratio of deltas can overshoot by a packet or two), then rounded to 1e-6. */
function fractionOf(x: number | undefined): number | undefined {
  return x === undefined || !Number.isFinite(x) ? undefined : roundTo(Math.min(1, Math.max(0, x)), 6);
}

const KBPS_MAX = 10_000_000;
const MS_MAX = 600_000;

/** Drops undefined values and returns undefined for an object left empty, so unknowns are omitted, not zeroed. */
function compact<T extends object>(o: T): T | undefined {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return Object.keys(out).length ? (out as T) : undefined;
}

function videoBody(v: VideoFigures | undefined): VideoFigures | undefined {
  if (!v) return undefined;
  const codec = typeof v.codec === "string" ? v.codec.trim().slice(0, 32) : undefined;
  return compact({
    bitrateKbps: inRange(v.bitrateKbps, 0, KBPS_MAX, 0),
    heightPx: inRange(v.heightPx, 0, 4320, 0),
    frameRateFps: inRange(v.frameRateFps, 0, 240, 2),
    codec: codec || undefined,
  });
}

/** True when the figures carry at least one value worth sending. */
export function hasFigures(f: SampleFigures): boolean {
  const body = sampleFigures(f);
  return Object.keys(body).length > 0;
}

function sampleFigures(f: SampleFigures): SampleFigures {
  const reason = f.resources?.qualityLimitationReason;
  return compact({
    video: compact({ send: videoBody(f.video?.send), recv: videoBody(f.video?.recv) }),
    audio: compact({
      send: compact({ bitrateKbps: inRange(f.audio?.send?.bitrateKbps, 0, KBPS_MAX, 0) }),
      recv: compact({
        bitrateKbps: inRange(f.audio?.recv?.bitrateKbps, 0, KBPS_MAX, 0),
        jitterMs: inRange(f.audio?.recv?.jitterMs, 0, MS_MAX, 2),
        concealedFraction: fractionOf(f.audio?.recv?.concealedFraction),
      }),
    }),
    network: compact({
      rttMs: inRange(f.network?.rttMs, 0, MS_MAX, 2),
      lossSendFraction: fractionOf(f.network?.lossSendFraction),
      lossRecvFraction: fractionOf(f.network?.lossRecvFraction),
      availableSendBandwidthKbps: inRange(f.network?.availableSendBandwidthKbps, 0, KBPS_MAX, 0),
      availableRecvBandwidthKbps: inRange(f.network?.availableRecvBandwidthKbps, 0, KBPS_MAX, 0),
      transport: f.network?.transport === "udp" || f.network?.transport === "tcp" ? f.network.transport : undefined,
      relayed: typeof f.network?.relayed === "boolean" ? f.network.relayed : undefined,
    }),
    resources: compact({
      qualityLimitationReason: reason !== undefined && reason in LIMITATION_RANK ? reason : undefined,
      memoryUsedMb: inRange(f.resources?.memoryUsedMb, 0, 1_000_000, 0),
    }),
    connectionQuality: f.connectionQuality === undefined || !Number.isFinite(f.connectionQuality) ? undefined : roundTo(Math.min(100, Math.max(0, f.connectionQuality)), 2),
  }) ?? {};
}

/**
 * One ingest sample. `ref` should come from checkParticipantRef; it is normalized again here so a raw ref
 * still yields a lower-cased room. Integers are rounded where the schema wants integers, fractions clamped to
 * [0, 1], and any figure that is unknown or out of range is left out rather than sent as zero.
 */
export function toSample(ref: ParticipantRef, figures: SampleFigures, nowMs: number): IngestSampleBody {
  const checked = checkParticipantRef(ref);
  const participant = checked.ok ? checked.ref : { ...ref, room: ref.room.trim().toLowerCase() };
  return { ...participant, sampledAt: new Date(nowMs).toISOString(), ...sampleFigures(figures) };
}

/** Keeps only detail values the schema accepts: strings (cut to 500), finite numbers, booleans. */
export function sanitizeDetail(detail: Readonly<Record<string, unknown>> | undefined): EventDetail | undefined {
  if (!detail) return undefined;
  const out: EventDetail = {};
  for (const [k, v] of Object.entries(detail)) {
    if (typeof v === "string") out[k] = v.slice(0, 500);
    else if (typeof v === "number" && Number.isFinite(v)) out[k] = v;
    else if (typeof v === "boolean") out[k] = v;
  }
  return Object.keys(out).length ? out : undefined;
}

export function toEvent(ref: ParticipantRef, kind: EventKind, nowMs: number, detail?: Readonly<Record<string, unknown>>): IngestEventBody {
  const checked = checkParticipantRef(ref);
  const participant = checked.ok ? checked.ref : { ...ref, room: ref.room.trim().toLowerCase() };
  const clean = sanitizeDetail(detail);
  return { ...participant, kind, occurredAt: new Date(nowMs).toISOString(), ...(clean ? { detail: clean } : {}) };
}

// ---------------------------------------------------------------------------------------------------------------
// lib-jitsi-meet events → ingest event kinds

/**
 * Which lib-jitsi-meet event becomes which ingest event (names as in lib-jitsi-meet's JitsiConferenceEvents,
 * JitsiConferenceErrors and JitsiConnectionEvents):
 *
 * | lib-jitsi-meet event                                         | kind          | detail                         |
 * |--------------------------------------------------------------|---------------|--------------------------------|
 * | `conference.joined`                                          | `join`        |                                |
 * | `conference.left`                                            | `leave`       | reason: "left"                 |
 * | `conference.kicked`                                          | `leave`       | reason: "kicked"               |
 * | `conference.failed` with error `conference.iceFailed`        | `ice_failure` | error                          |
 * | `conference.failed` with any other error                     | `leave`       | reason: "conference_failed", error |
 * | `conference.connectionRestored` (ICE back after interruption) | `reconnect`   | (agent adds interruptedMs)     |
 * | `connection.connectionFailed` (XMPP signalling lost)         | `leave`       | reason: "connection_failed", error |
 *
 * `conference.iceFailed` is emitted by lib-jitsi-meet only after its own ICE restarts gave up (JitsiConference
 * `_onIceConnectionFailed`). `conference.connectionInterrupted` maps to nothing by itself: the agent notes its
 * time and reports the outage length with the `reconnect` that follows.
 */
export const JITSI_EVENT_NAMES = {
  conferenceJoined: "conference.joined",
  conferenceLeft: "conference.left",
  conferenceKicked: "conference.kicked",
  conferenceFailed: "conference.failed",
  connectionInterrupted: "conference.connectionInterrupted",
  connectionRestored: "conference.connectionRestored",
  xmppConnectionFailed: "connection.connectionFailed",
  localStatsUpdated: "cq.local_stats_updated",
} as const;

export const JITSI_ICE_FAILED_ERROR = "conference.iceFailed";

export function eventFromJitsi(name: string, args: readonly unknown[] = []): { kind: EventKind; detail?: EventDetail } | null {
  const error = args[0] === undefined || args[0] === null ? undefined : String(args[0]).slice(0, 500);
  switch (name) {
    case JITSI_EVENT_NAMES.conferenceJoined:
      return { kind: "join" };
    case JITSI_EVENT_NAMES.conferenceLeft:
      return { kind: "leave", detail: { reason: "left" } };
    case JITSI_EVENT_NAMES.conferenceKicked:
      return { kind: "leave", detail: { reason: "kicked" } };
    case JITSI_EVENT_NAMES.conferenceFailed:
      return error === JITSI_ICE_FAILED_ERROR
        ? { kind: "ice_failure", detail: { error } }
        : { kind: "leave", detail: { reason: "conference_failed", ...(error ? { error } : {}) } };
    case JITSI_EVENT_NAMES.connectionRestored:
      return { kind: "reconnect" };
    case JITSI_EVENT_NAMES.xmppConnectionFailed:
      return { kind: "leave", detail: { reason: "connection_failed", ...(error ? { error } : {}) } };
    default:
      return null;
  }
}
