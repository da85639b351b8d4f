import { describe, expect, it } from "vitest";
import { audioMos, effectiveLatencyMs, rFromEffectiveLatency, rToMos, R0 } from "./mos";

/**
 * Expected values are worked out by hand from quality-thresholds.md §2 (Twilio variant + Annex B), not by
 * running the code: R0 = 94.768, Le = RTT + 2·jitter + 10, Le < 160 → R = R0 − Le/40, 160 ≤ Le < 1000 →
 * R = R0 − (Le − 120)/10, Le ≥ 1000 → R = 0; loss L in percent: L ≤ R/2.5 → R = max(R − 2.5·L, 6.52) else 0;
 * MOS = 1 + 0.035·R + 7e-6·R·(R − 60)·(100 − R).
 */

const mos = (rttMs: number | null, jitterMs: number | null, lossFraction: number | null, hasPackets = true) =>
  audioMos({ rttMs, jitterMs, lossFraction, hasPackets });

describe("audio MOS (E-model, Twilio constants)", () => {
  it("RTT 100 ms, jitter 10 ms, no loss: first latency branch", () => {
    // Le = 100 + 2·10 + 10 = 130 < 160 → R = 94.768 − 130/40 = 94.768 − 3.25 = 91.518
    // MOS = 1 + 0.035·91.518 + 7e-6·91.518·31.518·8.482
    //     = 1 + 3.20313 + 7e-6·(91.518·31.518 = 2884.464324)·8.482 = 1 + 3.20313 + 7e-6·24466.026396
    //     = 1 + 3.20313 + 0.171262 = 4.374392
    const result = mos(100, 10, 0);
    expect(result?.r).toBeCloseTo(91.518, 6);
    expect(result?.mos).toBeCloseTo(4.374392, 5);
    // 4.374 ≥ 4.3 ("very satisfied"): no impairment worth naming
    expect(result?.dominant).toBe("none");
    expect(result?.assumptions).toEqual([]);
  });

  it("Le ≥ 160 uses the steeper branch and names delay as dominant", () => {
    // RTT 200, jitter 20 → Le = 200 + 40 + 10 = 250 → R = 94.768 − (250 − 120)/10 = 94.768 − 13 = 81.768
    // MOS = 1 + 0.035·81.768 + 7e-6·81.768·21.768·18.232
    //     = 1 + 2.86188 + 7e-6·(81.768·21.768 = 1779.925824)·18.232 = 1 + 2.86188 + 7e-6·32451.607623
    //     = 1 + 2.86188 + 0.227161 = 4.089041
    const result = mos(200, 20, 0);
    expect(effectiveLatencyMs(200, 20)).toBe(250);
    expect(result?.r).toBeCloseTo(81.768, 6);
    expect(result?.mos).toBeCloseTo(4.089041, 5);
    // delay cost 13 R points, loss 0
    expect(result?.dominant).toBe("delay");
  });

  it("loss enters in percent: 2 % loss costs 5 R points", () => {
    // RTT 50, jitter 5 → Le = 50 + 10 + 10 = 70 → R = 94.768 − 70/40 = 94.768 − 1.75 = 93.018
    // L = 0.02 → 2 % ≤ 93.018/2.5 = 37.2 → R = max(93.018 − 2.5·2, 6.52) = 88.018
    // MOS = 1 + 0.035·88.018 + 7e-6·88.018·28.018·11.982
    //     = 1 + 3.08063 + 7e-6·(88.018·28.018 = 2466.088324)·11.982 = 1 + 3.08063 + 7e-6·29548.670298
    //     = 1 + 3.08063 + 0.206841 = 4.287471
    const result = mos(50, 5, 0.02);
    expect(result?.r).toBeCloseTo(88.018, 6);
    expect(result?.mos).toBeCloseTo(4.287471, 5);
    // 4.287 < 4.3; loss cost 5 R points, delay 1.75
    expect(result?.dominant).toBe("loss");
  });

  it("zero RTT still carries the 10 ms codec allowance", () => {
    // Le = 0 + 0 + 10 = 10 → R = 94.768 − 0.25 = 94.518
    // MOS = 1 + 0.035·94.518 + 7e-6·94.518·34.518·5.482
    //     = 1 + 3.30813 + 7e-6·(94.518·34.518 = 3262.572324)·5.482 = 1 + 3.30813 + 7e-6·17885.421480
    //     = 1 + 3.30813 + 0.125198 = 4.433328
    const result = mos(0, 0, 0);
    expect(result?.r).toBeCloseTo(94.518, 6);
    expect(result?.mos).toBeCloseTo(4.433328, 5);
    expect(result?.dominant).toBe("none");
  });

  it("missing jitter is treated as 0 ms and says so", () => {
    // Le = 100 + 0 + 10 = 110 → R = 94.768 − 2.75 = 92.018
    // MOS = 1 + 3.22063 + 7e-6·(92.018·32.018 = 2946.232324)·7.982 = 1 + 3.22063 + 7e-6·23516.826410
    //     = 1 + 3.22063 + 0.164618 = 4.385248
    const result = mos(100, null, 0);
    expect(result?.r).toBeCloseTo(92.018, 6);
    expect(result?.mos).toBeCloseTo(4.385248, 5);
    expect(result?.assumptions).toEqual(["jitter not measured; treated as 0 ms"]);
    expect(mos(100, 0, 0)?.mos).toBe(result?.mos);
  });

  it("Le ≥ 1000 ms gives R = 0 and MOS 1.0 (no 6.52 floor), even without loss", () => {
    // RTT 980, jitter 5 → Le = 980 + 10 + 10 = 1000 → R = 0
    const result = mos(980, 5, 0);
    expect(result).toMatchObject({ r: 0, mos: 1, dominant: "delay" });
  });

  it("just below Le 1000 the second branch still applies", () => {
    // RTT 979, jitter 5 → Le = 999 → R = 94.768 − 879/10 = 6.868 (> 6.52, so the floor does not lift it)
    // MOS = 1 + 0.035·6.868 + 7e-6·6.868·(−53.132)·93.132 = 1 + 0.24038 − 7e-6·33984.851766 = 1.002486
    const result = mos(979, 5, 0);
    expect(result?.r).toBeCloseTo(6.868, 6);
    expect(result?.mos).toBeCloseTo(1.002486, 5);
  });

  it("loss above R/2.5 percent drops R to 0", () => {
    // RTT 100, jitter 10 → R = 91.518 → R/2.5 = 36.6072; 37 % > 36.6072 → R = 0 → MOS 1.0
    const result = mos(100, 10, 0.37);
    expect(result).toMatchObject({ r: 0, mos: 1, dominant: "loss" });
  });

  it("loss just under R/2.5 percent hits the 6.52 floor", () => {
    // 36 % ≤ 36.6072 → R = max(91.518 − 90, 6.52) = max(1.518, 6.52) = 6.52
    // MOS = 1 + 0.035·6.52 + 7e-6·6.52·(−53.48)·93.48 = 1 + 0.2282 − 7e-6·32595.503808 = 1 + 0.2282 − 0.228169 = 1.000031
    const result = mos(100, 10, 0.36);
    expect(result?.r).toBe(6.52);
    expect(result?.mos).toBeCloseTo(1.000031, 5);
    expect(result?.dominant).toBe("loss");
  });

  it("100 % loss gives MOS 1.0", () => {
    // L = 100 > any R/2.5 (at most 94.768/2.5 = 37.9) → R = 0
    expect(mos(20, 2, 1)).toMatchObject({ r: 0, mos: 1, dominant: "loss" });
  });

  it("no packets, no RTT or no loss figure → null, not a made-up number", () => {
    expect(mos(40, 5, 0, false)).toBeNull();
    expect(mos(null, 5, 0)).toBeNull();
    expect(mos(40, 5, null)).toBeNull();
  });

  it("rejects negative, NaN, infinite inputs and loss above 1", () => {
    expect(() => mos(-1, 5, 0)).toThrow(RangeError);
    expect(() => mos(40, Number.NaN, 0)).toThrow(/jitterMs/);
    expect(() => mos(40, 5, -0.1)).toThrow(RangeError);
    expect(() => mos(Number.POSITIVE_INFINITY, 5, 0)).toThrow(RangeError);
    expect(() => mos(40, 5, 1.5)).toThrow(/at most 1/);
    // invalid input is rejected even when there is nothing to rate
    expect(() => mos(-1, 5, 0, false)).toThrow(RangeError);
  });
});

describe("E-model pieces", () => {
  it("delay branches meet their boundaries as specified", () => {
    // Le = 159.99 → R0 − 3.99975; Le = 160 → R0 − 4 (both branches agree at 160: 160/40 = (160 − 120)/10 = 4)
    expect(rFromEffectiveLatency(160)).toBeCloseTo(R0 - 4, 9);
    expect(rFromEffectiveLatency(159.99)).toBeCloseTo(R0 - 3.99975, 9);
    expect(rFromEffectiveLatency(1000)).toBe(0);
  });

  it("Annex B mapping with clamps", () => {
    expect(rToMos(-5)).toBe(1); // R < 0 → 1.0
    expect(rToMos(0)).toBe(1); // 1 + 0 + 0
    expect(rToMos(120)).toBe(4.5); // R > 100 → 4.5
    expect(rToMos(100)).toBeCloseTo(4.5, 12); // 1 + 3.5 + 0
    // R = 3: the cubic gives 1 + 0.105 + 7e-6·3·(−57)·97 = 1.105 − 0.116109 = 0.988891 → clamped to 1
    expect(rToMos(3)).toBe(1);
    // R = 60: 1 + 2.1 + 0 = 3.1
    expect(rToMos(60)).toBeCloseTo(3.1, 12);
  });
});
