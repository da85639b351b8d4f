/**
 * The simulated Jitsi fleet: videobridges, Jicofo's view of them, conferences and participants.
 *
 * Pure and deterministic: all randomness comes from a seeded generator, time is passed in (`step(nowMs)`, and
 * mutations act at the model's current time), and there is no I/O. The HTTP shells (jvb-server.ts,
 * jicofo-server.ts) only read this state and call its mutators; views.ts turns it into the exact REST shapes.
 *
 * Behaviour follows upstream code (see /work/shared/reference/jitsi-apis.md, checked against jitsi/jicofo and
 * jitsi/jitsi-videobridge master of Aug 2026):
 * - JVB: stress = cpu load / load-threshold 0.9, sampled every 10 s; graceful shutdown rejects new conferences and
 *   turns into SHUTTING_DOWN when local endpoints reach 0; SHUTTING_DOWN exits after 1 min.
 * - Jicofo: BridgeSelector (operational, not SHUTTING_DOWN, same version, prefer non-draining, prefer non-graceful,
 *   ordered by priority then corrected stress) + SingleBridge / RegionBased strategy; LoadRedistributor's
 *   move-endpoints; re-invites on bridge loss, health failure and SHUTTING_DOWN.
 */
import { jitsiConnectionQuality } from "../../server/analysis/connection-quality";
import { DEMO_ROOMS, FIRST_NAMES, LAST_NAMES, ROOM_SUFFIXES, ROOM_WORDS } from "./names";
import {
  chance,
  createRng,
  fnv1a,
  gaussian,
  hexString,
  nextFloat,
  pick,
  poisson,
  randInt,
  type RngState,
  uniform,
  uuidV4,
} from "./rng";

// ---------------------------------------------------------------------------------------------------------------
// Constants (upstream defaults)
// ---------------------------------------------------------------------------------------------------------------

export const SCENARIO_NAMES = ["steady-day", "morning-surge", "bridge-failure", "bad-network", "cpu-starved"] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];
export const isScenarioName = (value: string): value is ScenarioName => (SCENARIO_NAMES as readonly string[]).includes(value);

export const SCENARIO_DESCRIPTIONS: Record<ScenarioName, string> = {
  "steady-day": "steady population: about 6 conferences of 2–40 people per bridge plus 3 demo rooms; stress ≈ 0.3–0.65",
  "morning-surge": "arrivals ramp from a quiet night (×0.25) to ×4 within 10 minutes; stress climbs past 0.8",
  "bridge-failure": "steady-day, then after 90 s the busiest bridge dies (process gone, HTTP stops answering)",
  "bad-network": "steady-day, plus Garett Lindqvist (endpoint 7f3a9c21) in room weekly-sync on a very bad network",
  "cpu-starved": "steady-day, plus Priya Raman (endpoint b52e0d88) in room design-review CPU-limited: 180p at ~7 fps",
};

/** Jicofo defaults, jicofo-selector reference.conf. */
export const JICOFO_DEFAULTS = {
  stressThreshold: 0.8,
  maxBridgeParticipants: 80,
  participantRampupIntervalMs: 20_000,
  averageParticipantStress: 0.01,
  failureResetThresholdMs: 60_000,
  healthCheckIntervalMs: 10_000,
  /** ice-failure-detection.interval: the window of `endpoint-restart-requests` */
  restartRequestWindowMs: 120_000,
} as const;

/** JVB defaults, jvb reference.conf (cpu-usage load measurement, the default since Nov 2024). */
export const JVB_DEFAULTS = {
  loadThreshold: 0.9,
  recoveryThreshold: 0.72,
  stressSampleIntervalMs: 10_000,
  shuttingDownDelayMs: 60_000,
  gracefulShutdownMaxDurationMs: 24 * 3_600_000,
  averageParticipantStress: 0.01,
} as const;

/** The bad-network scenario's target: a stable, seed-independent participant in a demo room. */
export const BAD_NETWORK_TARGET = {
  room: "weekly-sync",
  endpointId: "7f3a9c21",
  displayName: "Garett Lindqvist",
  statsId: "Garett-w1o",
} as const;

/** The cpu-starved scenario's target. */
export const CPU_STARVED_TARGET = {
  room: "design-review",
  endpointId: "b52e0d88",
  displayName: "Priya Raman",
  statsId: "Priya-k3x",
} as const;

const BAD_NETWORK_PROFILE: NetworkOverride = {
  rttMs: 380,
  lossSendFraction: 0.16,
  lossRecvFraction: 0.12,
  jitterMs: 45,
  sendBandwidthKbps: 700,
  recvBandwidthKbps: 1200,
};

/** Longest simulated interval processed at once, so that stress samples and health checks keep their cadence. */
const MAX_SUBSTEP_MS = 5_000;
const MAX_EVENTS = 10_000;
const DEMO_MEETING_MS = 55 * 60_000;
const DEMO_RESTART_GAP_MS = 20_000;
const CONFERENCES_PER_BRIDGE = 6;
const MEAN_CONFERENCE_MS = 30 * 60_000;
/** RTP+RTCP header overhead on top of media bitrate, as the bridge counts it */
const RTP_OVERHEAD = 1.03;
const VIDEO_PACKET_BYTES = 1_150;
const AUDIO_PPS = 50;
/** Simulcast total (all layers) by top layer height, VP8, as lib-jitsi-meet sends it */
const VIDEO_KBPS_BY_HEIGHT: ReadonlyArray<readonly [number, number]> = [
  [720, 2_200],
  [540, 1_400],
  [360, 700],
  [270, 450],
  [180, 200],
];

// ---------------------------------------------------------------------------------------------------------------
// Types (plain data)
// ---------------------------------------------------------------------------------------------------------------

export type ShutdownState = "RUNNING" | "GRACEFUL_SHUTDOWN" | "SHUTTING_DOWN";
export type SelectionStrategyName = "SingleBridgeSelectionStrategy" | "RegionBasedBridgeSelectionStrategy";
export type QualityLimitationReason = "none" | "cpu" | "bandwidth" | "other";
export type BridgeHealth = "healthy" | "soft-failure" | "hard-failure";

export interface NetworkProfile {
  rttMs: number;
  lossSendFraction: number;
  lossRecvFraction: number;
  jitterMs: number;
  sendBandwidthKbps: number;
  recvBandwidthKbps: number;
}
export type NetworkOverride = Partial<NetworkProfile>;

/** What a participant experiences this tick (its client would report these). */
export interface ParticipantMetrics {
  rttMs: number;
  lossSendFraction: number;
  lossRecvFraction: number;
  jitterMs: number;
  availableSendBandwidthKbps: number;
  availableRecvBandwidthKbps: number;
  audioSendKbps: number;
  videoSendKbps: number;
  audioRecvKbps: number;
  videoRecvKbps: number;
  videoSendHeightPx: number;
  videoSendFps: number;
  videoRecvHeightPx: number;
  videoRecvFps: number;
  sendPps: number;
  recvPps: number;
  concealedFraction: number;
  qualityLimitationReason: QualityLimitationReason;
  connectionQuality: number;
  memoryUsedMb: number;
  /** the bridge would like to send more than the receiver's bandwidth allows */
  oversending: boolean;
}

export interface Participant {
  endpointId: string;
  displayName: string;
  statsId: string;
  room: string;
  region: string | null;
  joinAtMs: number;
  joinedAtMs: number | null;
  leaveAtMs: number | null;
  /** nickname of the bridge hosting the endpoint; null while Jicofo could not place it */
  bridge: string | null;
  demo: boolean;
  sendingAudio: boolean;
  sendingVideo: boolean;
  /** camera capture height before any limitation */
  videoHeightPx: number;
  codec: "VP8" | "VP9" | "AV1";
  transport: "udp" | "tcp";
  /** connected through TURN */
  turnRelayed: boolean;
  baseNetwork: NetworkProfile;
  /** set through the control API (degradeParticipant) */
  networkOverride: NetworkOverride | null;
  /** set through the control API (setCpuLimited) */
  cpuLimited: boolean;
  metrics: ParticipantMetrics;
}

export interface Conference {
  room: string;
  mucJid: string;
  meetingId: string;
  createdAtMs: number;
  endAtMs: number | null;
  demo: boolean;
  region: string | null;
  /** joined participants in join order */
  endpointIds: string[];
  pendingJoins: number;
  /** bridges in the order the conference started using them (Jicofo's colibri sessions) */
  bridgeOrder: string[];
  jicofoCreatedAtMs: number;
}

/** Cumulative JVB counters. Floats accumulate fractional rates; the wire shows them truncated. */
export interface JvbCounters {
  conferencesCreated: number;
  conferencesCompleted: number;
  conferenceSeconds: number;
  totalEndpoints: number;
  totalRelays: number;
  bytesReceived: number;
  bytesSent: number;
  packetsReceived: number;
  packetsSent: number;
  relayBytesReceived: number;
  relayBytesSent: number;
  relayPacketsReceived: number;
  relayPacketsSent: number;
  dominantSpeakerChanges: number;
  keyframesReceived: number;
  layeringChangesReceived: number;
  videoStreamMsReceived: number;
  wsMessagesReceived: number;
  wsMessagesSent: number;
  iceFailed: number;
  iceSucceeded: number;
  iceSucceededRelayed: number;
  endpointsIceFailed: number;
  dtlsFailedEndpoints: number;
  preemptiveKfrSent: number;
  preemptiveKfrSuppressed: number;
  endpointsDisconnected: number;
  endpointsReconnected: number;
  epsNoMsgTransportAfterDelay: number;
}

/** The bridge's "now" figures, recomputed every tick from its endpoints. */
export interface BridgeAggregates {
  localEndpoints: number;
  relayedEndpoints: number;
  activeEndpoints: number;
  inactiveEndpoints: number;
  receiveOnlyEndpoints: number;
  endpointsSendingAudio: number;
  endpointsSendingVideo: number;
  conferences: number;
  inactiveConferences: number;
  p2pConferences: number;
  relayConferences: number;
  largestConference: number;
  bitrateDownloadBps: number;
  bitrateUploadBps: number;
  packetRateDownloadPps: number;
  packetRateUploadPps: number;
  relayReceiveBitrateBps: number;
  relaySendBitrateBps: number;
  relayReceivePps: number;
  relaySendPps: number;
  rttAggregateMs: number;
  jitterAggregateMs: number;
  incomingLossFraction: number;
  outgoingLossFraction: number;
  overallLossFraction: number;
  endpointsWithHighOutgoingLoss: number;
  endpointsOversending: number;
  endpointsWithSuspendedSources: number;
  /** system CPU load 0–1 (plus steal) from the cost model */
  cpuLoad: number;
  threads: number;
}

export interface Bridge {
  index: number;
  name: string;
  /** brewery MUC occupant JID, jvbbrewery@internal.auth.<domain>/<name> */
  jid: string;
  region: string | null;
  version: string;
  release: string | null;
  relayId: string | null;
  /** videobridge.apis.rest.enabled (COLIBRI REST: /colibri/stats) */
  colibriRestEnabled: boolean;
  /** videobridge.rest.shutdown.enabled (needs COLIBRI too) */
  shutdownRestEnabled: boolean;
  drain: boolean;
  shutdownState: ShutdownState;
  /** the `graceful_shutdown` gauge: set on a graceful request and never cleared (upstream ShutdownManager) */
  gracefulShutdownFlag: boolean;
  gracefulSinceMs: number | null;
  shuttingDownSinceMs: number | null;
  health: BridgeHealth;
  healthMessage: string | null;
  /** process dead: no HTTP, gone from the brewery */
  failed: boolean;
  failedAtMs: number | null;
  /** exited after SHUTTING_DOWN */
  gone: boolean;
  goneAtMs: number | null;
  startedAtMs: number;
  baseCpuLoad: number;
  stressLevel: number;
  nextStressSampleMs: number;
  counters: JvbCounters;
  agg: BridgeAggregates;
  /** local endpoint ids in allocation order (Jicofo's colibri session order) */
  endpointIds: Set<string>;
  /** room → number of local endpoints */
  roomCounts: Map<string, number>;
  /** room → the bridge's own conference object */
  jvbConferences: Map<string, { id: string; createdAtMs: number }>;
  jicofo: {
    /** in the brewery MUC, i.e. known to Jicofo's BridgeSelector */
    known: boolean;
    operational: boolean;
    failureAtMs: number | null;
    endpoints: number;
    recentAddsMs: number[];
    restartRequestsMs: number[];
    nextHealthCheckMs: number;
  };
  /** bumped on every change a request could observe between ticks (drain, shutdown, health …) */
  revision: number;
}

export interface JicofoState {
  version: string;
  totalParticipants: number;
  totalConferencesCreated: number;
  participantsMoved: number;
  bridgesRemoved: number;
  iceFailed: number;
  requestRestart: number;
  lostBridges: number;
  jingleSent: Record<string, number>;
  jingleReceived: Record<string, number>;
  /** participants Jicofo could not place on any bridge (no operational bridge) */
  unplaced: number;
}

export type FleetEventKind = "join" | "leave" | "reconnect" | "ice_failure";

/** Something a meeting client would report as an event (ingest API events). */
export interface FleetEvent {
  kind: FleetEventKind;
  atMs: number;
  endpointId: string;
  room: string;
  meetingId: string;
  displayName: string;
  detail?: Record<string, string | number | boolean>;
}

export interface MoveResult {
  movedEndpoints: number;
  conferences: number;
}

/** Jicofo's MoveFailedException family; the HTTP layer maps them like jicofo's ktor Application does. */
export class MoveError extends Error {
  constructor(
    readonly kind: "missing-parameter" | "invalid-parameter" | "bridge-not-found" | "conference-not-found",
    message: string,
  ) {
    super(message);
    this.name = "MoveError";
  }
}

export interface FleetModelOptions {
  /** model start time (epoch ms); the model never reads a clock */
  startMs: number;
  seed?: number;
  bridges?: number;
  scenario?: ScenarioName;
  /** bridge regions, assigned round-robin (default ["eu-central-1"]); [] = none configured (no `region` key) */
  regions?: string[];
  /** XMPP domain: rooms are <room>@conference.<domain>, bridges jvbbrewery@internal.auth.<domain>/jvbN */
  domain?: string;
  selectionStrategy?: SelectionStrategyName;
  /** octo relays (relay_id on bridges); default on only for RegionBased, which needs them to span bridges */
  relays?: boolean;
  /** random conferences coming and going; false = only demo rooms and explicit join() calls (tests) */
  population?: boolean;
  /** the three demo meetings (weekly-sync, design-review, all-hands); default true */
  demoRooms?: boolean;
  /** demand baseline per initial bridge (default 6 conferences) */
  conferencesPerBridge?: number;
  bridgeVersion?: string;
  bridgeFailureAfterMs?: number;
  surgeRampMs?: number;
}

export interface AddBridgeOptions {
  region?: string | null;
  version?: string;
  colibriRestEnabled?: boolean;
  shutdownRestEnabled?: boolean;
}

export interface JoinOptions {
  displayName?: string;
  endpointId?: string;
  region?: string | null;
  sendingAudio?: boolean;
  sendingVideo?: boolean;
  network?: NetworkOverride;
}

// ---------------------------------------------------------------------------------------------------------------
// Pure helpers
// ---------------------------------------------------------------------------------------------------------------

const clamp = (x: number, min: number, max: number) => Math.min(max, Math.max(min, x));

export function emptyCounters(): JvbCounters {
  return {
    conferencesCreated: 0, conferencesCompleted: 0, conferenceSeconds: 0, totalEndpoints: 0, totalRelays: 0,
    bytesReceived: 0, bytesSent: 0, packetsReceived: 0, packetsSent: 0, relayBytesReceived: 0, relayBytesSent: 0,
    relayPacketsReceived: 0, relayPacketsSent: 0, dominantSpeakerChanges: 0, keyframesReceived: 0,
    layeringChangesReceived: 0, videoStreamMsReceived: 0, wsMessagesReceived: 0, wsMessagesSent: 0, iceFailed: 0,
    iceSucceeded: 0, iceSucceededRelayed: 0, endpointsIceFailed: 0, dtlsFailedEndpoints: 0, preemptiveKfrSent: 0,
    preemptiveKfrSuppressed: 0, endpointsDisconnected: 0, endpointsReconnected: 0, epsNoMsgTransportAfterDelay: 0,
  };
}

export function emptyAggregates(): BridgeAggregates {
  return {
    localEndpoints: 0, relayedEndpoints: 0, activeEndpoints: 0, inactiveEndpoints: 0, receiveOnlyEndpoints: 0,
    endpointsSendingAudio: 0, endpointsSendingVideo: 0, conferences: 0, inactiveConferences: 0, p2pConferences: 0,
    relayConferences: 0, largestConference: 0, bitrateDownloadBps: 0, bitrateUploadBps: 0, packetRateDownloadPps: 0,
    packetRateUploadPps: 0, relayReceiveBitrateBps: 0, relaySendBitrateBps: 0, relayReceivePps: 0, relaySendPps: 0,
    rttAggregateMs: 0, jitterAggregateMs: 0, incomingLossFraction: 0, outgoingLossFraction: 0, overallLossFraction: 0,
    endpointsWithHighOutgoingLoss: 0, endpointsOversending: 0, endpointsWithSuspendedSources: 0, cpuLoad: 0,
    threads: 0,
  };
}

function emptyMetrics(): ParticipantMetrics {
  return {
    rttMs: 0, lossSendFraction: 0, lossRecvFraction: 0, jitterMs: 0, availableSendBandwidthKbps: 0,
    availableRecvBandwidthKbps: 0, audioSendKbps: 0, videoSendKbps: 0, audioRecvKbps: 0, videoRecvKbps: 0,
    videoSendHeightPx: 0, videoSendFps: 0, videoRecvHeightPx: 0, videoRecvFps: 0, sendPps: 0, recvPps: 0,
    concealedFraction: 0, qualityLimitationReason: "none", connectionQuality: 100, memoryUsedMb: 0,
    oversending: false,
  };
}

/** Simulcast send bitrate for a top-layer height. */
export function videoKbpsForHeight(heightPx: number): number {
  for (const [h, kbps] of VIDEO_KBPS_BY_HEIGHT) if (heightPx >= h) return kbps;
  return 150;
}

/** The largest layer that fits a bitrate budget. */
function heightForBudget(budgetKbps: number, maxHeightPx: number): number {
  for (const [h, kbps] of VIDEO_KBPS_BY_HEIGHT) if (h <= maxHeightPx && kbps <= budgetKbps) return h;
  return 180;
}

/**
 * The CPU cost of one local endpoint, as a fraction of the bridge's CPU. Forwarding cost grows with the number of
 * receivers of a video stream (larger conferences) and with the number of streams a receiver gets.
 */
export function endpointCpuCost(e: {
  active: boolean;
  sendingAudio: boolean;
  videoSendKbps: number;
  conferenceSize: number;
  conferenceVideoSenders: number;
}): number {
  if (!e.active) return 0.0004;
  let cost = 0.0015 + 0.001 * (1 + Math.min(e.conferenceVideoSenders, 25) / 25);
  if (e.sendingAudio) cost += 0.0006;
  if (e.videoSendKbps > 0) cost += 0.0035 * (1 + Math.min(e.conferenceSize, 80) / 30);
  return cost;
}

/** JVB cpu-usage measurement: stress = load / load-threshold (0.9); may exceed 1. */
export const stressFromCpuLoad = (cpuLoad: number): number => cpuLoad / JVB_DEFAULTS.loadThreshold;

/**
 * The degradation a stressed bridge inflicts on all its participants: a CPU-starved bridge delays and drops
 * packets for everybody on it, which is what lets analysis blame the bridge rather than one participant.
 */
export function bridgeDegradation(stressLevel: number): { extraLossFraction: number; extraJitterMs: number; extraRttMs: number } {
  const over = Math.max(0, stressLevel - JICOFO_DEFAULTS.stressThreshold);
  return { extraLossFraction: over * 0.3, extraJitterMs: over * 80, extraRttMs: over * 200 };
}

/**
 * LoadRedistributor's greedy pick: from conferences ordered by endpoints on the bridge (descending), take endpoints
 * in order until `n` are selected. e.g. [a:1, b:3, c:3] with n = 3 → {a:1, b:2} when given in that order.
 */
export function selectGreedy<T>(ordered: ReadonlyArray<readonly [T, number]>, n: number): Array<[T, number]> {
  const out: Array<[T, number]> = [];
  let moved = 0;
  for (const [key, count] of ordered) {
    if (moved >= n) break;
    const m = Math.min(count, n - moved);
    moved += m;
    out.push([key, m]);
  }
  return out;
}

/** Demand multiplier of the random population for a scenario, t ms after the scenario started. */
export function demandMultiplier(scenario: ScenarioName, sinceStartMs: number, surgeRampMs: number): number {
  if (scenario !== "morning-surge") return 1;
  const x = clamp(sinceStartMs / surgeRampMs, 0, 1);
  // ease-in-out: people arrive slowly at first, then in a rush, then the rush levels off
  const eased = x * x * (3 - 2 * x);
  return 0.25 + (4 - 0.25) * eased;
}

// ---------------------------------------------------------------------------------------------------------------
// The model
// ---------------------------------------------------------------------------------------------------------------

export class FleetModel {
  readonly domain: string;
  readonly seed: number;
  readonly selectionStrategy: SelectionStrategyName;
  readonly relays: boolean;
  readonly regions: string[];
  readonly baseBridgeCount: number;
  readonly conferencesPerBridge: number;
  readonly population: boolean;
  readonly bridgeVersion: string;
  readonly bridgeFailureAfterMs: number;
  readonly surgeRampMs: number;

  readonly rng: RngState;
  nowMs: number;
  readonly startMs: number;
  /** number of completed step() calls; views cache per tick */
  tick = 0;
  scenario: ScenarioName;
  scenarioStartedMs: number;
  /** the bridge-failure scenario has fired since it was (re)activated */
  scenarioFailureDone = false;

  readonly bridges = new Map<string, Bridge>();
  readonly conferences = new Map<string, Conference>();
  readonly participants = new Map<string, Participant>();
  readonly pending: Participant[] = [];
  readonly demoRestarts: Array<{ room: string; atMs: number }> = [];
  readonly jicofo: JicofoState;
  events: FleetEvent[] = [];
  droppedEvents = 0;
  private nextBridgeIndex = 1;
  private readonly usedEndpointIds = new Set<string>();

  constructor(options: FleetModelOptions) {
    this.seed = options.seed ?? 1;
    this.rng = createRng(this.seed);
    this.startMs = options.startMs;
    this.nowMs = options.startMs;
    this.domain = options.domain ?? "meet.example";
    this.selectionStrategy = options.selectionStrategy ?? "SingleBridgeSelectionStrategy";
    this.relays = options.relays ?? this.selectionStrategy !== "SingleBridgeSelectionStrategy";
    // one region: what most self-hosted fleets have; pass several to see Jicofo's in-region preference
    this.regions = options.regions ?? ["eu-central-1"];
    this.baseBridgeCount = Math.max(0, options.bridges ?? 3);
    this.conferencesPerBridge = options.conferencesPerBridge ?? CONFERENCES_PER_BRIDGE;
    this.population = options.population ?? true;
    this.bridgeVersion = options.bridgeVersion ?? "2.3.209-g1a2b3c4d";
    this.bridgeFailureAfterMs = options.bridgeFailureAfterMs ?? 90_000;
    this.surgeRampMs = options.surgeRampMs ?? 600_000;
    this.scenario = options.scenario ?? "steady-day";
    this.scenarioStartedMs = options.startMs;
    this.jicofo = {
      version: "1.0-1120-g5e6f7a8b",
      totalParticipants: 0,
      totalConferencesCreated: 0,
      participantsMoved: 0,
      bridgesRemoved: 0,
      iceFailed: 0,
      requestRestart: 0,
      lostBridges: 0,
      jingleSent: {},
      jingleReceived: {},
      unplaced: 0,
    };

    for (let i = 0; i < this.baseBridgeCount; i++) this.addBridge();
    if (options.demoRooms ?? true) {
      for (const demo of DEMO_ROOMS) this.startDemoMeeting(demo.room, this.startMs - 5 * 60_000);
    }
    if (this.population) this.prepopulate();
    // Everyone placed so far "joined" before the model started: measure the bridges now and forget the
    // ramp-up correction, as a Jicofo that has been running for a while would see them.
    this.refresh(0);
    for (const b of this.bridges.values()) {
      this.sampleStress(b);
      b.jicofo.recentAddsMs = [];
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // Queries
  // -------------------------------------------------------------------------------------------------------------

  bridge(name: string): Bridge | undefined {
    return this.bridges.get(name);
  }

  /** Bridges whose process is alive (not failed, not exited). */
  liveBridges(): Bridge[] {
    return [...this.bridges.values()].filter((b) => !b.failed && !b.gone);
  }

  /** Bridges in Jicofo's BridgeSelector (present in the brewery MUC). */
  jicofoBridges(): Bridge[] {
    return [...this.bridges.values()].filter((b) => b.jicofo.known);
  }

  /** Bridge.correctedStress: stress + endpoints added in the last 20 s × average participant stress. */
  correctedStress(b: Bridge): number {
    const since = this.nowMs - JICOFO_DEFAULTS.participantRampupIntervalMs;
    while (b.jicofo.recentAddsMs.length > 0 && (b.jicofo.recentAddsMs[0] as number) <= since) b.jicofo.recentAddsMs.shift();
    return b.stressLevel + b.jicofo.recentAddsMs.length * JVB_DEFAULTS.averageParticipantStress;
  }

  isOverloaded(b: Bridge): boolean {
    return this.correctedStress(b) >= JICOFO_DEFAULTS.stressThreshold;
  }

  /** Bridge.isOperational: false until failure-reset-threshold (1 min) has passed since the last failure. */
  isOperational(b: Bridge): boolean {
    const f = b.jicofo.failureAtMs;
    if (f !== null && this.nowMs - f < JICOFO_DEFAULTS.failureResetThresholdMs) return false;
    return b.jicofo.operational;
  }

  restartRequests(b: Bridge): number {
    const since = this.nowMs - JICOFO_DEFAULTS.restartRequestWindowMs;
    b.jicofo.restartRequestsMs = b.jicofo.restartRequestsMs.filter((t) => t > since);
    return b.jicofo.restartRequestsMs.length;
  }

  fullVersion(b: Bridge): string {
    return b.release !== null ? `${b.version}-${b.release}` : b.version;
  }

  /** The conference's bridges with their participant counts, in the order the conference started using them. */
  conferenceBridges(room: string): Array<[Bridge, number]> {
    const conf = this.conferences.get(room);
    if (!conf) return [];
    const out: Array<[Bridge, number]> = [];
    for (const name of conf.bridgeOrder) {
      const b = this.bridges.get(name);
      const n = b?.roomCounts.get(room) ?? 0;
      if (b && n > 0 && b.jicofo.known) out.push([b, n]);
    }
    return out;
  }

  /** Resolve a move-API bridge id: a full brewery JID or the nickname (resolved against the brewery). */
  findJicofoBridge(id: string): Bridge | undefined {
    for (const b of this.bridges.values()) {
      if (!b.jicofo.known) continue;
      if (b.jid === id || b.jid === `${this.breweryJid()}/${id}`) return b;
    }
    return undefined;
  }

  breweryJid(): string {
    return `jvbbrewery@internal.auth.${this.domain}`;
  }

  mucJid(room: string): string {
    return `${room}@conference.${this.domain}`;
  }

  findConferenceByJid(jid: string): Conference | undefined {
    const at = jid.indexOf("@");
    if (at <= 0) return undefined;
    const room = jid.slice(0, at).toLowerCase();
    const conf = this.conferences.get(room);
    return conf && conf.mucJid === jid.toLowerCase() ? conf : undefined;
  }

  /** Jicofo's view of the population: participants in MUCs, conferences. */
  jicofoCounts(): { conferences: number; participants: number; largest: number; endpointPairs: number; sizes: number[] } {
    const sizes: number[] = [];
    for (const c of this.conferences.values()) if (c.endpointIds.length > 0) sizes.push(c.endpointIds.length);
    return {
      conferences: sizes.length,
      participants: sizes.reduce((a, b) => a + b, 0),
      largest: sizes.reduce((a, b) => Math.max(a, b), 0),
      endpointPairs: sizes.reduce((a, n) => a + n * n, 0),
      sizes,
    };
  }

  /** Events since the last call (bounded buffer; the clients module drains it). */
  drainEvents(): FleetEvent[] {
    const out = this.events;
    this.events = [];
    return out;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Bridges: add, remove, fail, drain, shutdown, health
  // -------------------------------------------------------------------------------------------------------------

  addBridge(options: AddBridgeOptions = {}): Bridge {
    const index = this.nextBridgeIndex++;
    const name = `jvb${index}`;
    const region =
      options.region !== undefined ? options.region : this.regions.length > 0 ? (this.regions[(index - 1) % this.regions.length] as string) : null;
    const b: Bridge = {
      index,
      name,
      jid: `${this.breweryJid()}/${name}`,
      region,
      version: options.version ?? this.bridgeVersion,
      release: null,
      relayId: this.relays ? name : null,
      colibriRestEnabled: options.colibriRestEnabled ?? true,
      shutdownRestEnabled: options.shutdownRestEnabled ?? true,
      drain: false,
      shutdownState: "RUNNING",
      gracefulShutdownFlag: false,
      gracefulSinceMs: null,
      shuttingDownSinceMs: null,
      health: "healthy",
      healthMessage: null,
      failed: false,
      failedAtMs: null,
      gone: false,
      goneAtMs: null,
      startedAtMs: this.nowMs,
      baseCpuLoad: uniform(this.rng, 0.03, 0.06),
      stressLevel: 0,
      // bridges sample load on their own 10 s schedule; spread them so they do not all move at once
      nextStressSampleMs: this.nowMs + ((index * 1_337) % JVB_DEFAULTS.stressSampleIntervalMs),
      counters: emptyCounters(),
      agg: emptyAggregates(),
      endpointIds: new Set(),
      roomCounts: new Map(),
      jvbConferences: new Map(),
      jicofo: {
        known: true,
        operational: true,
        failureAtMs: null,
        endpoints: 0,
        recentAddsMs: [],
        restartRequestsMs: [],
        nextHealthCheckMs: this.nowMs + ((index * 733) % JICOFO_DEFAULTS.healthCheckIntervalMs),
      },
      revision: 0,
    };
    b.agg.cpuLoad = b.baseCpuLoad;
    b.agg.threads = 70;
    b.stressLevel = stressFromCpuLoad(b.baseCpuLoad);
    this.bridges.set(name, b);
    return b;
  }

  private mustBridge(name: string): Bridge {
    const b = this.bridges.get(name);
    if (!b) throw new Error(`unknown bridge ${name}`);
    return b;
  }

  setDrain(name: string, enabled: boolean): void {
    const b = this.mustBridge(name);
    b.drain = enabled;
    b.revision++;
  }

  /** POST /colibri/shutdown: graceful → GRACEFUL_SHUTDOWN (then SHUTTING_DOWN at 0 endpoints); else SHUTTING_DOWN. */
  shutdown(name: string, graceful: boolean): void {
    const b = this.mustBridge(name);
    if (b.failed || b.gone) return;
    if (graceful) {
      if (b.shutdownState === "RUNNING") {
        b.shutdownState = "GRACEFUL_SHUTDOWN";
        b.gracefulShutdownFlag = true;
        b.gracefulSinceMs = this.nowMs;
      }
    } else {
      this.changeToShuttingDown(b);
    }
    // Videobridge.shutdown() calls maybeShutdown right away: an idle bridge goes straight to SHUTTING_DOWN.
    this.maybeShutdown(b);
    b.revision++;
  }

  /** Scaling down: graceful shutdown; the bridge is gone once empty plus the 1 min shutting-down delay. */
  removeBridge(name: string): void {
    this.shutdown(name, true);
  }

  /** The JVB process dies: HTTP stops, it leaves the brewery, Jicofo re-invites its participants elsewhere. */
  failBridge(name: string): void {
    const b = this.mustBridge(name);
    if (b.failed || b.gone) return;
    b.failed = true;
    b.failedAtMs = this.nowMs;
    b.revision++;
    // The XMPP server sees the TCP connection of a dead process close at once, so Jicofo learns of it via the
    // brewery MUC (BridgeSelector.removeJvbAddress): a bridge leaving while not in shutdown is a "lost" bridge.
    this.jicofoRemoveBridge(b);
  }

  setHealth(name: string, health: BridgeHealth, message?: string): void {
    const b = this.mustBridge(name);
    b.health = health;
    b.healthMessage = health === "healthy" ? null : message ?? "Simulated health check failure";
    b.revision++;
  }

  setRest(name: string, rest: { colibri?: boolean; shutdown?: boolean }): void {
    const b = this.mustBridge(name);
    if (rest.colibri !== undefined) b.colibriRestEnabled = rest.colibri;
    if (rest.shutdown !== undefined) b.shutdownRestEnabled = rest.shutdown;
    b.revision++;
  }

  private maybeShutdown(b: Bridge): void {
    if (b.shutdownState === "GRACEFUL_SHUTDOWN" && b.endpointIds.size <= 0) this.changeToShuttingDown(b);
  }

  private changeToShuttingDown(b: Bridge): void {
    if (b.shutdownState === "SHUTTING_DOWN") return;
    b.shutdownState = "SHUTTING_DOWN";
    b.shuttingDownSinceMs = this.nowMs;
    b.revision++;
    // Jicofo reads shutting_down from presence and re-invites the bridge's participants (bridgeIsShuttingDown).
    if (b.jicofo.known) this.reinviteAllOn(b);
  }

  private jicofoRemoveBridge(b: Bridge): void {
    if (!b.jicofo.known) return;
    b.jicofo.known = false;
    if (!b.gracefulShutdownFlag && b.shutdownState !== "SHUTTING_DOWN") this.jicofo.lostBridges++;
    this.reinviteAllOn(b);
  }

  /** Jicofo's removeBridge for every conference on `b`, then reInviteParticipantsById. */
  private reinviteAllOn(b: Bridge): void {
    const moved = [...b.endpointIds];
    const byRoom = new Map<string, Participant[]>();
    for (const id of moved) {
      const p = this.participants.get(id);
      if (!p) continue;
      this.deallocate(p);
      const list = byRoom.get(p.room) ?? [];
      list.push(p);
      byRoom.set(p.room, list);
    }
    for (const list of byRoom.values()) for (const p of list) this.reinvite(p, b.name, "bridge-removed");
  }

  // -------------------------------------------------------------------------------------------------------------
  // Participants: controls
  // -------------------------------------------------------------------------------------------------------------

  setScenario(name: ScenarioName): void {
    this.scenario = name;
    this.scenarioStartedMs = this.nowMs;
    this.scenarioFailureDone = false;
  }

  /** Overlay a participant's network (control API); fields left out keep their current override. */
  degradeParticipant(endpointId: string, network: NetworkOverride): boolean {
    const p = this.participants.get(endpointId);
    if (!p) return false;
    p.networkOverride = { ...(p.networkOverride ?? {}), ...network };
    return true;
  }

  clearParticipantOverride(endpointId: string): boolean {
    const p = this.participants.get(endpointId);
    if (!p) return false;
    p.networkOverride = null;
    return true;
  }

  setCpuLimited(endpointId: string, limited: boolean): boolean {
    const p = this.participants.get(endpointId);
    if (!p) return false;
    p.cpuLimited = limited;
    return true;
  }

  /** A participant joins now (creating the conference if needed) and is placed by Jicofo's selection. */
  join(room: string, options: JoinOptions = {}): Participant {
    const key = room.toLowerCase();
    let conf = this.conferences.get(key);
    if (!conf) conf = this.createConference(key, this.nowMs, null, false, options.region ?? null);
    const p = this.newParticipant(conf, this.nowMs, null, false, {
      displayName: options.displayName,
      endpointId: options.endpointId,
      region: options.region,
    });
    if (options.sendingAudio !== undefined) p.sendingAudio = options.sendingAudio;
    if (options.sendingVideo !== undefined) p.sendingVideo = options.sendingVideo;
    if (options.network) p.baseNetwork = { ...p.baseNetwork, ...options.network };
    conf.pendingJoins--;
    this.doJoin(p, this.nowMs);
    return p;
  }

  leave(endpointId: string): boolean {
    const p = this.participants.get(endpointId);
    if (!p) return false;
    this.doLeave(p, this.nowMs);
    return true;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Jicofo move-endpoints API (LoadRedistributor)
  // -------------------------------------------------------------------------------------------------------------

  private getMoveBridge(id: string): Bridge {
    const b = this.findJicofoBridge(id);
    if (!b) throw new MoveError("bridge-not-found", `Bridge not found: ${id}`);
    return b;
  }

  private getMoveConference(id: string): Conference {
    // JidCreate.entityBareFrom needs a local part: "room" alone is not a conference JID.
    const at = id.indexOf("@");
    if (at <= 0 || at === id.length - 1 || id.includes("/")) throw new MoveError("invalid-parameter", "Invalid parameter: conference ID");
    const conf = this.findConferenceByJid(id);
    if (!conf) throw new MoveError("conference-not-found", `Conference not found: ${id}`);
    return conf;
  }

  /** Bridge.getConferences(): conferences on the bridge by endpoints there, descending (stable: creation order). */
  private bridgeConferences(b: Bridge): Array<[Conference, number]> {
    const out: Array<[Conference, number]> = [];
    for (const conf of this.conferences.values()) {
      const n = b.roomCounts.get(conf.room) ?? 0;
      if (n > 0) out.push([conf, n]);
    }
    return out.sort((x, y) => y[1] - x[1]);
  }

  moveEndpoint(conferenceId: string | null, endpointId: string | null, bridgeId: string | null): MoveResult {
    if (!conferenceId || conferenceId.trim() === "") throw new MoveError("missing-parameter", "Missing parameter: conference");
    if (!endpointId || endpointId.trim() === "") throw new MoveError("missing-parameter", "Missing parameter: endpoint");
    const bridge = bridgeId && bridgeId.trim() !== "" ? this.getMoveBridge(bridgeId) : null;
    const conf = this.getMoveConference(conferenceId);
    const p = this.participants.get(endpointId);
    // JitsiMeetConferenceImpl.moveEndpoint: only if connected to the given bridge; re-invite must find it.
    if (!p || p.room !== conf.room) return { movedEndpoints: 0, conferences: 0 };
    if (bridge && p.bridge !== bridge.name) return { movedEndpoints: 0, conferences: 0 };
    const from = p.bridge;
    if (p.bridge !== null) this.deallocate(p);
    this.reinvite(p, from, "move-endpoint");
    return { movedEndpoints: 1, conferences: 1 };
  }

  moveEndpoints(bridgeId: string | null, conferenceId: string | null, numEndpoints: number): MoveResult {
    if (!bridgeId || bridgeId.trim() === "") throw new MoveError("missing-parameter", "Missing parameter: bridge");
    const bridge = this.getMoveBridge(bridgeId);
    const conf = conferenceId && conferenceId.trim() !== "" ? this.getMoveConference(conferenceId) : null;
    const confs = this.bridgeConferences(bridge).filter(([c]) => conf === null || c === conf);
    return this.doMove(bridge, selectGreedy(confs, numEndpoints));
  }

  moveFraction(bridgeId: string | null, fraction: number): MoveResult {
    if (!bridgeId || bridgeId.trim() === "") throw new MoveError("missing-parameter", "Missing parameter: bridge");
    const bridge = this.getMoveBridge(bridgeId);
    const confs = this.bridgeConferences(bridge);
    const total = confs.reduce((a, [, n]) => a + n, 0);
    // Kotlin's roundToInt: half up, clamped to Int, and an IllegalArgumentException for NaN (→ HTTP 500)
    const x = fraction * total;
    if (Number.isNaN(x)) throw new Error("Cannot round NaN value.");
    const n = x >= 2_147_483_647 ? 2_147_483_647 : x <= -2_147_483_648 ? -2_147_483_648 : Math.floor(x + 0.5);
    return this.doMove(bridge, selectGreedy(confs, n));
  }

  /**
   * conference.moveEndpoints(bridge, n): remove the first n of the conference's participants on the bridge (colibri
   * session order), then re-invite them. Re-invited participants go through bridge selection again, which — as in
   * upstream Jicofo — does not exclude the source bridge: with SingleBridge (or a bridge without relay_id) a
   * participant whose conference still has others on the source bridge lands there again, and a whole conference
   * lands on the least-loaded bridge, preferring non-draining ones. Drain the source first to empty it.
   */
  private doMove(bridge: Bridge, plan: Array<[Conference, number]>): MoveResult {
    let movedEndpoints = 0;
    let conferences = 0;
    for (const [conf, n] of plan) {
      const ids = [...bridge.endpointIds].filter((id) => this.participants.get(id)?.room === conf.room).slice(0, n);
      const ps = ids.map((id) => this.participants.get(id)).filter((p): p is Participant => p !== undefined);
      for (const p of ps) this.deallocate(p);
      for (const p of ps) this.reinvite(p, bridge.name, "move-endpoints");
      movedEndpoints += ps.length;
      if (ps.length > 0) conferences++;
    }
    return { movedEndpoints, conferences };
  }

  // -------------------------------------------------------------------------------------------------------------
  // Bridge selection (BridgeSelector.selectBridge + strategy)
  // -------------------------------------------------------------------------------------------------------------

  /** Jicofo's choice of bridge for a participant of `room` (null: no bridge available). */
  selectBridge(room: string, participantRegion: string | null): Bridge | null {
    const confBridges = this.conferenceBridges(room);
    const version = confBridges.length > 0 ? this.fullVersion((confBridges[0] as [Bridge, number])[0]) : null;
    const eligible = (b: Bridge) =>
      b.jicofo.known && this.isOperational(b) && b.shutdownState !== "SHUTTING_DOWN" && (version === null || this.fullVersion(b) === version);

    if (confBridges.length > 0) {
      const existing = (confBridges[0] as [Bridge, number])[0];
      // BridgeSelectionStrategy.select: "Existing bridge does not have a relay, will not consider other bridges."
      // The candidate filters before it still apply: with no eligible bridge at all selection fails.
      if (!this.relays || existing.relayId === null) {
        for (const b of this.bridges.values()) if (eligible(b)) return existing;
        return null;
      }
    }

    // BridgeSelector.selectBridge: operational, not SHUTTING_DOWN, same version; prefer non-draining, then
    // non-graceful. What is left has one priority class, so the order is corrected stress (ties: bridge order).
    let candidates: Bridge[] = [];
    for (const b of this.bridges.values()) if (eligible(b)) candidates.push(b);
    if (candidates.length === 0) return null;
    const active = candidates.filter((b) => !b.drain);
    if (active.length > 0) candidates = active;
    const running = candidates.filter((b) => !b.gracefulShutdownFlag);
    if (running.length > 0) candidates = running;

    if (this.selectionStrategy === "RegionBasedBridgeSelectionStrategy") {
      const stress = new Map(candidates.map((b) => [b.name, this.correctedStress(b)]));
      candidates.sort((x, y) => (stress.get(x.name) as number) - (stress.get(y.name) as number) || x.index - y.index);
      return this.regionBased(candidates, confBridges, participantRegion);
    }

    // SingleBridgeSelectionStrategy.doSelect
    if (confBridges.length === 0) {
      let best: Bridge | null = null;
      let bestStress = Infinity;
      let bestInRegion: Bridge | null = null;
      let bestInRegionStress = Infinity;
      for (const b of candidates) {
        const s = this.correctedStress(b);
        if (s < bestStress) {
          best = b;
          bestStress = s;
        }
        if (participantRegion !== null && b.region === participantRegion && s < bestInRegionStress) {
          bestInRegion = b;
          bestInRegionStress = s;
        }
      }
      return bestInRegion ?? best;
    }
    if (confBridges.length !== 1) return null;
    const existing = (confBridges[0] as [Bridge, number])[0];
    return this.isOperational(existing) ? existing : null;
  }

  /** RegionBasedBridgeSelectionStrategy.doSelect without region groups; Jicofo's local region = first region. */
  private regionBased(bridges: Bridge[], confBridges: Array<[Bridge, number]>, participantRegion: string | null): Bridge | null {
    if (bridges.length === 0) return null;
    const localRegion = this.regions[0] ?? null;
    let region = participantRegion ?? localRegion;
    if (localRegion !== null && !bridges.some((b) => b.region === region)) region = localRegion;
    const inConf = new Map(confBridges.map(([b, n]) => [b.name, n]));
    const maxed = (b: Bridge) => (inConf.get(b.name) ?? 0) >= JICOFO_DEFAULTS.maxBridgeParticipants;
    const overloaded = (b: Bridge) => this.isOverloaded(b) || maxed(b);
    const notLoaded = bridges.filter((b) => !overloaded(b));
    const inRegion = (b: Bridge) => region !== null && b.region === region;
    return (
      notLoaded.find((b) => inConf.has(b.name) && inRegion(b)) ??
      notLoaded.find((b) => inConf.has(b.name) && inRegion(b)) ?? // region group = {region}
      notLoaded.find(inRegion) ??
      notLoaded.find(inRegion) ??
      notLoaded.find((b) => inConf.has(b.name)) ??
      bridges.find((b) => !this.isOverloaded(b)) ??
      bridges.find((b) => inConf.has(b.name) && !maxed(b)) ??
      bridges[0] ??
      null
    );
  }

  // -------------------------------------------------------------------------------------------------------------
  // Allocation
  // -------------------------------------------------------------------------------------------------------------

  /** Place a participant; false when no bridge is available or the JVB refuses (graceful shutdown). */
  private place(p: Participant, reason: "join" | "move"): boolean {
    const b = this.selectBridge(p.room, p.region);
    if (!b) return false;
    // Videobridge.getOrCreateConference: a bridge in graceful shutdown refuses new conferences.
    if (b.shutdownState === "GRACEFUL_SHUTDOWN" && !b.jvbConferences.has(p.room)) return false;
    this.allocate(p, b, reason);
    return true;
  }

  private allocate(p: Participant, b: Bridge, reason: "join" | "move"): void {
    const conf = this.conferences.get(p.room);
    if (!conf) return;
    p.bridge = b.name;
    b.endpointIds.add(p.endpointId);
    b.roomCounts.set(p.room, (b.roomCounts.get(p.room) ?? 0) + 1);
    if (!b.jvbConferences.has(p.room)) {
      // Videobridge.generateConferenceID: Long.toHexString(now + random long)
      b.jvbConferences.set(p.room, { id: hexString(this.rng, 16).replace(/^0+/, ""), createdAtMs: this.nowMs });
      b.counters.conferencesCreated++;
    }
    if (!conf.bridgeOrder.includes(b.name)) {
      if (this.relays && conf.bridgeOrder.length > 0) {
        // a full mesh of relays: the new bridge opens one to each existing bridge, each of them one back
        b.counters.totalRelays += conf.bridgeOrder.length;
        for (const other of conf.bridgeOrder) {
          const ob = this.bridges.get(other);
          if (ob) ob.counters.totalRelays++;
        }
      }
      conf.bridgeOrder.push(b.name);
    }
    b.counters.totalEndpoints++;
    if (chance(this.rng, 0.004)) {
      // ICE fails once, the client restarts ICE and gets through.
      b.counters.iceFailed++;
      b.counters.endpointsIceFailed++;
      this.jicofo.iceFailed++;
      this.pushEvent(p, "ice_failure", { bridge: b.name });
    }
    b.counters.iceSucceeded++;
    if (p.turnRelayed) b.counters.iceSucceededRelayed++;
    b.jicofo.endpoints++;
    b.jicofo.recentAddsMs.push(this.nowMs);
    if (reason === "join") {
      this.countJingle("session-initiate", "session-accept");
    } else {
      this.countJingle("transport-replace", "transport-accept");
    }
  }

  private deallocate(p: Participant): void {
    const name = p.bridge;
    if (name === null) return;
    p.bridge = null;
    const b = this.bridges.get(name);
    if (!b) return;
    b.endpointIds.delete(p.endpointId);
    b.jicofo.endpoints = Math.max(0, b.jicofo.endpoints - 1);
    const left = (b.roomCounts.get(p.room) ?? 1) - 1;
    if (left > 0) {
      b.roomCounts.set(p.room, left);
    } else {
      b.roomCounts.delete(p.room);
      const jc = b.jvbConferences.get(p.room);
      if (jc && !b.failed) {
        b.counters.conferencesCompleted++;
        b.counters.conferenceSeconds += Math.floor((this.nowMs - jc.createdAtMs) / 1000);
      }
      b.jvbConferences.delete(p.room);
      const conf = this.conferences.get(p.room);
      if (conf) conf.bridgeOrder = conf.bridgeOrder.filter((n) => n !== name);
    }
    // Videobridge.localEndpointExpired → ShutdownManager.maybeShutdown
    if (!b.failed) this.maybeShutdown(b);
  }

  private reinvite(p: Participant, fromBridge: string | null, reason: string): void {
    this.jicofo.participantsMoved++;
    if (this.place(p, "move")) {
      this.pushEvent(p, "reconnect", { reason, fromBridge: fromBridge ?? "none", toBridge: p.bridge ?? "none" });
    } else {
      this.jicofo.unplaced++;
    }
  }

  private countJingle(sent: string, received: string): void {
    this.jicofo.jingleSent[sent] = (this.jicofo.jingleSent[sent] ?? 0) + 1;
    this.jicofo.jingleReceived[received] = (this.jicofo.jingleReceived[received] ?? 0) + 1;
  }

  private pushEvent(p: Participant, kind: FleetEventKind, detail?: Record<string, string | number | boolean>, atMs?: number): void {
    const conf = this.conferences.get(p.room);
    this.events.push({
      kind,
      atMs: atMs ?? this.nowMs,
      endpointId: p.endpointId,
      room: p.room,
      meetingId: conf?.meetingId ?? "",
      displayName: p.displayName,
      ...(detail ? { detail } : {}),
    });
    // nobody drains the buffer when ingest is off: trim in chunks rather than shifting on every event
    if (this.events.length > MAX_EVENTS * 1.1) {
      const drop = this.events.length - MAX_EVENTS;
      this.events.splice(0, drop);
      this.droppedEvents += drop;
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // Population
  // -------------------------------------------------------------------------------------------------------------

  private uniqueEndpointId(preferred?: string): string {
    if (preferred && !this.usedEndpointIds.has(preferred)) {
      this.usedEndpointIds.add(preferred);
      return preferred;
    }
    for (;;) {
      const id = hexString(this.rng, 8);
      if (!this.usedEndpointIds.has(id)) {
        this.usedEndpointIds.add(id);
        return id;
      }
    }
  }

  private randomNetwork(): NetworkProfile {
    const r = this.rng;
    const poorLoss = chance(r, 0.04);
    const poorBandwidth = chance(r, 0.05);
    return {
      rttMs: clamp(Math.exp(Math.log(45) + 0.5 * gaussian(r)), 8, 400),
      lossSendFraction: poorLoss ? uniform(r, 0.02, 0.05) : uniform(r, 0, 0.008),
      lossRecvFraction: poorLoss ? uniform(r, 0.015, 0.04) : uniform(r, 0, 0.008),
      jitterMs: uniform(r, 2, 12),
      sendBandwidthKbps: poorBandwidth ? uniform(r, 400, 900) : uniform(r, 1_500, 6_000),
      recvBandwidthKbps: poorBandwidth ? uniform(r, 800, 2_000) : uniform(r, 3_000, 25_000),
    };
  }

  private randomName(): string {
    return `${pick(this.rng, FIRST_NAMES)} ${pick(this.rng, LAST_NAMES)}`;
  }

  private statsIdFor(displayName: string, stable: boolean): string {
    const first = displayName.split(" ")[0] ?? "User";
    if (stable) return `${first}-${(fnv1a(displayName) % 46_656).toString(36).padStart(3, "0")}`;
    let suffix = "";
    for (let i = 0; i < 3; i++) suffix += Math.floor(nextFloat(this.rng) * 36).toString(36);
    return `${first}-${suffix}`;
  }

  private uniqueRoomName(): string {
    for (let attempt = 0; ; attempt++) {
      const r = this.rng;
      const kind = nextFloat(r);
      const name =
        kind < 0.35
          ? `team-${randInt(r, 1, 999)}`
          : kind < 0.75
            ? `${pick(r, ROOM_WORDS)}-${pick(r, ROOM_SUFFIXES)}`
            : `${pick(r, ROOM_WORDS)}-${randInt(r, 2, 99)}`;
      const unique = attempt > 20 ? `${name}-${hexString(r, 4)}` : name;
      if (!this.conferences.has(unique) && !DEMO_ROOMS.some((d) => d.room === unique)) return unique;
    }
  }

  private createConference(room: string, createdAtMs: number, endAtMs: number | null, demo: boolean, region: string | null): Conference {
    const conf: Conference = {
      room,
      mucJid: this.mucJid(room),
      meetingId: uuidV4(this.rng),
      createdAtMs,
      endAtMs,
      demo,
      region,
      endpointIds: [],
      pendingJoins: 0,
      bridgeOrder: [],
      jicofoCreatedAtMs: createdAtMs,
    };
    this.conferences.set(room, conf);
    this.jicofo.totalConferencesCreated++;
    return conf;
  }

  private newParticipant(
    conf: Conference,
    joinAtMs: number,
    leaveAtMs: number | null,
    demo: boolean,
    opts: { displayName?: string; endpointId?: string; region?: string | null; stable?: boolean } = {},
  ): Participant {
    const r = this.rng;
    const displayName = opts.displayName ?? this.randomName();
    const stableId = opts.stable ? (fnv1a(`${conf.room}/${displayName}`) >>> 0).toString(16).padStart(8, "0") : undefined;
    let endpointId = opts.endpointId ?? stableId;
    let statsId = this.statsIdFor(displayName, opts.stable ?? false);
    if (displayName === BAD_NETWORK_TARGET.displayName && conf.room === BAD_NETWORK_TARGET.room) {
      endpointId = BAD_NETWORK_TARGET.endpointId;
      statsId = BAD_NETWORK_TARGET.statsId;
    } else if (displayName === CPU_STARVED_TARGET.displayName && conf.room === CPU_STARVED_TARGET.room) {
      endpointId = CPU_STARVED_TARGET.endpointId;
      statsId = CPU_STARVED_TARGET.statsId;
    }
    const size = conf.endpointIds.length + conf.pendingJoins + 1;
    const p: Participant = {
      endpointId: this.uniqueEndpointId(endpointId),
      displayName,
      statsId,
      room: conf.room,
      region:
        opts.region !== undefined
          ? opts.region
          : chance(r, 0.85)
            ? conf.region
            : this.regions.length > 0 && chance(r, 0.5)
              ? pick(r, this.regions)
              : null,
      joinAtMs,
      joinedAtMs: null,
      leaveAtMs,
      bridge: null,
      demo,
      sendingAudio: chance(r, size > 12 ? 0.12 : 0.35),
      sendingVideo: chance(r, size > 12 ? 0.35 : 0.7),
      videoHeightPx: chance(r, 0.8) ? 720 : 360,
      codec: chance(r, 0.85) ? "VP8" : chance(r, 0.7) ? "VP9" : "AV1",
      transport: chance(r, 0.95) ? "udp" : "tcp",
      turnRelayed: chance(r, 0.04),
      baseNetwork: this.randomNetwork(),
      networkOverride: null,
      cpuLimited: false,
      metrics: emptyMetrics(),
    };
    conf.pendingJoins++;
    return p;
  }

  /** A demo meeting with a fixed roster (stable endpoint ids), recurring every 55 min with a 20 s gap. */
  private startDemoMeeting(room: string, createdAtMs: number): void {
    const demo = DEMO_ROOMS.find((d) => d.room === room);
    if (!demo || this.conferences.has(room)) return;
    const endAtMs = createdAtMs + DEMO_MEETING_MS;
    const conf = this.createConference(room, createdAtMs, endAtMs, true, this.regions[0] ?? null);
    for (const name of demo.members) {
      const p = this.newParticipant(conf, createdAtMs, endAtMs, true, { displayName: name, stable: true, region: this.regions[0] ?? null });
      p.sendingVideo = !(demo.videoOff ?? []).includes(name);
      p.sendingAudio = name === demo.members[0] || chance(this.rng, 0.3);
      p.videoHeightPx = 720;
      p.baseNetwork = {
        rttMs: 25 + (fnv1a(name) % 40),
        lossSendFraction: 0.002,
        lossRecvFraction: 0.002,
        jitterMs: 4,
        sendBandwidthKbps: 5_000,
        recvBandwidthKbps: 20_000,
      };
      p.turnRelayed = false;
      p.transport = "udp";
      conf.pendingJoins--;
      this.doJoin(p, Math.min(createdAtMs, this.nowMs));
    }
  }

  /** Conference size: mostly small meetings, a tail of large ones. */
  private randomConferenceSize(): number {
    const x = nextFloat(this.rng);
    if (x < 0.18) return 2;
    if (x < 0.52) return randInt(this.rng, 3, 5);
    if (x < 0.82) return randInt(this.rng, 6, 10);
    if (x < 0.95) return randInt(this.rng, 11, 20);
    return randInt(this.rng, 21, 40);
  }

  /** A random conference whose first participant arrives at createdAtMs; later ones are scheduled. */
  private spawnConference(createdAtMs: number): void {
    const r = this.rng;
    const durationMs = uniform(r, 15, 45) * 60_000;
    const endAtMs = createdAtMs + durationMs;
    const region = this.regions.length > 0 ? (chance(r, 0.65) ? (this.regions[0] as string) : pick(r, this.regions)) : null;
    const conf = this.createConference(this.uniqueRoomName(), createdAtMs, endAtMs, false, region);
    const size = this.randomConferenceSize();
    for (let i = 0; i < size; i++) {
      const joinAtMs =
        i === 0 ? createdAtMs : chance(r, 0.85) ? createdAtMs + uniform(r, 0, Math.min(180_000, durationMs / 4)) : createdAtMs + uniform(r, 0, durationMs * 0.7);
      const leaveAtMs = chance(r, 0.8) ? endAtMs - uniform(r, 0, 120_000) : uniform(r, joinAtMs + 60_000, endAtMs);
      const p = this.newParticipant(conf, joinAtMs, Math.max(leaveAtMs, joinAtMs + 30_000), false);
      if (joinAtMs <= this.nowMs) {
        conf.pendingJoins--;
        if ((p.leaveAtMs as number) > this.nowMs) this.doJoin(p, joinAtMs);
        else this.usedEndpointIds.delete(p.endpointId);
      } else {
        this.pending.push(p);
      }
    }
    if (conf.endpointIds.length === 0 && conf.pendingJoins === 0) this.conferences.delete(conf.room);
  }

  private randomConferenceCount(): number {
    let n = 0;
    for (const c of this.conferences.values()) if (!c.demo) n++;
    return n;
  }

  private targetConferences(): number {
    return this.baseBridgeCount * this.conferencesPerBridge * demandMultiplier(this.scenario, this.nowMs - this.scenarioStartedMs, this.surgeRampMs);
  }

  /** The population a fleet that has been running for a while has: conferences of random ages. */
  private prepopulate(): void {
    const n = Math.round(this.targetConferences());
    // Placement sees no stress samples yet; Jicofo's ramp-up correction (+0.01 per endpoint added "recently",
    // all of them here) spreads the load instead. The constructor then samples real stress and clears it.
    for (let i = 0; i < n; i++) this.spawnConference(this.nowMs - uniform(this.rng, 0, 25 * 60_000));
  }

  private doJoin(p: Participant, atMs: number): void {
    const conf = this.conferences.get(p.room);
    if (!conf) return;
    p.joinedAtMs = atMs;
    this.participants.set(p.endpointId, p);
    conf.endpointIds.push(p.endpointId);
    this.jicofo.totalParticipants++;
    this.pushEvent(p, "join", { region: p.region ?? "none" }, atMs);
    if (!this.place(p, "join")) this.jicofo.unplaced++;
  }

  private doLeave(p: Participant, atMs: number): void {
    this.deallocate(p);
    this.pushEvent(p, "leave", undefined, atMs);
    this.participants.delete(p.endpointId);
    this.usedEndpointIds.delete(p.endpointId);
    const conf = this.conferences.get(p.room);
    if (!conf) return;
    conf.endpointIds = conf.endpointIds.filter((id) => id !== p.endpointId);
    if (conf.endpointIds.length === 0 && conf.pendingJoins === 0) {
      this.conferences.delete(conf.room);
      if (conf.demo) this.demoRestarts.push({ room: conf.room, atMs: Math.max(atMs, conf.endAtMs ?? atMs) + DEMO_RESTART_GAP_MS });
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // Time
  // -------------------------------------------------------------------------------------------------------------

  /** Advance the simulation to nowMs (in sub-steps of at most 5 s). */
  step(nowMs: number): void {
    while (this.nowMs < nowMs) {
      const next = Math.min(nowMs, this.nowMs + MAX_SUBSTEP_MS);
      this.advance(next);
    }
    this.tick++;
  }

  private advance(nowMs: number): void {
    const dtMs = nowMs - this.nowMs;
    this.nowMs = nowMs;

    this.scenarioTriggers();
    this.departures();
    this.arrivals(dtMs);
    this.retryUnplaced();
    this.jicofoHealthChecks();
    this.shutdownTransitions();
    this.randomEvents(dtMs);
    this.refresh(dtMs);
    for (const b of this.bridges.values()) {
      if (!b.failed && !b.gone && this.nowMs >= b.nextStressSampleMs) {
        this.sampleStress(b);
        while (b.nextStressSampleMs <= this.nowMs) b.nextStressSampleMs += JVB_DEFAULTS.stressSampleIntervalMs;
      }
    }
  }

  private scenarioTriggers(): void {
    if (this.scenario === "bridge-failure" && !this.scenarioFailureDone && this.nowMs - this.scenarioStartedMs >= this.bridgeFailureAfterMs) {
      this.scenarioFailureDone = true;
      const victim = this.liveBridges()
        .filter((b) => b.shutdownState === "RUNNING")
        .sort((a, b) => b.endpointIds.size - a.endpointIds.size || a.index - b.index)[0];
      if (victim) this.failBridge(victim.name);
    }
  }

  private departures(): void {
    for (const p of [...this.participants.values()]) {
      if (p.leaveAtMs !== null && p.leaveAtMs <= this.nowMs) this.doLeave(p, p.leaveAtMs);
    }
    for (let i = this.demoRestarts.length - 1; i >= 0; i--) {
      const r = this.demoRestarts[i] as { room: string; atMs: number };
      if (r.atMs <= this.nowMs) {
        this.demoRestarts.splice(i, 1);
        this.startDemoMeeting(r.room, r.atMs);
      }
    }
  }

  private arrivals(dtMs: number): void {
    // scheduled joins of running conferences
    for (let i = this.pending.length - 1; i >= 0; i--) {
      const p = this.pending[i] as Participant;
      if (p.joinAtMs > this.nowMs) continue;
      this.pending.splice(i, 1);
      const conf = this.conferences.get(p.room);
      if (!conf) continue;
      conf.pendingJoins--;
      this.doJoin(p, p.joinAtMs);
    }
    if (!this.population) return;
    // new conferences: replacement rate (Little's law) plus a catch-up term towards the scenario's target
    const target = this.targetConferences();
    const current = this.randomConferenceCount();
    const perSecond = target / (MEAN_CONFERENCE_MS / 1000) + Math.max(0, target - current) / 60;
    const n = poisson(this.rng, (perSecond * dtMs) / 1000);
    for (let i = 0; i < n; i++) this.spawnConference(this.nowMs - uniform(this.rng, 0, dtMs));
  }

  private retryUnplaced(): void {
    if (this.jicofo.unplaced === 0) return;
    let unplaced = 0;
    for (const p of this.participants.values()) {
      if (p.bridge !== null) continue;
      if (!this.place(p, "join")) unplaced++;
    }
    this.jicofo.unplaced = unplaced;
  }

  /** JvbDoctor: every 10 s per bridge; a failed check marks it non-operational and moves its conferences away. */
  private jicofoHealthChecks(): void {
    for (const b of this.bridges.values()) {
      if (!b.jicofo.known || this.nowMs < b.jicofo.nextHealthCheckMs) continue;
      while (b.jicofo.nextHealthCheckMs <= this.nowMs) b.jicofo.nextHealthCheckMs += JICOFO_DEFAULTS.healthCheckIntervalMs;
      if (b.health === "healthy") {
        b.jicofo.operational = true;
      } else {
        b.jicofo.operational = false;
        b.jicofo.failureAtMs = this.nowMs;
        this.reinviteAllOn(b);
      }
    }
  }

  private shutdownTransitions(): void {
    for (const b of this.bridges.values()) {
      if (b.failed || b.gone) continue;
      if (b.shutdownState === "GRACEFUL_SHUTDOWN") {
        this.maybeShutdown(b);
        if (b.gracefulSinceMs !== null && this.nowMs - b.gracefulSinceMs >= JVB_DEFAULTS.gracefulShutdownMaxDurationMs) this.changeToShuttingDown(b);
      }
      if (b.shutdownState === "SHUTTING_DOWN" && b.shuttingDownSinceMs !== null && this.nowMs - b.shuttingDownSinceMs >= JVB_DEFAULTS.shuttingDownDelayMs) {
        b.gone = true;
        b.goneAtMs = this.nowMs;
        b.revision++;
        this.jicofoRemoveBridge(b);
      }
    }
  }

  private randomEvents(dtMs: number): void {
    const r = this.rng;
    const dtS = dtMs / 1000;
    for (const p of this.participants.values()) {
      if (p.bridge === null) continue;
      if (chance(r, dtS / 120)) p.sendingAudio = !p.sendingAudio;
      if (!p.demo && chance(r, dtS / 1_800)) p.sendingVideo = !p.sendingVideo;
      const bad = p.metrics.lossSendFraction > 0.1 || p.metrics.lossRecvFraction > 0.1;
      // Bad networks drop the connection every few minutes; healthy ones about twice a day.
      if (chance(r, dtS / (bad ? 240 : 43_200))) {
        const b = this.bridges.get(p.bridge);
        if (b) {
          b.counters.endpointsDisconnected++;
          b.counters.endpointsReconnected++;
          if (chance(r, 0.2)) {
            this.jicofo.requestRestart++;
            b.jicofo.restartRequestsMs.push(this.nowMs);
          }
        }
        this.pushEvent(p, "reconnect", { reason: "network", bridge: p.bridge });
      }
    }
  }

  /** Stress sample (every 10 s per bridge): the cpu-usage measurement over load-threshold 0.9. */
  private sampleStress(b: Bridge): void {
    const steal = uniform(this.rng, 0, 0.015);
    const stress = stressFromCpuLoad(Math.min(1, b.agg.cpuLoad) + steal);
    if (stress !== b.stressLevel) b.revision++;
    b.stressLevel = stress;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Derived metrics and bridge aggregates
  // -------------------------------------------------------------------------------------------------------------

  private effectiveNetwork(p: Participant, stressLevel: number): NetworkProfile {
    let net: NetworkProfile = p.baseNetwork;
    if (this.scenario === "bad-network" && p.endpointId === BAD_NETWORK_TARGET.endpointId) net = { ...net, ...BAD_NETWORK_PROFILE };
    if (p.networkOverride) net = { ...net, ...p.networkOverride };
    const d = bridgeDegradation(stressLevel);
    const r = this.rng;
    // per-tick wobble so time series look alive
    const wobble = () => 0.85 + 0.3 * nextFloat(r);
    return {
      rttMs: (net.rttMs + d.extraRttMs) * (0.95 + 0.1 * nextFloat(r)),
      lossSendFraction: clamp(net.lossSendFraction * wobble() + d.extraLossFraction, 0, 1),
      lossRecvFraction: clamp(net.lossRecvFraction * wobble() + d.extraLossFraction, 0, 1),
      jitterMs: (net.jitterMs + d.extraJitterMs) * wobble(),
      sendBandwidthKbps: net.sendBandwidthKbps,
      recvBandwidthKbps: net.recvBandwidthKbps,
    };
  }

  private isCpuLimited(p: Participant): boolean {
    return p.cpuLimited || (this.scenario === "cpu-starved" && p.endpointId === CPU_STARVED_TARGET.endpointId);
  }

  /**
   * Recompute every participant's metrics and every bridge's aggregates; integrate counters over dtMs.
   * One pass per conference: send side first, then what each member receives from the others.
   */
  refresh(dtMs: number): void {
    for (const b of this.bridges.values()) {
      if (b.failed || b.gone) continue;
      b.agg = emptyAggregates();
      b.agg.cpuLoad = b.baseCpuLoad;
    }
    const rttSum = new Map<string, [number, number, number]>(); // bridge → [rtt sum, count, jitter sum]
    const lost = new Map<string, [number, number]>(); // bridge → [lost in pps, lost out pps]

    for (const conf of this.conferences.values()) {
      const members: Participant[] = [];
      for (const id of conf.endpointIds) {
        const p = this.participants.get(id);
        if (p && p.bridge !== null) members.push(p);
      }
      const n = members.length;
      if (n === 0) continue;
      const p2p = n === 2 && (members[0] as Participant).bridge === (members[1] as Participant).bridge;

      // send side
      let audioSenders = 0;
      let videoSenders = 0;
      let top1 = 0;
      let top1Id = "";
      let top1Height = 0;
      let top1Fps = 0;
      let top2 = 0;
      let top2Height = 0;
      let top2Fps = 0;
      let thumbSum = 0;
      for (const p of members) {
        const b = this.bridges.get(p.bridge as string) as Bridge;
        const net = this.effectiveNetwork(p, b.stressLevel);
        const m = p.metrics;
        m.rttMs = net.rttMs;
        m.lossSendFraction = net.lossSendFraction;
        m.lossRecvFraction = net.lossRecvFraction;
        m.jitterMs = net.jitterMs;
        m.availableSendBandwidthKbps = net.sendBandwidthKbps;
        m.availableRecvBandwidthKbps = net.recvBandwidthKbps;
        m.audioSendKbps = p.sendingAudio ? 36 + 6 * nextFloat(this.rng) : 0;
        m.qualityLimitationReason = "none";
        m.videoSendKbps = 0;
        m.videoSendHeightPx = 0;
        m.videoSendFps = 0;
        // alone in the meeting: the bridge asks the client to suspend video nobody receives
        if (p.sendingVideo && n > 1) {
          let height = p.videoHeightPx;
          let fps = 30;
          if (this.isCpuLimited(p)) {
            height = 180;
            fps = 6 + 2 * nextFloat(this.rng);
            m.qualityLimitationReason = "cpu";
          }
          const budget = net.sendBandwidthKbps * 0.85 - m.audioSendKbps;
          if (videoKbpsForHeight(height) > budget) {
            height = heightForBudget(budget, height);
            if (m.qualityLimitationReason === "none") m.qualityLimitationReason = "bandwidth";
          }
          let kbps = Math.min(videoKbpsForHeight(height), Math.max(100, budget));
          if (m.qualityLimitationReason === "cpu") kbps = Math.min(kbps, 120 + 30 * nextFloat(this.rng));
          // congestion control backs off under loss
          kbps *= 1 - Math.min(0.6, net.lossSendFraction * 2.5);
          fps *= 1 - Math.min(0.5, net.lossSendFraction * 2);
          m.videoSendKbps = kbps;
          m.videoSendHeightPx = height;
          m.videoSendFps = fps;
          videoSenders++;
          const thumb = Math.min(kbps, 200);
          thumbSum += thumb;
          if (kbps > top1) {
            top2 = top1;
            top2Height = top1Height;
            top2Fps = top1Fps;
            top1 = kbps;
            top1Id = p.endpointId;
            top1Height = height;
            top1Fps = fps;
          } else if (kbps > top2) {
            top2 = kbps;
            top2Height = height;
            top2Fps = fps;
          }
        }
        if (m.audioSendKbps > 0) audioSenders++;
        m.sendPps = (m.audioSendKbps > 0 ? AUDIO_PPS : 0) + (m.videoSendKbps * 1000) / 8 / VIDEO_PACKET_BYTES;
        // what the client itself shows: lib-jitsi-meet's formula, as Meetscope's analysis implements it
        m.connectionQuality = Math.round(
          jitsiConnectionQuality({
            sendingVideo: m.videoSendKbps > 0,
            sendHeightPx: m.videoSendHeightPx,
            videoCodec: p.codec,
            uploadBitrateKbps: m.audioSendKbps + m.videoSendKbps,
            uploadLossFraction: m.lossSendFraction,
            videoSendingForMs: null,
            previous: null,
          }),
        );
      }

      // receive side, per member, and the bridges' aggregates
      const onBridges = new Set(members.map((p) => p.bridge as string));
      const spans = onBridges.size > 1;
      for (const p of members) {
        const m = p.metrics;
        const otherAudio = audioSenders - (m.audioSendKbps > 0 ? 1 : 0);
        m.audioRecvKbps = Math.min(otherAudio, 5) * 36;
        const isTop = p.endpointId === top1Id;
        const stageKbps = Math.min(isTop ? top2 : top1, 1_500);
        const thumbs = Math.max(0, thumbSum - (m.videoSendKbps > 0 ? Math.min(m.videoSendKbps, 200) : 0) - Math.min(isTop ? top2 : top1, 200));
        const thumbsScaled = videoSenders > 21 ? (thumbs * 20) / (videoSenders - 1) : thumbs;
        const wantedKbps = stageKbps + thumbsScaled;
        const capKbps = m.availableRecvBandwidthKbps * 0.9;
        m.oversending = wantedKbps > capKbps;
        m.videoRecvKbps = Math.min(wantedKbps, capKbps) * (1 - Math.min(0.6, m.lossRecvFraction * 2.5));
        m.videoRecvHeightPx = stageKbps > 0 ? (isTop ? top2Height : top1Height) : 0;
        m.videoRecvFps = stageKbps > 0 ? (isTop ? top2Fps : top1Fps) : 0;
        if (m.oversending && m.videoRecvHeightPx > 360) m.videoRecvHeightPx = 360;
        m.recvPps = Math.min(otherAudio, 5) * AUDIO_PPS + (m.videoRecvKbps * 1000) / 8 / VIDEO_PACKET_BYTES;
        m.concealedFraction = clamp(m.lossRecvFraction * 1.5 + m.jitterMs / 2_000, 0, 1);
        m.memoryUsedMb = Math.round(350 + n * 12 + (m.videoSendKbps > 0 ? 120 : 0));

        const b = this.bridges.get(p.bridge as string) as Bridge;
        if (b.failed || b.gone) continue;
        const a = b.agg;
        a.localEndpoints++;
        if (p2p) {
          a.inactiveEndpoints++;
          a.cpuLoad += endpointCpuCost({ active: false, sendingAudio: false, videoSendKbps: 0, conferenceSize: n, conferenceVideoSenders: 0 });
          continue;
        }
        a.activeEndpoints++;
        if (m.audioSendKbps > 0) a.endpointsSendingAudio++;
        if (m.videoSendKbps > 0) a.endpointsSendingVideo++;
        if (m.audioSendKbps <= 0 && !p.sendingVideo) a.receiveOnlyEndpoints++;
        if (p.sendingVideo && n === 1) a.endpointsWithSuspendedSources++;
        if (m.oversending) a.endpointsOversending++;
        if (m.lossRecvFraction > 0.1) a.endpointsWithHighOutgoingLoss++;
        a.bitrateDownloadBps += (m.audioSendKbps + m.videoSendKbps) * 1000 * RTP_OVERHEAD;
        a.bitrateUploadBps += (m.audioRecvKbps + m.videoRecvKbps) * 1000 * RTP_OVERHEAD;
        a.packetRateDownloadPps += m.sendPps;
        a.packetRateUploadPps += m.recvPps;
        const l = lost.get(b.name) ?? [0, 0];
        l[0] += m.sendPps * m.lossSendFraction;
        l[1] += m.recvPps * m.lossRecvFraction;
        lost.set(b.name, l);
        const rs = rttSum.get(b.name) ?? [0, 0, 0];
        rs[0] += m.rttMs;
        rs[1] += 1;
        rs[2] += m.jitterMs;
        rttSum.set(b.name, rs);
        a.cpuLoad += endpointCpuCost({
          active: true,
          sendingAudio: m.audioSendKbps > 0,
          videoSendKbps: m.videoSendKbps,
          conferenceSize: n,
          conferenceVideoSenders: videoSenders,
        });
      }

      // per bridge: conference counts and relays
      for (const name of onBridges) {
        const b = this.bridges.get(name) as Bridge;
        if (b.failed || b.gone) continue;
        const a = b.agg;
        const local = members.filter((p) => p.bridge === name);
        a.conferences++;
        if (p2p) {
          a.inactiveConferences++;
          a.p2pConferences++;
        }
        const relayed = this.relays ? n - local.length : 0;
        a.relayedEndpoints += relayed;
        a.largestConference = Math.max(a.largestConference, local.length + relayed);
        if (this.relays && spans) {
          a.relayConferences++;
          const localSendKbps = local.reduce((s, p) => s + p.metrics.audioSendKbps + p.metrics.videoSendKbps, 0);
          const remoteSendKbps = members.filter((p) => p.bridge !== name).reduce((s, p) => s + p.metrics.audioSendKbps + p.metrics.videoSendKbps, 0);
          a.relaySendBitrateBps += localSendKbps * 1000 * (onBridges.size - 1);
          a.relayReceiveBitrateBps += remoteSendKbps * 1000;
          a.relaySendPps += (localSendKbps * 1000 * (onBridges.size - 1)) / 8 / VIDEO_PACKET_BYTES;
          a.relayReceivePps += (remoteSendKbps * 1000) / 8 / VIDEO_PACKET_BYTES;
          a.cpuLoad += 0.002 + remoteSendKbps / 2_000_000;
        }
        if (!p2p && n >= 3) b.counters.dominantSpeakerChanges += dtMs / 15_000;
      }
    }

    const dtS = dtMs / 1000;
    for (const b of this.bridges.values()) {
      if (b.failed || b.gone) continue;
      const a = b.agg;
      const rs = rttSum.get(b.name);
      a.rttAggregateMs = rs && rs[1] > 0 ? rs[0] / rs[1] : 0;
      a.jitterAggregateMs = rs && rs[1] > 0 ? rs[2] / rs[1] : 0;
      const l = lost.get(b.name) ?? [0, 0];
      a.incomingLossFraction = a.packetRateDownloadPps > 0 ? l[0] / (a.packetRateDownloadPps + l[0]) : 0;
      a.outgoingLossFraction = a.packetRateUploadPps > 0 ? l[1] / a.packetRateUploadPps : 0;
      const total = a.packetRateDownloadPps + l[0] + a.packetRateUploadPps;
      a.overallLossFraction = total > 0 ? (l[0] + l[1]) / total : 0;
      a.threads = Math.round(70 + a.conferences * 3 + a.localEndpoints * 0.5);
      a.cpuLoad += a.relayConferences * 0.001;

      const c = b.counters;
      c.bytesReceived += (a.bitrateDownloadBps / 8) * dtS;
      c.bytesSent += (a.bitrateUploadBps / 8) * dtS;
      c.packetsReceived += a.packetRateDownloadPps * dtS;
      c.packetsSent += a.packetRateUploadPps * dtS;
      c.relayBytesReceived += (a.relayReceiveBitrateBps / 8) * dtS;
      c.relayBytesSent += (a.relaySendBitrateBps / 8) * dtS;
      c.relayPacketsReceived += a.relayReceivePps * dtS;
      c.relayPacketsSent += a.relaySendPps * dtS;
      c.videoStreamMsReceived += a.endpointsSendingVideo * dtMs;
      c.keyframesReceived += a.endpointsSendingVideo * dtS * (0.1 + a.incomingLossFraction * 5);
      c.layeringChangesReceived += a.endpointsSendingVideo * dtS * 0.05;
      c.wsMessagesReceived += a.localEndpoints * dtS * 0.5;
      c.wsMessagesSent += a.localEndpoints * dtS * 1.5;
      c.preemptiveKfrSent += a.endpointsSendingVideo * dtS * 0.01;
      c.preemptiveKfrSuppressed += a.endpointsSendingVideo * dtS * 0.003;
    }
  }
}
