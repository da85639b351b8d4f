import { describe, expect, it } from "vitest";
import { DEFAULT_THRESHOLDS, thresholdsSchema } from "./thresholds";

describe("thresholds", () => {
  it("defaults are the published values", () => {
    expect(DEFAULT_THRESHOLDS.cqdAudio).toEqual({
      poorRttMsAbove: 500,
      poorLossFractionAbove: 0.1,
      poorJitterMsAbove: 30,
      poorConcealedFractionAbove: 0.07,
      minSamplesWithAudio: 2,
    });
    expect(DEFAULT_THRESHOLDS.cqdVideo).toEqual({ poorFrameRateFpsBelow: 7, poorPostFecLossFractionAbove: 0.15, minSamplesWithVideo: 2 });
    expect(DEFAULT_THRESHOLDS.rtaGood).toMatchObject({ jitterMsBelow: 30, lossFractionBelow: 0.05, rttMsBelow: 500, audioBitrateKbpsAbove: 24 });
    expect(DEFAULT_THRESHOLDS.bridge.stressedAtLevel).toBe(0.8);
    expect(DEFAULT_THRESHOLDS.cpu.limitedShare).toBe(0.5);
  });

  it("a partial override keeps every other default", () => {
    const t = thresholdsSchema.parse({ bridge: { stressedAtLevel: 0.7 }, cqdAudio: { poorJitterMsAbove: 40 } });
    expect(t.bridge).toEqual({ ...DEFAULT_THRESHOLDS.bridge, stressedAtLevel: 0.7 });
    expect(t.cqdAudio.poorJitterMsAbove).toBe(40);
    expect(t.cqdAudio.poorRttMsAbove).toBe(500);
    expect(t.rtaGood).toEqual(DEFAULT_THRESHOLDS.rtaGood);
  });

  it("rejects values that cannot be thresholds", () => {
    expect(thresholdsSchema.safeParse({ cqdAudio: { poorLossFractionAbove: 10 } }).success).toBe(false); // percent, not a fraction
    expect(thresholdsSchema.safeParse({ cpu: { limitedShare: -0.1 } }).success).toBe(false);
    expect(thresholdsSchema.safeParse({ cqdAudio: { minSamplesWithAudio: 0 } }).success).toBe(false);
  });

  it("the defaults cannot be changed by a caller", () => {
    expect(Object.isFrozen(DEFAULT_THRESHOLDS)).toBe(true);
    expect(Object.isFrozen(DEFAULT_THRESHOLDS.bridge)).toBe(true);
  });
});
