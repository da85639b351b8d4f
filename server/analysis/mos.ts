import { DEFAULT_THRESHOLDS } from "./thresholds";
import type { AudioMos, DominantImpairment } from "./types";

/**
 * Audio MOS by the E-model with Twilio's simplified constants (quality-thresholds.md §2, "Twilio variant";
 * twilio/twilio-voice.js lib/twilio/rtc/mos.ts, twilio/twilio-video.js lib/preflight/mos.ts):
 *
 *   Le = RTT + 2·jitter + 10                       effective latency, ms
 *   R  = R0 − Le/40               if Le < 160
 *   R  = R0 − (Le − 120)/10       if 160 ≤ Le < 1000
 *   R  = 0                        if Le ≥ 1000
 *   L  = loss in percent:  L ≤ R/2.5 → R = max(R − 2.5·L, 6.52), else R = 0
 *   MOS = 1 + 0.035·R + 7·10⁻⁶·R·(R − 60)·(100 − R)   (ITU-T G.107 Annex B; R < 0 → 1, R > 100 → 4.5)
 *
 * One deviation, on purpose: Twilio's code runs the loss step even after Le ≥ 1000 set R = 0, and its 6.52 floor
 * then lifts R back to 6.52; the reference states "otherwise R = 0", so Le ≥ 1000 ends the computation at R = 0.
 * (6.52 is where Annex B gives MOS ≈ 1.0; R never lands between 0 and 6.52 otherwise.)
 *
 * The RTT is the participant ↔ bridge leg only, as the client measures it: the score rates that participant's
 * own connection, not the mouth-to-ear path through the bridge to another participant.
 */

export const R0 = 94.768;
/** Twilio's allowance for codec and packetization delay inside Le */
const CODEC_DELAY_MS = 10;
/** Le at which the delay impairment steepens (the "knee" of the E-model's Id) */
const LATENCY_KNEE_MS = 160;
/** Le from which the call is unusable whatever the loss */
const LATENCY_UNUSABLE_MS = 1000;
/** R drops 2.5 per percent of loss */
const R_PER_LOSS_PERCENT = 2.5;
/** Twilio's floor for R after the loss step (Annex B maps it to MOS ≈ 1.0) */
const R_FLOOR_AFTER_LOSS = 6.52;

export interface AudioMosInput {
  /** false when the direction carried no audio packets in the window (muted, not connected): no MOS */
  hasPackets: boolean;
  rttMs: number | null;
  /** null = not measured; treated as 0 ms and listed in `assumptions` */
  jitterMs: number | null;
  lossFraction: number | null;
}

/**
 * The E-model MOS for one audio direction, or null when there is nothing to rate (no packets, no RTT or no loss
 * figure): a made-up number would look like a measurement. Throws RangeError on negative, NaN or infinite
 * inputs and on a loss fraction above 1, which are bugs upstream rather than conditions to rate.
 */
export function audioMos(
  input: AudioMosInput,
  impairmentNoticeableBelowMos: number = DEFAULT_THRESHOLDS.mos.impairmentNoticeableBelowMos,
): AudioMos | null {
  assertNonNegative("rttMs", input.rttMs);
  assertNonNegative("jitterMs", input.jitterMs);
  assertNonNegative("lossFraction", input.lossFraction);
  if (input.lossFraction !== null && input.lossFraction > 1) {
    throw new RangeError(`lossFraction must be at most 1 (was ${input.lossFraction})`);
  }
  if (!input.hasPackets || input.rttMs === null || input.lossFraction === null) return null;

  const assumptions: string[] = [];
  let jitterMs = input.jitterMs;
  if (jitterMs === null) {
    assumptions.push("jitter not measured; treated as 0 ms");
    jitterMs = 0;
  }

  const latencyMs = effectiveLatencyMs(input.rttMs, jitterMs);
  const rAfterDelay = rFromEffectiveLatency(latencyMs);
  const r = latencyMs >= LATENCY_UNUSABLE_MS ? 0 : rAfterLoss(rAfterDelay, input.lossFraction * 100);
  const mos = rToMos(r);
  const dominant = dominantImpairment({
    delayR: R0 - rAfterDelay,
    lossR: rAfterDelay - r,
    mos,
    impairmentNoticeableBelowMos,
  });
  return { mos, r, dominant, assumptions };
}

export function effectiveLatencyMs(rttMs: number, jitterMs: number): number {
  return rttMs + 2 * jitterMs + CODEC_DELAY_MS;
}

/** R after the delay impairment alone. */
export function rFromEffectiveLatency(latencyMs: number): number {
  if (latencyMs < LATENCY_KNEE_MS) return R0 - latencyMs / 40;
  if (latencyMs < LATENCY_UNUSABLE_MS) return R0 - (latencyMs - 120) / 10;
  return 0;
}

/** The loss step, loss in PERCENT as in Twilio's samples. */
export function rAfterLoss(rAfterDelay: number, lossPercent: number): number {
  if (lossPercent <= rAfterDelay / R_PER_LOSS_PERCENT) {
    return Math.max(rAfterDelay - R_PER_LOSS_PERCENT * lossPercent, R_FLOOR_AFTER_LOSS);
  }
  return 0;
}

/**
 * ITU-T G.107 Annex B. The cubic dips slightly below 1 for 0 < R < 6.5, so the result is clamped to [1, 4.5]
 * as well as the R range (R < 0 → 1, R > 100 → 4.5).
 */
export function rToMos(r: number): number {
  if (r < 0) return 1;
  if (r > 100) return 4.5;
  const mos = 1 + 0.035 * r + 7e-6 * r * (r - 60) * (100 - r);
  return Math.min(4.5, Math.max(1, mos));
}

/**
 * The impairment that cost more R points, or "none" while the MOS stays at or above the noticeable level. An exact
 * tie (practically only when both are 0, which the MOS test already catches) goes to "loss": loss is the one the
 * issue attribution can act on (a participant's network or a bridge), delay rarely is.
 */
function dominantImpairment(x: {
  delayR: number;
  lossR: number;
  mos: number;
  impairmentNoticeableBelowMos: number;
}): DominantImpairment {
  if (x.mos >= x.impairmentNoticeableBelowMos) return "none";
  return x.delayR > x.lossR ? "delay" : "loss";
}

function assertNonNegative(name: string, value: number | null): void {
  if (value === null) return;
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`${name} must be a finite number ≥ 0 (was ${value})`);
  }
}
