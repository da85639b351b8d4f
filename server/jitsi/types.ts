/**
 * Normalized figures from the Jitsi REST APIs (see ../shared/reference/jitsi-apis.md). The clients in this
 * folder parse whatever shape a real JVB or Jicofo returns and produce these; everything downstream
 * (collector, analysis, UI) sees only these. Units are in the names.
 */

/** GET /colibri/stats of one JVB, normalized. Keys a bridge does not send are null. */
export interface JvbStats {
  /** `current_timestamp` (UTC) when present, else the time the response arrived */
  sampledAt: Date;
  stressLevel: number;
  conferences: number;
  /** `endpoints`, or the deprecated `participants` on older bridges (includes relayed endpoints) */
  endpoints: number;
  localEndpoints: number | null;
  largestConference: number | null;
  endpointsSendingAudio: number | null;
  endpointsSendingVideo: number | null;
  /** `bit_rate_download` / `bit_rate_upload` are already kbps on the wire */
  bitrateDownloadKbps: number;
  bitrateUploadKbps: number;
  packetRateDownloadPps: number;
  packetRateUploadPps: number;
  rttAggregateMs: number;
  /** fractions 0–1 (`incoming_loss`, or `loss_rate_download` on bridges from before 2020) */
  incomingLossFraction: number;
  outgoingLossFraction: number;
  overallLossFraction: number | null;
  /** octo bitrates arrive in bps and are converted */
  relaySendBitrateKbps: number | null;
  relayReceiveBitrateKbps: number | null;
  healthy: boolean | null;
  drain: boolean;
  gracefulShutdown: boolean;
  shuttingDown: boolean;
  version: string | null;
  region: string | null;
  relayId: string | null;
  threads: number | null;
}

/** GET /about/health: 200 healthy; 500 hard / 503 soft failure with a text body. */
export interface JvbHealth {
  healthy: boolean;
  /** "hard" (500) or "soft" (503) failure, null when healthy or for another status */
  failure: "hard" | "soft" | null;
  httpStatus: number;
  message: string | null;
}

/** GET /about/version (JVB and Jicofo). */
export interface ComponentVersion {
  name: string;
  version: string;
  os: string | null;
}

/** GET /debug of a JVB, the parts Meetscope uses. */
export interface JvbDebug {
  shutdownState: string | null;
  drain: boolean | null;
  /** `load_management` values arrive as strings ("0.23", "false") and are parsed */
  loadManagement: { state: string; stress: number | null; reducerEnabled: boolean | null } | null;
  /** JVB-internal conference id → conference; entries whose value is the string "null" are dropped */
  conferences: Array<{ jvbConferenceId: string; name: string | null; meetingId: string | null; endpointIds: string[] }>;
}

/** One bridge as Jicofo's /debug → bridge_selector describes it. */
export interface JicofoBridge {
  /** full brewery JID, e.g. jvbbrewery@internal.auth.example.org/jvb1 */
  jid: string;
  /** the MUC nickname after the "/", e.g. jvb1 — what the move-endpoints API also accepts */
  name: string;
  stressLevel: number;
  correctedStress: number;
  endpoints: number;
  drain: boolean;
  gracefulShutdown: boolean;
  shuttingDown: boolean;
  healthy: boolean;
  operational: boolean;
  overloaded: boolean;
  failingIce: boolean;
  /** "null" strings become null */
  region: string | null;
  version: string | null;
  release: string | null;
  relayId: string | null;
}

export interface JicofoDebug {
  selectionStrategy: string | null;
  bridges: JicofoBridge[];
}

/** GET /stats of Jicofo, the parts Meetscope uses. */
export interface JicofoStats {
  conferences: number;
  participants: number;
  largestConference: number | null;
  bridgeCount: number | null;
  operationalBridgeCount: number | null;
  inShutdownBridgeCount: number | null;
  lostBridges: number | null;
  version: string | null;
  /** null when Jicofo's health checks are off (the keys are absent) */
  healthy: boolean | null;
}

/** Reply of the Jicofo move-endpoints API. */
export interface MoveResult {
  movedEndpoints: number;
  conferences: number;
}

/**
 * Why a request to a source failed, in words an operator can act on:
 * - timeout: no answer within the per-request timeout
 * - unreachable: connection refused / reset / DNS failure
 * - disabled: 404 from a REST group that is off (e.g. "enable COLIBRI REST on this bridge")
 * - http: any other non-2xx status
 * - invalid: 2xx but not the JSON the API documents (HTML error page, garbage, wrong types)
 */
export type SourceErrorKind = "timeout" | "unreachable" | "disabled" | "http" | "invalid";

export class SourceError extends Error {
  constructor(
    readonly kind: SourceErrorKind,
    message: string,
    readonly url: string,
    readonly httpStatus: number | null = null,
  ) {
    super(message);
    this.name = "SourceError";
  }
}
