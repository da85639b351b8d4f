/** Meetscope's reference ingest agent for Jitsi Meet pages. See agent/README.md. */
export { attachToJitsiMeet, jvbGetStats, startMeetscopeAgent } from "./agent.js";
export type { JitsiMeetAttachment, JitsiMeetAttachOptions, MeetscopeAgent, MeetscopeAgentOptions, RawStats } from "./agent.js";
export { BatchSender, consoleLogger, ingestUrl, parseRetryAfterMs, MAX_EVENTS_PER_BATCH, MAX_SAMPLES_PER_BATCH } from "./sender.js";
export type { BatchSenderOptions, BatchSenderStats, ClearTimer, FetchInitLike, FetchLike, FetchResponseLike, Logger, LogLevel, SetTimer } from "./sender.js";
export {
  checkParticipantRef,
  EVENT_KINDS,
  eventFromJitsi,
  figuresFromLibStats,
  figuresFromRtcStats,
  hasFigures,
  JITSI_EVENT_NAMES,
  JITSI_ICE_FAILED_ERROR,
  mergeFigures,
  sanitizeDetail,
  statsList,
  statsSnapshot,
  toEvent,
  toSample,
} from "./mapping.js";
export type {
  EventDetail,
  EventKind,
  IngestEventBody,
  IngestSampleBody,
  LibJitsiLocalStats,
  ParticipantRef,
  QualityLimitationReason,
  RefCheck,
  SampleFigures,
  StatsInput,
  StatsRecord,
  StatsSnapshot,
  TransportProtocol,
  VideoFigures,
} from "./mapping.js";
