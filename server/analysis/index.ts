/** The pure analysis core: plain data in, plain data out (DESIGN §2). The analyzer shell imports from here. */
export { assessNetwork, bridgeEvidence, detectIssues } from "./attribute";
export type { AttributionInput, AttributionParticipant, NetworkAssessment, NetworkMetric } from "./attribute";
export { classifyAudio, classifyStreams, classifyVideo } from "./classify";
export { jitsiConnectionQuality, qualityFromLoss, rampUpLimitKbps, targetBitrateKbps } from "./connection-quality";
export type { ConnectionQualityInput } from "./connection-quality";
export { audioMos, effectiveLatencyMs, R0, rAfterLoss, rFromEffectiveLatency, rToMos } from "./mos";
export type { AudioMosInput } from "./mos";
export { buildMeetingReport, mosScore, participantScore } from "./report";
export type { BuildMeetingReportInput } from "./report";
export { DEFAULT_THRESHOLDS, thresholdsSchema } from "./thresholds";
export type { Thresholds, ThresholdsInput } from "./thresholds";
export type * from "./types";
export { summarizeBridges, summarizeParticipants } from "./window";
export type { BridgeWindow, DirectionWindow, ParticipantWindow } from "./window";
