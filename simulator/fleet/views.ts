/**
 * The REST shapes of JVB and Jicofo, built from the model. Pure functions (the request time is passed in).
 * Key names, order and number types follow upstream code:
 * - /colibri/stats: jvb VideobridgeStatisticsShim.getStats (master, Aug 2026)
 * - /debug: jvb Videobridge.getDebugState / Conference.getDebugState / Endpoint.debugState
 * - Jicofo /stats: JicofoServices.getStats + FocusManager.stats + BridgeSelector.stats
 * - Jicofo /debug: JicofoServices.getDebugState, BridgeSelector.debugState, Bridge.debugState
 */
import { dbl, type JavaJson, javaDoubleToString, toJavaJson } from "./java-json";
import { type Bridge, type FleetModel, JICOFO_DEFAULTS, JVB_DEFAULTS, type Participant } from "./model";

const floor = (x: number) => Math.floor(x);

/** SimpleDateFormat("yyyy-MM-dd HH:mm:ss.SSS") in UTC. */
export function jvbTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace("T", " ").replace("Z", "");
}

/** Placeholder for current_timestamp, which upstream formats at request time (`Date()`), not per snapshot. */
const TIMESTAMP_SLOT = "\u0000ts\u0000";

/** GET /colibri/stats as key/value pairs in upstream order. `timestamp` is the request time. */
export function colibriStats(b: Bridge, timestamp: string): Record<string, JavaJson> {
  const a = b.agg;
  const c = b.counters;
  const out: Record<string, JavaJson> = {
    incoming_loss: dbl(a.incomingLossFraction),
    outgoing_loss: dbl(a.outgoingLossFraction),
    overall_loss: dbl(a.overallLossFraction),
    endpoints_with_high_outgoing_loss: a.endpointsWithHighOutgoingLoss,
    tcc_unmatched_feedback: 0,
    local_active_endpoints: a.activeEndpoints,
    // bps / 1000, integer division: kbps on the wire
    bit_rate_download: floor(a.bitrateDownloadBps / 1000),
    bit_rate_upload: floor(a.bitrateUploadBps / 1000),
    packet_rate_download: floor(a.packetRateDownloadPps),
    packet_rate_upload: floor(a.packetRateUploadPps),
    rtt_aggregate: dbl(a.rttAggregateMs),
    num_eps_oversending: a.endpointsOversending,
    octo_conferences: a.relayConferences,
    inactive_conferences: a.inactiveConferences,
    p2p_conferences: a.p2pConferences,
    endpoints: a.localEndpoints + a.relayedEndpoints,
    participants: a.localEndpoints + a.relayedEndpoints,
    receive_only_endpoints: a.receiveOnlyEndpoints,
    inactive_endpoints: a.inactiveEndpoints,
    octo_endpoints: a.relayedEndpoints,
    endpoints_sending_audio: a.endpointsSendingAudio,
    endpoints_sending_video: a.endpointsSendingVideo,
    largest_conference: a.largestConference,
    // relay bitrates stay in bps (unlike bit_rate_*)
    octo_receive_bitrate: floor(a.relayReceiveBitrateBps),
    octo_receive_packet_rate: floor(a.relayReceivePps),
    octo_send_bitrate: floor(a.relaySendBitrateBps),
    octo_send_packet_rate: floor(a.relaySendPps),
    endpoints_with_suspended_sources: a.endpointsWithSuspendedSources,
    total_conferences_created: c.conferencesCreated,
    total_conferences_completed: c.conferencesCompleted,
    total_conference_seconds: c.conferenceSeconds,
    total_participants: c.totalEndpoints,
    total_visitors: 0,
    num_eps_no_msg_transport_after_delay: c.epsNoMsgTransportAfterDelay,
    total_relays: c.totalRelays,
    num_relays_no_msg_transport_after_delay: 0,
    total_keyframes_received: c.keyframesReceived,
    total_layering_changes_received: c.layeringChangesReceived,
    total_video_stream_milliseconds_received: c.videoStreamMsReceived,
    stress_level: dbl(b.stressLevel),
    conferences: a.conferences,
    visitors: 0,
    local_endpoints: a.localEndpoints,
    total_data_channel_messages_received: 0,
    total_data_channel_messages_sent: 0,
    total_colibri_web_socket_messages_received: c.wsMessagesReceived,
    total_colibri_web_socket_messages_sent: c.wsMessagesSent,
    total_bytes_received: c.bytesReceived,
    endpoints_ice_failed: c.endpointsIceFailed,
    dtls_failed_endpoints: c.dtlsFailedEndpoints,
    relays_ice_failed: 0,
    dtls_failed_relays: 0,
    total_bytes_sent: c.bytesSent,
    total_packets_received: c.packetsReceived,
    total_packets_sent: c.packetsSent,
    total_bytes_received_octo: c.relayBytesReceived,
    total_bytes_sent_octo: c.relayBytesSent,
    total_packets_received_octo: c.relayPacketsReceived,
    total_packets_sent_octo: c.relayPacketsSent,
    total_dominant_speaker_changes: c.dominantSpeakerChanges,
    preemptive_kfr_sent: c.preemptiveKfrSent,
    preemptive_kfr_suppressed: c.preemptiveKfrSuppressed,
    total_ice_failed: c.iceFailed,
    total_ice_succeeded: c.iceSucceeded,
    total_ice_succeeded_relayed: c.iceSucceededRelayed,
    average_participant_stress: dbl(JVB_DEFAULTS.averageParticipantStress),
    threads: a.threads,
    graceful_shutdown: b.gracefulShutdownFlag,
    shutting_down: b.shutdownState === "SHUTTING_DOWN",
    drain: b.drain,
    current_timestamp: timestamp,
  };
  if (b.relayId !== null) out.relay_id = b.relayId;
  out.muc_clients_configured = 1;
  out.muc_clients_connected = 1;
  out.mucs_configured = 1;
  out.mucs_joined = 1;
  out.endpoints_with_spurious_remb = 0;
  out.healthy = b.health === "healthy";
  out.endpoints_disconnected = c.endpointsDisconnected;
  out.endpoints_reconnected = c.endpointsReconnected;
  out.version = b.version;
  if (b.release !== null) out.release = b.release;
  if (b.region !== null) out.region = b.region;
  return out;
}

/**
 * /colibri/stats serialized once per tick: the body split around current_timestamp, so a request only
 * concatenates three strings.
 */
export function colibriStatsTemplate(b: Bridge): { head: string; tail: string } {
  const json = toJavaJson(colibriStats(b, TIMESTAMP_SLOT));
  const slot = JSON.stringify(TIMESTAMP_SLOT);
  const at = json.indexOf(slot);
  return { head: json.slice(0, at + 1), tail: json.slice(at + slot.length - 1) };
}

// ---------------------------------------------------------------------------------------------------------------
// JVB /debug
// ---------------------------------------------------------------------------------------------------------------

export interface JvbDebugQuery {
  conferenceId?: string;
  endpointId?: string;
  full: boolean;
  /** GET /debug (not /debug/{confId}) appends the health result */
  withHealth: boolean;
  nowMs: number;
}

function endpointDebug(p: Participant, b: Bridge, windowS: number): Record<string, JavaJson> {
  const m = p.metrics;
  const inReceived = Math.round(m.sendPps * windowS);
  const inLost = Math.round(m.sendPps * windowS * m.lossSendFraction);
  const outSent = Math.round(m.recvPps * windowS);
  const outLost = Math.round(m.recvPps * windowS * m.lossRecvFraction);
  return {
    receiver_video_constraints: {},
    max_receiver_video_constraints: "{}",
    expired: false,
    stats_id: p.statsId,
    bitrate_controller: {
      bandwidth_bps: dbl(Math.round(m.availableRecvBandwidthKbps * 1000)),
      oversending: m.oversending,
      total_target_bps: dbl(Math.round(m.videoRecvKbps * 1000)),
    },
    bandwidth_probing: {},
    cryptex: false,
    ice_transport: {
      useComponentSocket: true,
      icePassword: "********",
      hasConnected: true,
      iceConnected: true,
      iceFailed: false,
      selected_candidate_pair: p.turnRelayed ? "relay" : p.transport === "tcp" ? "tcp-host" : "udp-srflx",
    },
    dtls_transport: { isDtlsConnected: true, role: "server" },
    transceiver: {
      endpoint_connection_stats: {
        rtt: dbl(m.rttMs),
        incoming_loss_stats: { packets_lost: inLost, packets_received: inReceived },
        outgoing_loss_stats: { packets_lost: outLost, packets_received: Math.max(0, outSent - outLost) },
      },
      bridge: b.name,
    },
    accept_audio: true,
    accept_video: true,
    visitor: false,
    diarize: false,
    message_transport: { type: "ColibriWebSocket", active: true },
  };
}

/** GET /debug, /debug/{confId}, /debug/{confId}/{epId}. */
export function jvbDebug(model: FleetModel, b: Bridge, q: JvbDebugQuery): Record<string, JavaJson> {
  const a = b.agg;
  const out: Record<string, JavaJson> = {
    shutdown_state: b.shutdownState,
    drain: b.drain,
    time: q.nowMs,
    // JvbLoadManager.getStats: all values are strings
    load_management: {
      // OVERLOADED when the last load sample ≥ load-threshold, i.e. stress ≥ 1
      state: b.stressLevel >= 1 ? "OVERLOADED" : "NOT_OVERLOADED",
      stress: javaDoubleToString(b.stressLevel),
      reducer_enabled: "false",
    },
  };
  if (a.activeEndpoints > 0) out.overall_bridge_jitter = dbl(a.jitterAggregateMs);
  const conferences: Record<string, JavaJson> = {};
  const entries = [...b.jvbConferences.entries()];
  const selected = q.conferenceId === undefined ? entries : entries.filter(([, jc]) => jc.id === q.conferenceId);
  if (q.conferenceId !== undefined && selected.length === 0) {
    // Videobridge.getDebugState: unknown id → the string "null", HTTP 200
    conferences[q.conferenceId] = "null";
  }
  for (const [room, jc] of selected) {
    const conf = model.conferences.get(room);
    const endpoints: Record<string, JavaJson> = {};
    for (const id of b.endpointIds) {
      const p = model.participants.get(id);
      if (!p || p.room !== room) continue;
      if (q.endpointId !== undefined && q.endpointId !== id) continue;
      endpoints[id] = q.full ? endpointDebug(p, b, 60) : p.statsId;
    }
    const cj: Record<string, JavaJson> = { id: jc.id, rtcstatsEnabled: false };
    if (conf) {
      cj.name = conf.mucJid;
      cj.meeting_id = conf.meetingId;
    }
    if (q.full) {
      cj.expired = false;
      cj.creation_time = jc.createdAtMs;
      cj.speech_activity = {
        endpointsBySpeechActivity: Object.keys(endpoints),
        dominantEndpoint: Object.keys(endpoints)[0] ?? null,
      };
    }
    cj.endpoints = endpoints;
    const relays: Record<string, JavaJson> = {};
    if (model.relays && conf) for (const other of conf.bridgeOrder) if (other !== b.name) relays[other] = q.full ? { id: other } : other;
    cj.relays = relays;
    if (q.full) {
      cj.exporter = { started: false };
      cj.audio_subscriptions = {};
    }
    conferences[jc.id] = cj;
  }
  out.conferences = conferences;
  if (q.withHealth) {
    const healthy = b.health === "healthy";
    // jicoco's Result defaults hardFailure to true even for a success (the Jicofo /stats example shows it too)
    out.health = {
      success: healthy,
      hardFailure: b.health !== "soft-failure",
      responseCode: null,
      message: healthy ? null : b.healthMessage,
    };
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Jicofo
// ---------------------------------------------------------------------------------------------------------------

/** ConferenceSizeBuckets: [0,1,2,3,5,10,20,50,100,200,300,400,500,max], left-closed; min stays 0 (upstream quirk). */
export function conferenceSizes(sizes: number[]): Record<string, JavaJson> {
  const thresholds = [0, 1, 2, 3, 5, 10, 20, 50, 100, 200, 300, 400, 500, Number.MAX_SAFE_INTEGER];
  const counts = new Array<number>(thresholds.length - 1).fill(0);
  for (const v of sizes) {
    let i = 0;
    while (i < counts.length - 1 && v >= (thresholds[i + 1] as number)) i++;
    counts[i] = (counts[i] as number) + 1;
  }
  const total = sizes.reduce((s, v) => s + v, 0);
  const buckets: Record<string, JavaJson> = {};
  let p99 = Number.MAX_SAFE_INTEGER;
  let p999 = Number.MAX_SAFE_INTEGER;
  let cumulative = 0;
  counts.forEach((n, i) => {
    const lo = thresholds[i] as number;
    const hi = thresholds[i + 1] as number;
    buckets[`${lo}_to_${hi === Number.MAX_SAFE_INTEGER ? "max" : hi}`] = n;
    cumulative += n;
    if (hi < p99 && cumulative > 0.99 * sizes.length) p99 = hi;
    if (hi < p999 && cumulative > 0.999 * sizes.length) p999 = hi;
  });
  buckets.p99_upper_bound = sizes.length < 100 || p99 === Number.MAX_SAFE_INTEGER ? -1 : p99;
  buckets.p999_upper_bound = sizes.length < 1000 || p999 === Number.MAX_SAFE_INTEGER ? -1 : p999;
  return {
    // total/count; with no conferences that is NaN, which Jackson writes as the string "NaN"
    average: dbl(total / sizes.length),
    max: sizes.reduce((m, v) => Math.max(m, v), 0),
    min: 0,
    total_value: total,
    total_count: sizes.length,
    discarded: 0,
    buckets,
  };
}

/** GET /stats of Jicofo (health checks off: no slow_health_check / healthy / health keys). */
export function jicofoStats(model: FleetModel): Record<string, JavaJson> {
  const counts = model.jicofoCounts();
  const j = model.jicofo;
  const bridges = model.jicofoBridges();
  return {
    total_participants: j.totalParticipants,
    total_conferences_created: j.totalConferencesCreated,
    conferences: counts.conferences,
    conferences_with_visitors: 0,
    bridge_failures: { participants_moved: j.participantsMoved, bridges_removed: j.bridgesRemoved },
    participant_notifications: { ice_failed: j.iceFailed, request_restart: j.requestRestart },
    largest_conference: counts.largest,
    participants: counts.participants,
    visitors: 0,
    conference_sizes: conferenceSizes(counts.sizes),
    endpoint_pairs: counts.endpointPairs,
    jibri: {
      total_sip_call_failures: 0,
      total_live_streaming_failures: 0,
      total_recording_failures: 0,
      live_streaming_active: 0,
      recording_active: 0,
      sip_call_active: 0,
    },
    queues: {},
    bridge_selector: {
      bridge_count: bridges.length,
      operational_bridge_count: bridges.filter((b) => model.isOperational(b)).length,
      in_shutdown_bridge_count: bridges.filter((b) => b.gracefulShutdownFlag).length,
      lost_bridges: j.lostBridges,
      bridge_version_count: new Set(bridges.map((b) => model.fullVersion(b))).size,
    },
    jibri_detector: { count: 0, available: 0 },
    sip_jibri_detector: { count: 0, available: 0 },
    jigasi: {
      rejected_requests: 0,
      accepted_requests: 0,
      retries: 0,
      instance_errors: 0,
      instance_timeout: 0,
      requests_failed_no_instance: 0,
      requests_failed_xmpp_not_connected: 0,
    },
    threads: 80 + Math.min(200, counts.conferences),
    jingle: { sent: { ...j.jingleSent }, received: { ...j.jingleReceived } },
    version: j.version,
  };
}

/** Bridge.debugState: region / relay-id / release / version are toString()ed, so a missing one is "null". */
export function jicofoBridgeDebug(model: FleetModel, b: Bridge): Record<string, JavaJson> {
  const corrected = model.correctedStress(b);
  return {
    "corrected-stress": dbl(corrected),
    drain: b.drain,
    endpoints: b.jicofo.endpoints,
    "endpoint-restart-requests": model.restartRequests(b),
    "failing-ice": false,
    "graceful-shutdown": b.gracefulShutdownFlag,
    healthy: b.health === "healthy",
    operational: model.isOperational(b),
    overloaded: corrected >= JICOFO_DEFAULTS.stressThreshold,
    region: String(b.region),
    "relay-id": String(b.relayId),
    release: String(b.release),
    "shutting-down": b.shutdownState === "SHUTTING_DOWN",
    stress: dbl(b.stressLevel),
    version: String(b.version),
  };
}

function jicofoConferenceDebug(model: FleetModel, room: string): Record<string, JavaJson> {
  const conf = model.conferences.get(room);
  if (!conf) return {};
  const participants: Record<string, JavaJson> = {};
  for (const id of conf.endpointIds) {
    const p = model.participants.get(id);
    if (!p) continue;
    participants[id] = { id, stats_id: p.statsId, region: String(p.region), bridge: p.bridge !== null ? (model.bridge(p.bridge)?.jid ?? null) : null };
  }
  const sessions: Record<string, JavaJson> = {};
  for (const [b, n] of model.conferenceBridges(room)) {
    sessions[b.name] = {
      id: b.jvbConferences.get(room)?.id ?? null,
      participants: [...b.endpointIds].filter((id) => model.participants.get(id)?.room === room),
      size: n,
    };
  }
  return {
    name: conf.mucJid,
    meeting_id: conf.meetingId,
    participant_count: conf.endpointIds.length,
    participants,
    colibri_session_manager: { sessions },
  };
}

/** GET /debug of Jicofo. */
export function jicofoDebug(model: FleetModel, full: boolean): Record<string, JavaJson> {
  const focus: Record<string, JavaJson> = {};
  for (const conf of model.conferences.values()) {
    if (conf.endpointIds.length === 0) continue;
    focus[conf.mucJid] = full ? jicofoConferenceDebug(model, conf.room) : conf.endpointIds.length;
  }
  const bridge: Record<string, JavaJson> = {};
  for (const b of model.jicofoBridges()) bridge[b.jid] = jicofoBridgeDebug(model, b);
  return {
    focus_manager: focus,
    bridge_selector: { strategy: model.selectionStrategy, bridge },
    jibri_detector: null,
    sip_jibri_detector: null,
    jigasi_detector: null,
    av_moderation: {},
    conference_iq_handler: {},
  };
}

export function jicofoConferenceList(model: FleetModel): string[] {
  return [...model.conferences.values()].filter((c) => c.endpointIds.length > 0).map((c) => c.mucJid);
}

export function jicofoConferencesFull(model: FleetModel): Record<string, JavaJson> {
  const out: Record<string, JavaJson> = {};
  for (const conf of model.conferences.values()) if (conf.endpointIds.length > 0) out[conf.mucJid] = jicofoConferenceDebug(model, conf.room);
  return out;
}

/** GET /debug/conference/{jid}: that conference's state, `{}` if unknown. */
export function jicofoConferenceByJid(model: FleetModel, jid: string): Record<string, JavaJson> {
  const conf = model.findConferenceByJid(jid);
  return conf ? jicofoConferenceDebug(model, conf.room) : {};
}
