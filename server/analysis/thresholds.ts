import { z } from "zod";

/**
 * Every number the analyzer judges against, with its published source (shared/reference/quality-thresholds.md,
 * "QT" below; jitsi-apis.md, "JA"). Defaults are zod `.default()`s so that an administrator's partial override
 * (stored later as a Setting) parses into a complete set: `thresholdsSchema.parse({ bridge: { stressedAtLevel: 0.7 } })`.
 * Each section is `.prefault({})` so a missing section is filled from its fields' defaults.
 */

const fraction = z.number().min(0).max(1);
const ms = z.number().min(0);
const fps = z.number().min(0);
const kbps = z.number().min(0);

/** Teams CQD audio stream classification (QT §1.1): Poor if any metric is beyond its limit. */
const cqdAudioSchema = z
  .object({
    /** Round trip avg > 500 ms → Poor */
    poorRttMsAbove: ms.default(500),
    /** Packet loss rate avg > 0.1 → Poor */
    poorLossFractionAbove: fraction.default(0.1),
    /** Jitter avg > 30 ms → Poor */
    poorJitterMsAbove: ms.default(30),
    /** Ratio concealed samples avg > 0.07 → Poor (older revision of the CQD doc, still widely quoted) */
    poorConcealedFractionAbove: fraction.default(0.07),
    /**
     * CQD classifies only streams with > 500 packets. We have no packet counts, so we count samples that carried
     * audio (bitrate > 0) instead: clients report every 10 s (lib-jitsi-meet pcStatsInterval, JA §4.1) and Opus
     * sends 50 packets/s (20 ms frames), so one sample stands for ≈ 500 packets and two for ≈ 1000 > 500.
     */
    minSamplesWithAudio: z.number().int().min(1).default(2),
  })
  .prefault({});

/**
 * Teams CQD video (QT §1.1): the first available metric decides. (1) Local frame loss % > 50 — not collected by our
 * clients, always skipped; (2) frame rate avg < 7 fps; (3) post-FEC packet loss > 0.15; else Unclassified.
 */
const cqdVideoSchema = z
  .object({
    poorFrameRateFpsBelow: fps.default(7),
    /** our loss fractions are RTCP loss before any FEC repair: a pessimistic stand-in for post-FEC PLR */
    poorPostFecLossFractionAbove: fraction.default(0.15),
    /** same stand-in for CQD's "too few packets" as for audio (video sends far more packets per sample) */
    minSamplesWithVideo: z.number().int().min(1).default(2),
  })
  .prefault({});

/** Teams Real-Time Analytics "good" values (QT §1.2): a network meeting all of them is "fine". */
const rtaGoodSchema = z
  .object({
    jitterMsBelow: ms.default(30),
    lossFractionBelow: fraction.default(0.05),
    rttMsBelow: ms.default(500),
    audioBitrateKbpsAbove: kbps.default(24),
    /** 25–30 fps at ≥ 360p; heights between 270p and 360p are judged by this rule too */
    videoFrameRateFpsFrom360p: fps.default(25),
    /** 7–15 fps at ≤ 270p */
    videoFrameRateFpsUpTo270p: fps.default(7),
  })
  .prefault({});

const mosSchema = z
  .object({
    /**
     * Below this MOS the E-model names the larger impairment (delay or loss) as dominant; at or above it the
     * impairment is "none". 4.3 is the lower edge of the "very satisfied" band (QT §2, capenetworks).
     */
    impairmentNoticeableBelowMos: z.number().min(1).max(4.5).default(4.3),
  })
  .prefault({});

/** Meetscope's own bridge rules. */
const bridgeSchema = z
  .object({
    /** Jicofo `stress-threshold` 0.8: a bridge is overloaded ⇔ stress ≥ 0.8 (JA §2.4) */
    stressedAtLevel: z.number().min(0).default(0.8),
    /** in-window mean of incoming or outgoing loss this much above the baseline mean counts as a rise */
    lossRiseFraction: fraction.default(0.02),
    /** in-window mean of rtt_aggregate this much above the baseline mean counts as a rise */
    rttRiseMs: ms.default(50),
    /** bridge samples this long before the window form the baseline for the rises above */
    baselineMs: z.number().int().min(0).default(300_000),
    /** "degrade together": at least this many of the bridge's participants … */
    minDegradedParticipants: z.number().int().min(1).default(2),
    /** … or at least this share of them */
    minDegradedShare: fraction.default(0.5),
  })
  .prefault({});

/** Meetscope's own CPU rule: browsers expose no CPU gauge; qualityLimitationReason is the proxy (QT §3). */
const cpuSchema = z
  .object({
    /** CPU-limited if qualityLimitationReason = "cpu" in at least this share of the window's samples */
    limitedShare: fraction.default(0.5),
  })
  .prefault({});

/** Meetscope's overall score (report.ts). */
const scoreSchema = z
  .object({
    /** weight of a poor stream relative to a good one in a participant's score */
    poorStreamWeight: z.number().min(1).default(3),
  })
  .prefault({});

export const thresholdsSchema = z.object({
  cqdAudio: cqdAudioSchema,
  cqdVideo: cqdVideoSchema,
  rtaGood: rtaGoodSchema,
  mos: mosSchema,
  bridge: bridgeSchema,
  cpu: cpuSchema,
  score: scoreSchema,
});

export type Thresholds = z.infer<typeof thresholdsSchema>;
export type ThresholdsInput = z.input<typeof thresholdsSchema>;

/** The published defaults; frozen (both levels) so no caller can change them for everybody. */
export const DEFAULT_THRESHOLDS: Thresholds = deepFreeze(thresholdsSchema.parse({}));

function deepFreeze(thresholds: Thresholds): Thresholds {
  for (const section of Object.values(thresholds)) Object.freeze(section);
  return Object.freeze(thresholds);
}
