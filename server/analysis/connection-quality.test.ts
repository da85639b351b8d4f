import { describe, expect, it } from "vitest";
import {
  jitsiConnectionQuality,
  MAX_TARGET_BITRATE_KBPS,
  qualityFromLoss,
  rampUpLimitKbps,
  targetBitrateKbps,
  type ConnectionQualityInput,
} from "./connection-quality";

const videoOff = (uploadLossFraction: number | null): ConnectionQualityInput => ({
  sendingVideo: false,
  sendHeightPx: null,
  videoCodec: null,
  uploadBitrateKbps: 40,
  uploadLossFraction,
  videoSendingForMs: null,
  previous: null,
});

const video720 = (overrides: Partial<ConnectionQualityInput> = {}): ConnectionQualityInput => ({
  sendingVideo: true,
  sendHeightPx: 720,
  videoCodec: "VP8",
  uploadBitrateKbps: 1_100,
  uploadLossFraction: 0,
  videoSendingForMs: null,
  previous: null,
  ...overrides,
});

describe("Jitsi connection quality, video off: upload loss buckets", () => {
  it.each([
    [0, 100],
    [0.02, 100], // ≤ 2 %
    [0.03, 70],
    [0.04, 70], // ≤ 4 %
    [0.05, 50],
    [0.06, 50], // ≤ 6 %
    [0.07, 30],
    [0.08, 30], // ≤ 8 %
    [0.1, 10],
    [0.12, 10], // ≤ 12 %
    [0.13, 0],
    [1, 0],
  ])("loss %f → %i", (lossFraction, expected) => {
    expect(jitsiConnectionQuality(videoOff(lossFraction))).toBe(expected);
  });

  it("unknown loss → 100", () => {
    expect(jitsiConnectionQuality(videoOff(null))).toBe(100);
    expect(qualityFromLoss(null)).toBe(100);
  });

  it("loss is rounded to whole percent first, as lib-jitsi-meet's calculatePacketLoss does", () => {
    // 2.4 % → 2 → 100; 2.6 % → 3 → 70
    expect(jitsiConnectionQuality(videoOff(0.024))).toBe(100);
    expect(jitsiConnectionQuality(videoOff(0.026))).toBe(70);
  });

  it("sending video without a known resolution falls back to the loss buckets", () => {
    expect(jitsiConnectionQuality(video720({ sendHeightPx: null, uploadLossFraction: 0.05 }))).toBe(50);
    expect(jitsiConnectionQuality(video720({ sendHeightPx: 0, uploadLossFraction: 0.05 }))).toBe(50);
  });
});

describe("simulcast targets (lib-jitsi-meet StandardVideoQualitySettings, VP8 sums down to 180p)", () => {
  it.each([
    [2160, 9_700], // 6000 + 3000 + 500 + 200
    [1080, 3_700], // 3000 + 500 + 200
    [720, 2_200], // 1500 + 500 + 200
    [540, 700], // 500 + 200
    [480, 500], // 500; 240p is no level, the sum stops
    [360, 700], // 500 + 200
    [270, 200],
    [180, 200],
    [90, 0], // below 180p nothing is summed
    [600, 700], // the first level ≤ 600 is 540p
  ])("VP8 %ip → %i kbps", (heightPx, expectedKbps) => {
    expect(targetBitrateKbps(heightPx, "VP8")).toBe(expectedKbps);
  });

  it("SVC / single-stream codecs use the one value of their level", () => {
    expect(targetBitrateKbps(720, "VP9")).toBe(1_200);
    expect(targetBitrateKbps(720, "video/AV1")).toBe(1_000);
    expect(targetBitrateKbps(720, "H264")).toBe(2_000);
    expect(targetBitrateKbps(360, "vp9")).toBe(300);
  });

  it("an unknown codec is treated as VP8", () => {
    expect(targetBitrateKbps(720, null)).toBe(2_200);
    expect(targetBitrateKbps(720, "opus?")).toBe(2_200);
  });
});

describe("Jitsi connection quality, video on", () => {
  it("100 × upload / target", () => {
    // 720p VP8: target 2200 → 100 · 1100 / 2200 = 50
    expect(jitsiConnectionQuality(video720())).toBe(50);
  });

  it("the target is capped at 2500 kbps, the result at 100", () => {
    // 1080p VP8 target 3700 → capped 2500 → 100 · 2000 / 2500 = 80
    expect(jitsiConnectionQuality(video720({ sendHeightPx: 1080, uploadBitrateKbps: 2_000 }))).toBe(80);
    expect(MAX_TARGET_BITRATE_KBPS).toBe(2_500);
    // 3000 / 2500 → 120 → 100
    expect(jitsiConnectionQuality(video720({ sendHeightPx: 1080, uploadBitrateKbps: 3_000 }))).toBe(100);
  });

  it("upload loss ≥ 10 % caps it at 30; 9 % does not", () => {
    // 2200 / 2200 = 100, capped to 30 at 10 % loss
    expect(jitsiConnectionQuality(video720({ uploadBitrateKbps: 2_200, uploadLossFraction: 0.1 }))).toBe(30);
    expect(jitsiConnectionQuality(video720({ uploadBitrateKbps: 2_200, uploadLossFraction: 0.09 }))).toBe(100);
    // a lower value stays: 50 → 30 only if above; 440/2200 = 20 stays 20
    expect(jitsiConnectionQuality(video720({ uploadBitrateKbps: 440, uploadLossFraction: 0.2 }))).toBe(20);
  });

  it("a zero target (below 180p) reads as 100, like Jitsi's division by zero after the cap", () => {
    expect(jitsiConnectionQuality(video720({ sendHeightPx: 90, uploadBitrateKbps: 80 }))).toBe(100);
  });

  it("ramp-up: 800 kbps × 1.08^(s − 1), unlimited after 60 s", () => {
    // 11 s after start: 800 · 1.08^10 = 800 · 2.158925 = 1727.14 kbps
    expect(rampUpLimitKbps(11_000)).toBeCloseTo(1_727.14, 1);
    // the first second is grace: 800 · 1.08^0
    expect(rampUpLimitKbps(1_000)).toBe(800);
    expect(rampUpLimitKbps(61_000)).toBeCloseTo(800 * 1.08 ** 60, 6);
    expect(rampUpLimitKbps(61_001)).toBe(Number.POSITIVE_INFINITY);
    // target = min(2200, 1727.14) → 100 · 1000 / 1727.14 = 57.899
    expect(jitsiConnectionQuality(video720({ uploadBitrateKbps: 1_000, videoSendingForMs: 11_000 }))).toBeCloseTo(57.899, 2);
  });

  it("is 100 until video has run longer than pcStatsInterval (10 s), except for the loss cap", () => {
    expect(jitsiConnectionQuality(video720({ uploadBitrateKbps: 100, videoSendingForMs: 10_000 }))).toBe(100);
    expect(jitsiConnectionQuality(video720({ uploadBitrateKbps: 100, videoSendingForMs: 5_000, uploadLossFraction: 0.15 }))).toBe(30);
  });
});

describe("Jitsi connection quality, recovery limit", () => {
  it("rises at most 2 points per second after the previous value", () => {
    // previous 40, 5 s ago → at most 40 + 10 = 50, though the bitrate says 100
    const previous = { percent: 40, elapsedMs: 5_000 };
    expect(jitsiConnectionQuality(video720({ uploadBitrateKbps: 2_200, previous }))).toBe(50);
    expect(jitsiConnectionQuality({ ...videoOff(0), previous })).toBe(50);
  });

  it("falls at once", () => {
    const previous = { percent: 90, elapsedMs: 30_000 };
    // 100 · 660 / 2200 = 30
    expect(jitsiConnectionQuality(video720({ uploadBitrateKbps: 660, previous }))).toBe(30);
  });
});
