import { formatNumber } from "./format";
import type { Thresholds } from "./thresholds";
import type { StreamClassification, StreamName } from "./types";
import type { DirectionWindow, ParticipantWindow } from "./window";

/**
 * Teams CQD stream classification (quality-thresholds.md §1.1) on window means, one verdict per stream and
 * direction, each with the rule that decided it and the observed value.
 */

/** The four streams of a participant, always in this order. */
export function classifyStreams(p: ParticipantWindow, t: Thresholds): StreamClassification[] {
  return [
    classifyAudio("audio-send", p.send, p.rttMs, t),
    classifyAudio("audio-recv", p.recv, p.rttMs, t),
    classifyVideo("video-send", p.send, t),
    classifyVideo("video-recv", p.recv, t),
  ];
}

const AUDIO = "Teams CQD audio";
const VIDEO = "Teams CQD video";

/**
 * Audio is Poor if ANY of round trip > 500 ms, loss > 0.1, jitter > 30 ms, concealed ratio > 0.07 — and only if
 * the stream had enough packets (our stand-in: samples that carried audio, see thresholds.ts). Metrics that were
 * not reported are left out; a stream with none of them is Unclassified (CQD: "no QoE report").
 */
export function classifyAudio(
  stream: StreamName,
  dir: DirectionWindow,
  rttMs: number | null,
  t: Thresholds,
): StreamClassification {
  const min = t.cqdAudio.minSamplesWithAudio;
  if (dir.audioSampleCount === 0) return { stream, verdict: "unclassified", rule: `${AUDIO}: unclassified, no audio in the window` };
  if (dir.audioSampleCount < min) {
    return {
      stream,
      verdict: "unclassified",
      rule: `${AUDIO}: unclassified, too few packets (${dir.audioSampleCount} sample with audio, ${min} needed as a stand-in for > 500 packets)`,
    };
  }
  const checks = [
    limitCheck("round trip", rttMs, t.cqdAudio.poorRttMsAbove, " ms"),
    limitCheck("packet loss rate", dir.lossFraction, t.cqdAudio.poorLossFractionAbove, ""),
    limitCheck("jitter", dir.jitterMs, t.cqdAudio.poorJitterMsAbove, " ms"),
    limitCheck("ratio concealed samples", dir.concealedFraction, t.cqdAudio.poorConcealedFractionAbove, ""),
  ].filter((c): c is LimitCheck => c !== null);
  if (checks.length === 0) {
    return { stream, verdict: "unclassified", rule: `${AUDIO}: unclassified, no round trip, loss, jitter or concealment reported` };
  }
  const fired = checks.filter((c) => c.exceeded);
  if (fired.length > 0) return { stream, verdict: "poor", rule: `${AUDIO}: ${fired.map((c) => c.text).join("; ")}` };
  return { stream, verdict: "good", rule: `${AUDIO}: ${checks.map((c) => c.text).join(", ")}` };
}

/**
 * Video: the first AVAILABLE metric decides. (1) Local frame loss % is not collected by our clients, so the
 * chain always starts at (2) frame rate avg < 7 fps; if no frame rate was reported, (3) packet loss > 0.15 (our
 * RTCP loss stands in for post-FEC PLR); if neither, Unclassified. Screen sharing (VBSS, limit 2 fps) cannot be
 * told apart in our samples and is judged like camera video.
 */
export function classifyVideo(stream: StreamName, dir: DirectionWindow, t: Thresholds): StreamClassification {
  const min = t.cqdVideo.minSamplesWithVideo;
  if (dir.videoSampleCount === 0) return { stream, verdict: "unclassified", rule: `${VIDEO}: unclassified, no video in the window` };
  if (dir.videoSampleCount < min) {
    return {
      stream,
      verdict: "unclassified",
      rule: `${VIDEO}: unclassified, too short (${dir.videoSampleCount} sample with video, ${min} needed)`,
    };
  }
  if (dir.videoFrameRateFps !== null) {
    const limit = t.cqdVideo.poorFrameRateFpsBelow;
    const fps = formatNumber(dir.videoFrameRateFps);
    return dir.videoFrameRateFps < limit
      ? { stream, verdict: "poor", rule: `${VIDEO} (frame loss not collected): frame rate avg < ${limit} fps (was ${fps})` }
      : { stream, verdict: "good", rule: `${VIDEO} (frame loss not collected): frame rate avg ≥ ${limit} fps (was ${fps})` };
  }
  const lossCheck = limitCheck("post-FEC packet loss", dir.lossFraction, t.cqdVideo.poorPostFecLossFractionAbove, "");
  if (lossCheck) {
    return {
      stream,
      verdict: lossCheck.exceeded ? "poor" : "good",
      rule: `${VIDEO} (no frame loss or frame rate): ${lossCheck.text}`,
    };
  }
  return { stream, verdict: "unclassified", rule: `${VIDEO}: unclassified, no frame loss, frame rate or packet loss reported` };
}

interface LimitCheck {
  exceeded: boolean;
  text: string;
}

/** "packet loss rate > 0.1 (was 0.16)" when beyond the limit, "packet loss rate ≤ 0.1 (was 0.004)" otherwise. */
function limitCheck(name: string, value: number | null, poorAbove: number, unit: string): LimitCheck | null {
  if (value === null) return null;
  const exceeded = value > poorAbove;
  return { exceeded, text: `${name} ${exceeded ? ">" : "≤"} ${poorAbove}${unit} (was ${formatNumber(value)})` };
}
