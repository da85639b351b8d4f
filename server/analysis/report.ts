import { detectIssues } from "./attribute";
import { classifyStreams } from "./classify";
import { jitsiConnectionQuality } from "./connection-quality";
import { audioMos } from "./mos";
import type { Thresholds } from "./thresholds";
import type {
  AudioMos,
  BridgeSampleInput,
  Issue,
  MeetingReport,
  ParticipantAssessment,
  ParticipantSampleInput,
  StreamClassification,
} from "./types";
import { mean, summarizeBridges, summarizeParticipants, type ParticipantWindow } from "./window";

/**
 * One meeting's performance report for the window (now − windowMs, now]: per participant window means, audio MOS
 * per direction, Jitsi's connection quality, Teams CQD stream classes, issues with causes, an overall score and the
 * worst participants.
 *
 * Overall score (0–100, one decimal):
 *   stream score   = audio: good → 100·(MOS − 1)/3.5 (Annex B's 1–4.5 range onto 0–100; 100 if no MOS), poor → 0;
 *                    video: good → 100, poor → 0; unclassified streams do not count (no evidence either way).
 *   participant    = weighted mean of its stream scores, a poor stream weighing `score.poorStreamWeight` (3) times
 *                    a good one, so one poor stream out of four pulls a participant to about half;
 *                    null when none of its streams could be classified.
 *   overallScore   = mean of the participants' scores; null ("no data") when no participant has one — an empty or
 *                    too-short window never reads as a perfect 100.
 */

export interface BuildMeetingReportInput {
  meetingId: string;
  now: Date;
  /** the analyzer runs every 30 s over the last 30 s */
  windowMs: number;
  /**
   * The last part of the window in which a network problem already raises an issue (attribute.ts), so a
   * sudden one shows in the first report after it; omitted: the whole window only.
   */
  onsetMs?: number;
  /** the meeting's participant samples; those outside the window are ignored */
  samples: readonly ParticipantSampleInput[];
  /** samples of the meeting's bridges, from `thresholds.bridge.baselineMs` before the window up to now */
  bridgeSamples: readonly BridgeSampleInput[];
  thresholds: Thresholds;
  /** the meeting's previous report: its connection qualities limit the rise to +2 points/s, as Jitsi does */
  previousReport?: MeetingReport | null;
}

const MAX_WORST_PARTICIPANTS = 3;
/** Annex B's MOS range */
const MOS_MIN = 1;
const MOS_MAX = 4.5;

export function buildMeetingReport(input: BuildMeetingReportInput): MeetingReport {
  const t = input.thresholds;
  const windowEnd = input.now;
  const windowStart = new Date(windowEnd.getTime() - input.windowMs);
  const windows = summarizeParticipants(input.samples, windowStart, windowEnd);
  const bridges = summarizeBridges(input.bridgeSamples, windowStart, windowEnd, t.bridge.baselineMs);

  const participants = windows.map((w) => assessParticipant(w, input));
  const onsetMs = input.onsetMs ?? null;
  const onsetWindows =
    onsetMs === null || onsetMs >= input.windowMs
      ? new Map<string, ParticipantWindow>()
      : new Map(summarizeParticipants(input.samples, new Date(windowEnd.getTime() - onsetMs), windowEnd).map((w) => [w.participantId, w]));
  const issues = detectIssues({
    participants: windows.map((w, i) => {
      const onset = onsetWindows.get(w.participantId);
      return {
        window: w,
        onset: onset && onsetMs !== null ? { window: onset, ms: onsetMs } : null,
        streams: (participants[i] as ParticipantAssessment).streams,
      };
    }),
    bridges,
    thresholds: t,
  });

  return {
    meetingId: input.meetingId,
    generatedAt: input.now,
    windowStart,
    windowEnd,
    overallScore: overallScore(participants),
    participants,
    worstParticipantIds: worstParticipantIds(participants, issues),
    issues,
  };
}

function assessParticipant(w: ParticipantWindow, input: BuildMeetingReportInput): ParticipantAssessment {
  const t = input.thresholds;
  const noticeable = t.mos.impairmentNoticeableBelowMos;
  // Clients measure jitter only on what they receive; the send side is rated without it (and says so).
  const sendAudio = audioMos(
    { hasPackets: w.send.audioSampleCount > 0, rttMs: w.rttMs, jitterMs: null, lossFraction: w.send.lossFraction },
    noticeable,
  );
  const recvAudio = audioMos(
    { hasPackets: w.recv.audioSampleCount > 0, rttMs: w.rttMs, jitterMs: w.recv.jitterMs, lossFraction: w.recv.lossFraction },
    noticeable,
  );
  const streams = classifyStreams(w, t);
  const notes: string[] = [];
  if (w.ignoredValueCount > 0) {
    notes.push(`${w.ignoredValueCount} invalid values ignored (NaN, negative or a fraction above 1)`);
  }
  return {
    participantId: w.participantId,
    endpointId: w.endpointId,
    displayName: w.displayName,
    bridgeId: w.bridgeId,
    sampleCount: w.sampleCount,
    send: { audio: sendAudio, rttMs: w.rttMs, lossFraction: w.send.lossFraction, jitterMs: null },
    recv: { audio: recvAudio, rttMs: w.rttMs, lossFraction: w.recv.lossFraction, jitterMs: w.recv.jitterMs },
    connectionQualityPercent: connectionQuality(w, input),
    reportedConnectionQualityPercent: w.reportedConnectionQualityPercent,
    streams,
    score: participantScore(streams, sendAudio, recvAudio, t.score.poorStreamWeight),
    notes,
  };
}

/** Jitsi's formula on the window means; null when the participant reported neither loss nor any upload. */
function connectionQuality(w: ParticipantWindow, input: BuildMeetingReportInput): number | null {
  const sendingVideo = w.send.videoSampleCount > 0;
  if (w.send.lossFraction === null && !sendingVideo) return null;
  const previous = input.previousReport?.participants.find((p) => p.participantId === w.participantId);
  const previousPercent = previous?.connectionQualityPercent ?? null;
  return jitsiConnectionQuality({
    sendingVideo,
    sendHeightPx: w.send.videoHeightPx,
    videoCodec: w.videoCodec,
    uploadBitrateKbps: (w.send.videoBitrateKbps ?? 0) + (w.send.audioBitrateKbps ?? 0),
    uploadLossFraction: w.send.lossFraction,
    videoSendingForMs: null,
    previous:
      previousPercent === null || !input.previousReport
        ? null
        : { percent: previousPercent, elapsedMs: input.now.getTime() - input.previousReport.generatedAt.getTime() },
  });
}

// ------------------------------------------------------------------------------------------------------ scores

export function participantScore(
  streams: readonly StreamClassification[],
  sendAudio: AudioMos | null,
  recvAudio: AudioMos | null,
  poorStreamWeight: number,
): number | null {
  let weighted = 0;
  let weights = 0;
  for (const s of streams) {
    if (s.verdict === "unclassified") continue;
    const audio = s.stream === "audio-send" ? sendAudio : s.stream === "audio-recv" ? recvAudio : null;
    const score = s.verdict === "poor" ? 0 : audio === null ? 100 : mosScore(audio.mos);
    const weight = s.verdict === "poor" ? poorStreamWeight : 1;
    weighted += weight * score;
    weights += weight;
  }
  return weights === 0 ? null : roundScore(weighted / weights);
}

/** MOS 1 → 0, MOS 4.5 → 100 (the E-model's best, R0 with no delay, gives ≈ 4.44 → ≈ 98) */
export function mosScore(mos: number): number {
  return Math.min(100, Math.max(0, (100 * (mos - MOS_MIN)) / (MOS_MAX - MOS_MIN)));
}

function overallScore(participants: readonly ParticipantAssessment[]): number | null {
  const scores = participants.flatMap((p) => (p.score === null ? [] : [p.score]));
  const overall = mean(scores);
  return overall === null ? null : roundScore(overall);
}

/** Participants with a poor stream or named in an issue, lowest score first (no score last), then by id. */
function worstParticipantIds(participants: readonly ParticipantAssessment[], issues: readonly Issue[]): string[] {
  const inIssues = new Set(issues.flatMap((i) => i.participantIds));
  return participants
    .filter((p) => inIssues.has(p.participantId) || p.streams.some((s) => s.verdict === "poor"))
    .sort(
      (a, b) =>
        (a.score ?? Number.POSITIVE_INFINITY) - (b.score ?? Number.POSITIVE_INFINITY) ||
        a.participantId.localeCompare(b.participantId),
    )
    .slice(0, MAX_WORST_PARTICIPANTS)
    .map((p) => p.participantId);
}

function roundScore(score: number): number {
  return Math.round(score * 10) / 10;
}
