import type { BridgeSampleInput, ParticipantSampleInput } from "./types";

/**
 * Plain-data builders for the analysis tests: a healthy participant on a healthy bridge, changed field by field.
 * The window in the tests is the 30 s ending at NOW; clients report every 10 s.
 */

export const NOW = new Date("2026-11-25T10:15:00Z");
export const WINDOW_MS = 30_000;
/** three reports inside the window, 10 s apart */
export const SAMPLE_OFFSETS_MS = [25_000, 15_000, 5_000] as const;

export type SampleOverrides = Partial<ParticipantSampleInput>;

/** A participant on a good network sending and receiving 720p VP8 and Opus. */
export function healthySample(participantId: string, overrides: SampleOverrides = {}): ParticipantSampleInput {
  return {
    participantId,
    endpointId: `ep-${participantId}`,
    displayName: participantId,
    bridgeId: "b1",
    sampledAt: new Date(NOW.getTime() - 5_000),
    videoSendBitrateKbps: 2_100,
    videoRecvBitrateKbps: 1_500,
    videoSendHeightPx: 720,
    videoRecvHeightPx: 720,
    videoSendFrameRateFps: 30,
    videoRecvFrameRateFps: 29,
    videoCodec: "VP8",
    audioSendBitrateKbps: 40,
    audioRecvBitrateKbps: 40,
    audioJitterMs: 5,
    audioConcealedFraction: 0.002,
    rttMs: 40,
    lossSendFraction: 0.002,
    lossRecvFraction: 0.003,
    availableSendBandwidthKbps: 4_000,
    availableRecvBandwidthKbps: 8_000,
    transportProtocol: "udp",
    relayed: false,
    qualityLimitationReason: "none",
    memoryUsedMb: 300,
    connectionQuality: 100,
    ...overrides,
  };
}

/** The three in-window reports of one participant, all with the same overrides. */
export function participantSamples(participantId: string, overrides: SampleOverrides = {}): ParticipantSampleInput[] {
  return SAMPLE_OFFSETS_MS.map((offsetMs) =>
    healthySample(participantId, { ...overrides, sampledAt: new Date(NOW.getTime() - offsetMs) }),
  );
}

export interface BridgeFixture {
  bridgeId: string;
  bridgeName: string;
  stressLevel: number;
  rttAggregateMs?: number;
  incomingLossFraction?: number;
  outgoingLossFraction?: number;
  /** figures for samples in the 5 minutes before the window; none when omitted */
  baseline?: { rttAggregateMs: number; incomingLossFraction: number; outgoingLossFraction: number };
}

/** Bridge polls every 10 s inside the window, plus two baseline polls before it when asked. */
export function bridgeSamples(b: BridgeFixture): BridgeSampleInput[] {
  const sample = (offsetMs: number, figures: Pick<BridgeSampleInput, "rttAggregateMs" | "incomingLossFraction" | "outgoingLossFraction">) => ({
    bridgeId: b.bridgeId,
    bridgeName: b.bridgeName,
    sampledAt: new Date(NOW.getTime() - offsetMs),
    stressLevel: b.stressLevel,
    endpoints: 30,
    ...figures,
  });
  const inside = {
    rttAggregateMs: b.rttAggregateMs ?? 30,
    incomingLossFraction: b.incomingLossFraction ?? 0.002,
    outgoingLossFraction: b.outgoingLossFraction ?? 0.002,
  };
  const before = b.baseline ? [sample(120_000, b.baseline), sample(60_000, b.baseline)] : [];
  return [...before, ...SAMPLE_OFFSETS_MS.map((offsetMs) => sample(offsetMs, inside))];
}
