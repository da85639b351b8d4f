import type { BridgeSampleInput, ParticipantSampleInput } from "./types";

/**
 * Window means per participant and per bridge: the one place that turns samples into the figures every rule
 * judges. Means are per sample, unweighted — clients report at a fixed interval (10 s), so each sample stands
 * for the same stretch of time. Values that cannot be measurements (NaN, infinite, negative, a fraction above
 * 1) are ignored as if missing and counted in `ignoredValueCount`, so one broken client cannot sink a report.
 */

export interface DirectionWindow {
  lossFraction: number | null;
  /** received audio only; null on the send side (not measured) */
  jitterMs: number | null;
  /** received audio only; null on the send side */
  concealedFraction: number | null;
  /** mean over the samples that carried audio */
  audioBitrateKbps: number | null;
  /** samples with audio bitrate > 0: our stand-in for CQD's packet count */
  audioSampleCount: number;
  /** mean over the samples that carried video */
  videoBitrateKbps: number | null;
  videoSampleCount: number;
  /** mean over the samples that carried video (a muted camera's 0 fps is no frame-rate problem) */
  videoFrameRateFps: number | null;
  /** the highest height seen in the window */
  videoHeightPx: number | null;
}

export interface ParticipantWindow {
  participantId: string;
  endpointId: string;
  displayName: string | null;
  /** from the latest sample: where the participant is now */
  bridgeId: string | null;
  sampleCount: number;
  rttMs: number | null;
  send: DirectionWindow;
  recv: DirectionWindow;
  videoCodec: string | null;
  /** share of samples (with a reason) whose qualityLimitationReason is "cpu"; null when none reported one */
  cpuLimitedShare: number | null;
  bandwidthLimitedShare: number | null;
  availableSendBandwidthKbps: number | null;
  /** true if any sample went through TURN */
  relayed: boolean | null;
  /** "tcp" if any sample used TCP, else "udp" if reported */
  transportProtocol: "tcp" | "udp" | null;
  reportedConnectionQualityPercent: number | null;
  ignoredValueCount: number;
}

export interface BridgeWindow {
  bridgeId: string;
  /** e.g. "jvb2"; falls back to the id */
  label: string;
  sampleCount: number;
  stressLevel: number;
  endpoints: number;
  rttAggregateMs: number;
  incomingLossFraction: number;
  outgoingLossFraction: number;
  /** means of the samples in `baselineMs` before the window; null when there were none */
  baseline: { rttAggregateMs: number; incomingLossFraction: number; outgoingLossFraction: number } | null;
}

/** A sample belongs to the window if windowStart < sampledAt ≤ windowEnd, so back-to-back windows never share one. */
export function inWindow(at: Date, windowStart: Date, windowEnd: Date): boolean {
  const t = at.getTime();
  return t > windowStart.getTime() && t <= windowEnd.getTime();
}

/** One summary per participant with samples in the window, ordered by participantId. */
export function summarizeParticipants(
  samples: readonly ParticipantSampleInput[],
  windowStart: Date,
  windowEnd: Date,
): ParticipantWindow[] {
  const byParticipant = new Map<string, ParticipantSampleInput[]>();
  for (const s of samples) {
    if (!inWindow(s.sampledAt, windowStart, windowEnd)) continue;
    const list = byParticipant.get(s.participantId) ?? [];
    list.push(s);
    byParticipant.set(s.participantId, list);
  }
  return [...byParticipant.keys()].sort().map((id) => summarizeParticipant(byParticipant.get(id) ?? []));
}

/** Bridge summaries for bridges with samples in the window, keyed by bridgeId. */
export function summarizeBridges(
  samples: readonly BridgeSampleInput[],
  windowStart: Date,
  windowEnd: Date,
  baselineMs: number,
): Map<string, BridgeWindow> {
  const baselineStart = new Date(windowStart.getTime() - baselineMs);
  const inside = new Map<string, BridgeSampleInput[]>();
  const before = new Map<string, BridgeSampleInput[]>();
  for (const s of samples) {
    const target = inWindow(s.sampledAt, windowStart, windowEnd)
      ? inside
      : inWindow(s.sampledAt, baselineStart, windowStart)
        ? before
        : null;
    if (!target) continue;
    const list = target.get(s.bridgeId) ?? [];
    list.push(s);
    target.set(s.bridgeId, list);
  }
  const out = new Map<string, BridgeWindow>();
  for (const [bridgeId, list] of inside) out.set(bridgeId, summarizeBridge(bridgeId, list, before.get(bridgeId) ?? []));
  return out;
}

// ------------------------------------------------------------------------------------------------------ internals

/** Collects valid values of one field and counts the invalid ones. */
class Field {
  readonly values: number[] = [];
  invalid = 0;

  constructor(private readonly maxValue = Number.POSITIVE_INFINITY) {}

  add(value: number | null): void {
    if (value === null) return;
    if (Number.isFinite(value) && value >= 0 && value <= this.maxValue) this.values.push(value);
    else this.invalid++;
  }

  mean(): number | null {
    return mean(this.values);
  }
}

function summarizeParticipant(samples: ParticipantSampleInput[]): ParticipantWindow {
  const sorted = [...samples].sort((a, b) => a.sampledAt.getTime() - b.sampledAt.getTime());
  const latest = sorted[sorted.length - 1] as ParticipantSampleInput;
  const rtt = new Field();
  const availableSend = new Field();
  const reportedQuality = new Field(100);
  const reasons: string[] = [];
  let relayed: boolean | null = null;
  let transport: "tcp" | "udp" | null = null;
  let codec: string | null = null;
  for (const s of sorted) {
    rtt.add(s.rttMs);
    availableSend.add(s.availableSendBandwidthKbps);
    reportedQuality.add(s.connectionQuality);
    if (s.qualityLimitationReason !== null) reasons.push(s.qualityLimitationReason);
    if (s.relayed !== null) relayed = relayed === true || s.relayed;
    if (s.transportProtocol === "tcp") transport = "tcp";
    else if (s.transportProtocol === "udp" && transport === null) transport = "udp";
    codec = s.videoCodec ?? codec;
  }
  const send = summarizeDirection(sorted, "send");
  const recv = summarizeDirection(sorted, "recv");
  const share = (reason: string) => (reasons.length === 0 ? null : reasons.filter((r) => r === reason).length / reasons.length);
  return {
    participantId: latest.participantId,
    endpointId: latest.endpointId,
    displayName: latest.displayName,
    bridgeId: latest.bridgeId,
    sampleCount: sorted.length,
    rttMs: rtt.mean(),
    send: send.window,
    recv: recv.window,
    videoCodec: codec,
    cpuLimitedShare: share("cpu"),
    bandwidthLimitedShare: share("bandwidth"),
    availableSendBandwidthKbps: availableSend.mean(),
    relayed,
    transportProtocol: transport,
    reportedConnectionQualityPercent: reportedQuality.mean(),
    ignoredValueCount: rtt.invalid + availableSend.invalid + reportedQuality.invalid + send.invalid + recv.invalid,
  };
}

function summarizeDirection(
  samples: readonly ParticipantSampleInput[],
  direction: "send" | "recv",
): { window: DirectionWindow; invalid: number } {
  const isSend = direction === "send";
  const loss = new Field(1);
  const jitter = new Field();
  const concealed = new Field(1);
  const audioBitrate = new Field();
  const videoBitrate = new Field();
  const frameRate = new Field();
  const height = new Field();
  for (const s of samples) {
    loss.add(isSend ? s.lossSendFraction : s.lossRecvFraction);
    if (!isSend) {
      jitter.add(s.audioJitterMs);
      concealed.add(s.audioConcealedFraction);
    }
    audioBitrate.add(positiveOrNull(isSend ? s.audioSendBitrateKbps : s.audioRecvBitrateKbps));
    const videoKbps = positiveOrNull(isSend ? s.videoSendBitrateKbps : s.videoRecvBitrateKbps);
    videoBitrate.add(videoKbps);
    if (videoKbps !== null) {
      frameRate.add(isSend ? s.videoSendFrameRateFps : s.videoRecvFrameRateFps);
      height.add(isSend ? s.videoSendHeightPx : s.videoRecvHeightPx);
    }
  }
  const fields = [loss, jitter, concealed, audioBitrate, videoBitrate, frameRate, height];
  return {
    window: {
      lossFraction: loss.mean(),
      jitterMs: jitter.mean(),
      concealedFraction: concealed.mean(),
      audioBitrateKbps: audioBitrate.mean(),
      audioSampleCount: audioBitrate.values.length,
      videoBitrateKbps: videoBitrate.mean(),
      videoSampleCount: videoBitrate.values.length,
      videoFrameRateFps: frameRate.mean(),
      videoHeightPx: height.values.length === 0 ? null : Math.max(...height.values),
    },
    invalid: fields.reduce((n, f) => n + f.invalid, 0),
  };
}

/** A bitrate of 0 means no media flowed: treat it like a missing value, not as a measurement of "0 kbps". */
function positiveOrNull(value: number | null): number | null {
  return value === 0 ? null : value;
}

function summarizeBridge(bridgeId: string, inside: BridgeSampleInput[], before: BridgeSampleInput[]): BridgeWindow {
  const latest = [...inside].sort((a, b) => a.sampledAt.getTime() - b.sampledAt.getTime())[inside.length - 1] as BridgeSampleInput;
  const meanOf = (list: BridgeSampleInput[], pick: (s: BridgeSampleInput) => number) => mean(list.map(pick)) ?? 0;
  return {
    bridgeId,
    label: latest.bridgeName ?? bridgeId,
    sampleCount: inside.length,
    stressLevel: meanOf(inside, (s) => s.stressLevel),
    endpoints: latest.endpoints,
    rttAggregateMs: meanOf(inside, (s) => s.rttAggregateMs),
    incomingLossFraction: meanOf(inside, (s) => s.incomingLossFraction),
    outgoingLossFraction: meanOf(inside, (s) => s.outgoingLossFraction),
    baseline:
      before.length === 0
        ? null
        : {
            rttAggregateMs: meanOf(before, (s) => s.rttAggregateMs),
            incomingLossFraction: meanOf(before, (s) => s.incomingLossFraction),
            outgoingLossFraction: meanOf(before, (s) => s.outgoingLossFraction),
          },
  };
}

/**
 * Rounded to 12 significant digits: summing floats leaves noise in the last bits ((0.1 + 0.1 + 0.1) / 3 is
 * 0.10000000000000002), which would flip a strict limit such as "loss > 0.1" for a participant exactly at it.
 */
export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  return Number((values.reduce((a, b) => a + b, 0) / values.length).toPrecision(12));
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] as number) + upper) / 2;
}
