/**
 * lib-jitsi-meet's connection quality (0–100), the number behind the bars users see (jitsi-apis.md §4.2,
 * quality-thresholds.md §1.7). Checked against lib-jitsi-meet master of 2026-08-20 (commit 01daa07):
 * `modules/connectivity/ConnectionQuality.ts` (`_calculateConnectionQuality`, `getTarget`, `rampUp`),
 * `service/RTC/StandardVideoQualitySettings.ts` (`VIDEO_QUALITY_LEVELS`, `STANDARD_CODEC_SETTINGS`),
 * `modules/statistics/RTPStatsCollector.js` (`calculatePacketLoss`: loss as Math.round(percent)).
 *
 * - Not sending video (or no resolution): from upload loss only — ≤ 2 % → 100, ≤ 4 → 70, ≤ 6 → 50, ≤ 8 → 30,
 *   ≤ 12 → 10, else 0; unknown loss → 100.
 * - Sending video: 100 × upload bitrate / target; target = the expected send bitrate for the resolution
 *   (table below), limited by the ramp-up 800 kbps × 1.08^(s since start − 1) (unlimited after 60 s), capped at
 *   2500 kbps; computed only once video has run longer than pcStatsInterval (10 s), 100 before. Upload loss
 *   ≥ 10 % caps it at 30.
 * - It rises at most 2 points per second after the previous value; it may fall at once. Max 100.
 *
 * Differences from what a client computes, because Meetscope sees only the samples:
 * - the resolution is the sent height (the highest in the window), not the camera's capture resolution — a
 *   sender whose top simulcast layer is suspended looks like a smaller camera and scores higher than in Jitsi;
 * - the upload bitrate is audio + video send bitrate (Jitsi's `bitrate.upload` is the total);
 * - "time since video started" is usually unknown to the analyzer (null → assume past the ramp-up).
 */

/** Jitsi's MAX_TARGET_BITRATE */
export const MAX_TARGET_BITRATE_KBPS = 2500;
/** Jitsi's startBitrate (config.startBitrate can change it; we assume the default) */
const RAMP_UP_START_KBPS = 800;
/** GCC grows the send-side estimate by at most 8 %/s (draft-ietf-rmcat-gcc-02 §5.5) */
const RAMP_UP_GROWTH_PER_S = 1.08;
const RAMP_UP_UNLIMITED_AFTER_MS = 60_000;
/** getTarget delays the ramp-up by one second */
const RAMP_UP_GRACE_MS = 1_000;
/** lib-jitsi-meet's default pcStatsInterval: quality from bitrate only after this much video */
const STATS_INTERVAL_MS = 10_000;
const LOSS_CAP_FROM_PERCENT = 10;
const LOSS_CAP_QUALITY = 30;
const MAX_RISE_PER_S = 2;

/** StandardVideoQualitySettings.VIDEO_QUALITY_LEVELS: first entry with height ≤ ours names the level. */
const VIDEO_QUALITY_LEVELS: ReadonlyArray<readonly [heightPx: number, level: QualityLevel]> = [
  [2160, "ultraHd"],
  [1080, "fullHd"],
  [720, "high"],
  [540, "standard"],
  [480, "standard"],
  [360, "standard"],
  [270, "low"],
  [180, "low"],
  [90, "low"],
  [0, "none"],
];

type QualityLevel = "ultraHd" | "fullHd" | "high" | "standard" | "low" | "none";
type Codec = "vp8" | "vp9" | "av1" | "h264";

/** STANDARD_CODEC_SETTINGS[codec].maxBitratesVideo, in kbps (the source has bps). */
const MAX_BITRATES_KBPS: Readonly<Record<Codec, Readonly<Record<QualityLevel, number>>>> = {
  vp8: { ultraHd: 6000, fullHd: 3000, high: 1500, standard: 500, low: 200, none: 0 },
  vp9: { ultraHd: 5000, fullHd: 2500, high: 1200, standard: 300, low: 100, none: 0 },
  av1: { ultraHd: 4000, fullHd: 2000, high: 1000, standard: 300, low: 100, none: 0 },
  h264: { ultraHd: 8000, fullHd: 4000, high: 2000, standard: 800, low: 400, none: 0 },
};

/**
 * The expected send bitrate for a sent height, before ramp-up and the 2500 kbps cap.
 *
 * VP8 sends simulcast (TPCUtils.isRunningInSimulcastMode: VP8 always), so the target is the sum of the layers,
 * halving the height down to 180p while the height is a listed level:
 *   2160p 6000+3000+500+200 = 9700 · 1080p 3000+500+200 = 3700 · 720p 1500+500+200 = 2200 · 540p 500+200 = 700 ·
 *   480p 500 (240p is no level) · 360p 500+200 = 700 · 270p 200 · 180p 200 · 90p 0 (below 180p) · 0p 0.
 * VP9 and AV1 run SVC in Chromium and H.264 a single stream, so their target is that level's one value
 * (e.g. 720p: VP9 1200, AV1 1000, H.264 2000). An unknown codec is treated as VP8, Jitsi's simulcast baseline.
 */
export function targetBitrateKbps(heightPx: number, codec: string | null): number {
  const normalized = normalizeCodec(codec);
  const bitrates = MAX_BITRATES_KBPS[normalized];
  const top = VIDEO_QUALITY_LEVELS.find(([h]) => h <= heightPx);
  if (!top) return 0;
  if (normalized !== "vp8") return bitrates[top[1]];
  let targetKbps = 0;
  for (let h = top[0]; h >= 180; h /= 2) {
    const layer = VIDEO_QUALITY_LEVELS.find(([levelHeight]) => levelHeight === h);
    if (!layer) break;
    targetKbps += bitrates[layer[1]];
  }
  return targetKbps;
}

/** What GCC could have reached `sendingForMs` after video started (getTarget's grace second included). */
export function rampUpLimitKbps(sendingForMs: number): number {
  const rampMs = Math.max(0, sendingForMs - RAMP_UP_GRACE_MS);
  if (rampMs > RAMP_UP_UNLIMITED_AFTER_MS) return Number.POSITIVE_INFINITY;
  return RAMP_UP_START_KBPS * RAMP_UP_GROWTH_PER_S ** (rampMs / 1000);
}

export interface ConnectionQualityInput {
  /** camera video is being sent (false → the loss-only buckets) */
  sendingVideo: boolean;
  /** sent height; null or 0 counts as "unknown resolution" → loss-only, as in Jitsi */
  sendHeightPx: number | null;
  videoCodec: string | null;
  /** audio + video send bitrate */
  uploadBitrateKbps: number;
  /** null = unknown */
  uploadLossFraction: number | null;
  /** ms since video started; null = unknown, assumed past the 60 s ramp-up */
  videoSendingForMs: number | null;
  /** the previous value and how long ago it was computed, for the +2 points/s rise limit; null = none */
  previous: { percent: number; elapsedMs: number } | null;
}

export function jitsiConnectionQuality(input: ConnectionQualityInput): number {
  // Jitsi rounds loss to whole percent before comparing (calculatePacketLoss).
  const lossPercent = input.uploadLossFraction === null ? null : Math.round(input.uploadLossFraction * 100);
  const heightPx = input.sendHeightPx ?? 0;
  const quality =
    input.sendingVideo && heightPx > 0
      ? qualityFromBitrate({ ...input, heightPx, lossPercent })
      : qualityFromLoss(lossPercent);
  return Math.min(100, limitRise(quality, input.previous));
}

/** The video-off buckets ("bars") of _calculateConnectionQuality. */
export function qualityFromLoss(lossPercent: number | null): number {
  if (lossPercent === null) return 100;
  if (lossPercent <= 2) return 100;
  if (lossPercent <= 4) return 70;
  if (lossPercent <= 6) return 50;
  if (lossPercent <= 8) return 30;
  if (lossPercent <= 12) return 10;
  return 0;
}

function qualityFromBitrate(x: {
  heightPx: number;
  videoCodec: string | null;
  uploadBitrateKbps: number;
  lossPercent: number | null;
  videoSendingForMs: number | null;
}): number {
  let quality = 100;
  const runningLongEnough = x.videoSendingForMs === null || x.videoSendingForMs > STATS_INTERVAL_MS;
  if (runningLongEnough) {
    const rampUpKbps = x.videoSendingForMs === null ? Number.POSITIVE_INFINITY : rampUpLimitKbps(x.videoSendingForMs);
    const targetKbps = Math.min(targetBitrateKbps(x.heightPx, x.videoCodec), rampUpKbps, MAX_TARGET_BITRATE_KBPS);
    // Jitsi divides by a zero target (heights below 180p in simulcast) and gets Infinity, i.e. 100 after the cap.
    quality = targetKbps > 0 ? (100 * x.uploadBitrateKbps) / targetKbps : 100;
  }
  if (x.lossPercent !== null && x.lossPercent >= LOSS_CAP_FROM_PERCENT) quality = Math.min(quality, LOSS_CAP_QUALITY);
  return quality;
}

function limitRise(quality: number, previous: ConnectionQualityInput["previous"]): number {
  if (previous === null) return quality;
  return Math.min(quality, previous.percent + (Math.max(0, previous.elapsedMs) / 1000) * MAX_RISE_PER_S);
}

function normalizeCodec(codec: string | null): Codec {
  const name = (codec ?? "").toLowerCase().replace(/^video\//, "");
  return name === "vp9" || name === "av1" || name === "h264" ? name : "vp8";
}
