/**
 * Plain data in and out of the analysis core (DESIGN §2: pure logic, no Prisma, no clock reads).
 *
 * Inputs mirror the Prisma rows (`ParticipantSample`, `BridgeSample`) so the analyzer shell can pass rows after a
 * join, without renaming. "send" = participant → bridge, "recv" = bridge → participant (schema.prisma).
 */

// ------------------------------------------------------------------------------------------------------ inputs

/** One client report (a `ParticipantSample` row joined with its `Participant` and the meeting's bridge). */
export interface ParticipantSampleInput {
  participantId: string;
  /** Jitsi's endpoint id in the conference */
  endpointId: string;
  displayName: string | null;
  /** The bridge the participant was on when sampled (the meeting's bridge); null when unknown */
  bridgeId: string | null;
  sampledAt: Date;
  videoSendBitrateKbps: number | null;
  videoRecvBitrateKbps: number | null;
  videoSendHeightPx: number | null;
  videoRecvHeightPx: number | null;
  videoSendFrameRateFps: number | null;
  videoRecvFrameRateFps: number | null;
  /** e.g. "VP8", "VP9", "AV1", "H264" */
  videoCodec: string | null;
  audioSendBitrateKbps: number | null;
  audioRecvBitrateKbps: number | null;
  /** inbound-rtp jitter of received audio: a receive-direction measurement */
  audioJitterMs: number | null;
  /** concealedSamples / totalSamplesReceived of received audio */
  audioConcealedFraction: number | null;
  /** participant ↔ bridge round trip; the same for both directions */
  rttMs: number | null;
  lossSendFraction: number | null;
  lossRecvFraction: number | null;
  availableSendBandwidthKbps: number | null;
  availableRecvBandwidthKbps: number | null;
  /** "udp" | "tcp" */
  transportProtocol: string | null;
  /** true when the selected candidate pair goes through a TURN relay */
  relayed: boolean | null;
  /** WebRTC outbound-rtp qualityLimitationReason: "none" | "cpu" | "bandwidth" | "other" */
  qualityLimitationReason: string | null;
  memoryUsedMb: number | null;
  /** lib-jitsi-meet's own 0–100 connection quality, as the client computed it */
  connectionQuality: number | null;
}

/** One poll of a bridge (a `BridgeSample` row; the name comes from `Bridge.name`, e.g. "jvb2"). */
export interface BridgeSampleInput {
  bridgeId: string;
  bridgeName: string | null;
  sampledAt: Date;
  stressLevel: number;
  endpoints: number;
  rttAggregateMs: number;
  incomingLossFraction: number;
  outgoingLossFraction: number;
}

// ------------------------------------------------------------------------------------------------------ outputs

export type Direction = "send" | "recv";

export type DominantImpairment = "delay" | "loss" | "none";

/** E-model result for one audio direction (mos.ts). */
export interface AudioMos {
  /** 1.0 – 4.5 (ITU-T G.107 Annex B) */
  mos: number;
  /** transmission rating factor R, 0 – 100 */
  r: number;
  dominant: DominantImpairment;
  /** inputs that were missing and assumed, e.g. "jitter not measured; treated as 0 ms" */
  assumptions: string[];
}

export interface DirectionAssessment {
  /** null when the direction carried no audio in the window or RTT/loss were not reported */
  audio: AudioMos | null;
  /** window means that went into the MOS and the classifications */
  rttMs: number | null;
  lossFraction: number | null;
  /** null on the send side: clients report jitter only for what they receive */
  jitterMs: number | null;
}

export type StreamName = "audio-send" | "audio-recv" | "video-send" | "video-recv";

export type StreamVerdict = "good" | "poor" | "unclassified";

export interface StreamClassification {
  stream: StreamName;
  verdict: StreamVerdict;
  /** the rule that decided, with the observed value, e.g. "Teams CQD audio: packet loss rate > 0.1 (was 0.16)" */
  rule: string;
}

export interface ParticipantAssessment {
  participantId: string;
  endpointId: string;
  displayName: string | null;
  bridgeId: string | null;
  /** samples of this participant inside the window */
  sampleCount: number;
  send: DirectionAssessment;
  recv: DirectionAssessment;
  /** lib-jitsi-meet's ConnectionQuality recomputed from the window means (connection-quality.ts) */
  connectionQualityPercent: number | null;
  /** mean of what the client itself reported (what the user saw); null when the client reports none */
  reportedConnectionQualityPercent: number | null;
  streams: StreamClassification[];
  /** 0–100, see report.ts; null when no stream could be classified */
  score: number | null;
  /** caveats about the data, e.g. ignored invalid values */
  notes: string[];
}

export type IssueKind =
  /** loss / RTT / jitter outside Teams RTA "good" values */
  | "network-degraded"
  /** the participant's encoder is held back (qualityLimitationReason) */
  | "video-send-limited";

export type IssueCause = "participant-network" | "bridge" | "participant-cpu";

export interface Issue {
  kind: IssueKind;
  severity: "warning" | "critical";
  participantIds: string[];
  cause: IssueCause;
  /** the bridge involved (always set for cause "bridge"), for links and rebalance actions */
  bridgeId: string | null;
  /** observations that support the cause, e.g. "loss 16 % up vs bridge median 0.4 %" */
  evidence: string[];
  /** the rule that fired, with its source */
  rule: string;
}

export interface MeetingReport {
  meetingId: string;
  generatedAt: Date;
  windowStart: Date;
  windowEnd: Date;
  /** 0–100; null when the window holds no classifiable data ("no data", never a made-up 100) */
  overallScore: number | null;
  participants: ParticipantAssessment[];
  /** up to 3 participants with a poor stream or an issue, worst first */
  worstParticipantIds: string[];
  issues: Issue[];
}
