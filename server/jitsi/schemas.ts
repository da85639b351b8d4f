import { z } from "zod";
import type { ComponentVersion, JicofoBridge, JicofoDebug, JicofoStats, JvbDebug, JvbStats, MoveResult } from "./types";

/**
 * zod schemas for the raw JSON the JVB and Jicofo REST APIs return (../../shared/reference/jitsi-apis.md §1, §2),
 * each transforming into the normalized types of ./types. Objects are `looseObject`s: bridges add keys with
 * every release, and an unknown key must never fail a poll. Numbers are plain `z.number()`: the JVB emits
 * Longs as integers and Doubles as floats, and which is which has changed between versions.
 */

// ---------------------------------------------------------------------------------------------------------------
// Shared pieces

/**
 * Jicofo stringifies nullable values (`region.toString()`), so "not set" arrives as the string "null";
 * absent keys and JSON null mean the same.
 */
const optionalText = z
  .string()
  .nullish()
  .transform((s) => (s == null || s === "null" ? null : s));

/** JVB `/debug` writes `load_management` values with toString(): "0.23", "NaN". Real numbers are accepted too. */
const numberInText = z.union([z.number(), z.string()]).transform((v) => {
  if (typeof v === "number") return v;
  const n = v.trim() === "" ? NaN : Number(v);
  return Number.isFinite(n) ? n : null;
});

/** Same for booleans: "true" / "false". Anything else is unknown (null). */
const booleanInText = z.union([z.boolean(), z.string()]).transform((v) => {
  if (typeof v === "boolean") return v;
  if (v === "true") return true;
  if (v === "false") return false;
  return null;
});

/** `current_timestamp` of /colibri/stats: UTC `yyyy-MM-dd HH:mm:ss.SSS`, no zone designator. */
const JVB_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/;

export function parseJvbTimestamp(text: string): Date | null {
  const m = JVB_TIMESTAMP.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const ms = Number((m[7] ?? "0").padEnd(3, "0").slice(0, 3));
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms));
  // Date.UTC silently rolls "2025-13-40" over into the next year; a rolled-over date is not what the bridge meant.
  const roundTrips = date.getUTCMonth() === month - 1 && date.getUTCDate() === day && hour < 24 && minute < 60 && second < 60;
  return roundTrips ? date : null;
}

const jvbTimestamp = z.string().transform((text, ctx) => {
  const date = parseJvbTimestamp(text);
  if (date) return date;
  ctx.addIssue({ code: "custom", message: `expected UTC "yyyy-MM-dd HH:mm:ss.SSS", got ${JSON.stringify(text.slice(0, 40))}` });
  return z.NEVER;
});

const BPS_PER_KBPS = 1000;
const bpsToKbps = (bps: number | undefined): number | null => (bps === undefined ? null : bps / BPS_PER_KBPS);

// ---------------------------------------------------------------------------------------------------------------
// JVB GET /colibri/stats

/** What the stats schema can tell from the body alone; the client fills `sampledAt` when the bridge sent no timestamp. */
export type ParsedJvbStats = Omit<JvbStats, "sampledAt"> & { sampledAt: Date | null };

export const jvbStatsWireSchema = z.looseObject({
  // Required: without these the answer is not a usable bridge sample (every JVB version since 2019 sends them).
  stress_level: z.number(),
  conferences: z.number(),
  bit_rate_download: z.number(),
  bit_rate_upload: z.number(),
  packet_rate_download: z.number(),
  packet_rate_upload: z.number(),
  rtt_aggregate: z.number(),

  // One of each pair is required (checked in the transform): the newer name, or the one older bridges send.
  endpoints: z.number().optional(),
  participants: z.number().optional(),
  incoming_loss: z.number().optional(),
  loss_rate_download: z.number().optional(),
  outgoing_loss: z.number().optional(),
  loss_rate_upload: z.number().optional(),

  local_endpoints: z.number().optional(),
  largest_conference: z.number().optional(),
  endpoints_sending_audio: z.number().optional(),
  endpoints_sending_video: z.number().optional(),
  overall_loss: z.number().optional(),
  octo_send_bitrate: z.number().optional(),
  octo_receive_bitrate: z.number().optional(),

  // State flags; bridges older than the drain / SHUTTING_DOWN features do not send them (so they are not set).
  drain: z.boolean().optional(),
  graceful_shutdown: z.boolean().optional(),
  shutting_down: z.boolean().optional(),
  healthy: z.boolean().optional(),
  current_timestamp: jvbTimestamp.optional(),
  version: optionalText,
  // Present only when configured: region / relays / release id / JVM metrics.
  region: optionalText,
  relay_id: optionalText,
  release: optionalText,
  threads: z.number().optional(),

  // Removed from the JSON by newer bridges (PR #2113, 2024; loss_rate_* in 2020); still sent by old ones. Unused.
  conference_sizes: z.array(z.number()).nullish(),
  jitter_aggregate: z.number().nullish(),
  videochannels: z.number().nullish(),
});

export const jvbStatsSchema = jvbStatsWireSchema.transform((w, ctx): ParsedJvbStats => {
  const endpoints = w.endpoints ?? w.participants;
  const incomingLoss = w.incoming_loss ?? w.loss_rate_download;
  const outgoingLoss = w.outgoing_loss ?? w.loss_rate_upload;
  const missing = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
  if (endpoints === undefined) missing("endpoints", "missing (neither endpoints nor the older participants)");
  if (incomingLoss === undefined) missing("incoming_loss", "missing (neither incoming_loss nor the older loss_rate_download)");
  if (outgoingLoss === undefined) missing("outgoing_loss", "missing (neither outgoing_loss nor the older loss_rate_upload)");
  if (endpoints === undefined || incomingLoss === undefined || outgoingLoss === undefined) return z.NEVER;

  return {
    sampledAt: w.current_timestamp ?? null,
    stressLevel: w.stress_level,
    conferences: w.conferences,
    endpoints,
    localEndpoints: w.local_endpoints ?? null,
    largestConference: w.largest_conference ?? null,
    endpointsSendingAudio: w.endpoints_sending_audio ?? null,
    endpointsSendingVideo: w.endpoints_sending_video ?? null,
    bitrateDownloadKbps: w.bit_rate_download,
    bitrateUploadKbps: w.bit_rate_upload,
    packetRateDownloadPps: w.packet_rate_download,
    packetRateUploadPps: w.packet_rate_upload,
    rttAggregateMs: w.rtt_aggregate,
    incomingLossFraction: incomingLoss,
    outgoingLossFraction: outgoingLoss,
    overallLossFraction: w.overall_loss ?? null,
    relaySendBitrateKbps: bpsToKbps(w.octo_send_bitrate),
    relayReceiveBitrateKbps: bpsToKbps(w.octo_receive_bitrate),
    healthy: w.healthy ?? null,
    drain: w.drain ?? false,
    gracefulShutdown: w.graceful_shutdown ?? false,
    shuttingDown: w.shutting_down ?? false,
    version: w.version,
    region: w.region,
    relayId: w.relay_id,
    threads: w.threads ?? null,
  };
});

// ---------------------------------------------------------------------------------------------------------------
// JVB GET /debug, GET /colibri/drain, GET /about/version (JVB and Jicofo)

const jvbDebugConferenceSchema = z.looseObject({
  name: optionalText,
  meeting_id: optionalText,
  /** SHORT: endpoint id → stats id; FULL: endpoint id → endpoint object. Only the ids are used. */
  endpoints: z.record(z.string(), z.unknown()).nullish(),
});

export const jvbDebugSchema = z
  .looseObject({
    shutdown_state: z.string().nullish(),
    drain: z.boolean().nullish(),
    load_management: z
      .looseObject({ state: z.string(), stress: numberInText.nullish(), reducer_enabled: booleanInText.nullish() })
      .nullish(),
    // An unknown conference id is answered with the string "null" instead of an object.
    conferences: z
      .record(z.string(), z.preprocess((v) => (v === "null" ? null : v), jvbDebugConferenceSchema.nullable()))
      .nullish(),
  })
  .transform((w): JvbDebug => ({
    shutdownState: w.shutdown_state ?? null,
    drain: w.drain ?? null,
    loadManagement: w.load_management
      ? { state: w.load_management.state, stress: w.load_management.stress ?? null, reducerEnabled: w.load_management.reducer_enabled ?? null }
      : null,
    conferences: Object.entries(w.conferences ?? {}).flatMap(([jvbConferenceId, c]) =>
      c ? [{ jvbConferenceId, name: c.name, meetingId: c.meeting_id, endpointIds: Object.keys(c.endpoints ?? {}) }] : [],
    ),
  }));

export const jvbDrainSchema = z.looseObject({ drain: z.boolean() }).transform((w) => w.drain);

export const versionSchema = z
  .looseObject({ name: z.string(), version: z.string(), os: optionalText })
  .transform((w): ComponentVersion => ({ name: w.name, version: w.version, os: w.os }));

// ---------------------------------------------------------------------------------------------------------------
// Jicofo GET /stats

const optionalCount = z.number().nullish().transform((n) => n ?? null);

export const jicofoStatsSchema = z
  .looseObject({
    conferences: z.number(),
    participants: z.number(),
    largest_conference: optionalCount,
    bridge_selector: z
      .looseObject({
        bridge_count: optionalCount,
        operational_bridge_count: optionalCount,
        in_shutdown_bridge_count: optionalCount,
        lost_bridges: optionalCount,
      })
      .nullish(),
    version: optionalText,
    // Only with Jicofo's health checks on (jicofo.health.enabled).
    healthy: z.boolean().nullish(),
    health: z.looseObject({ success: z.boolean().nullish() }).nullish(),
  })
  .transform((w): JicofoStats => ({
    conferences: w.conferences,
    participants: w.participants,
    largestConference: w.largest_conference,
    bridgeCount: w.bridge_selector?.bridge_count ?? null,
    operationalBridgeCount: w.bridge_selector?.operational_bridge_count ?? null,
    inShutdownBridgeCount: w.bridge_selector?.in_shutdown_bridge_count ?? null,
    lostBridges: w.bridge_selector?.lost_bridges ?? null,
    version: w.version,
    healthy: w.healthy ?? w.health?.success ?? null,
  }));

// ---------------------------------------------------------------------------------------------------------------
// Jicofo GET /debug → bridge_selector

/**
 * One bridge of `bridge_selector.bridge`. Jicofo releases before `corrected-stress` and `failing-ice` existed
 * put the corrected stress in `stress` and had no ICE-failure detection, hence the fallbacks.
 */
const jicofoBridgeWireSchema = z.looseObject({
  stress: z.number(),
  "corrected-stress": z.number().optional(),
  endpoints: z.number(),
  drain: z.boolean(),
  "graceful-shutdown": z.boolean(),
  "shutting-down": z.boolean(),
  healthy: z.boolean(),
  operational: z.boolean(),
  overloaded: z.boolean(),
  "failing-ice": z.boolean().optional(),
  region: optionalText,
  "relay-id": optionalText,
  release: optionalText,
  version: optionalText,
});

/** The MUC nickname: the resource part of the brewery JID (after the last "/"), which the move API also accepts. */
export function bridgeNameFromJid(jid: string): string {
  return jid.slice(jid.lastIndexOf("/") + 1);
}

function toJicofoBridge(jid: string, w: z.output<typeof jicofoBridgeWireSchema>): JicofoBridge {
  return {
    jid,
    name: bridgeNameFromJid(jid),
    stressLevel: w.stress,
    correctedStress: w["corrected-stress"] ?? w.stress,
    endpoints: w.endpoints,
    drain: w.drain,
    gracefulShutdown: w["graceful-shutdown"],
    shuttingDown: w["shutting-down"],
    healthy: w.healthy,
    operational: w.operational,
    overloaded: w.overloaded,
    failingIce: w["failing-ice"] ?? false,
    region: w.region,
    version: w.version,
    release: w.release,
    relayId: w["relay-id"],
  };
}

/** The `bridge_selector` object on its own (as in the reference's example). */
export const jicofoBridgeSelectorSchema = z
  .looseObject({
    strategy: z.string().nullish(),
    bridge: z.record(z.string(), jicofoBridgeWireSchema),
  })
  .transform((w): JicofoDebug => ({
    selectionStrategy: w.strategy ?? null,
    bridges: Object.entries(w.bridge).map(([jid, b]) => toJicofoBridge(jid, b)),
  }));

/** The whole GET /debug answer; only `bridge_selector` is read. */
export const jicofoDebugSchema = z
  .looseObject({ bridge_selector: jicofoBridgeSelectorSchema })
  .transform((w): JicofoDebug => w.bridge_selector);

// ---------------------------------------------------------------------------------------------------------------
// Jicofo move-endpoints reply

export const moveResultSchema = z
  .looseObject({ movedEndpoints: z.number(), conferences: z.number() })
  .transform((w): MoveResult => ({ movedEndpoints: w.movedEndpoints, conferences: w.conferences }));
