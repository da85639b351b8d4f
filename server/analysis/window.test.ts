import { describe, expect, it } from "vitest";
import { bridgeSamples, healthySample, NOW, WINDOW_MS } from "./test-fixtures";
import { mean, median, summarizeBridges, summarizeParticipants } from "./window";

const windowStart = new Date(NOW.getTime() - WINDOW_MS);
const at = (msBeforeNow: number) => new Date(NOW.getTime() - msBeforeNow);

describe("participant window", () => {
  it("keeps samples in (now − window, now]: the start belongs to the previous window", () => {
    const [w] = summarizeParticipants(
      [
        healthySample("p1", { sampledAt: at(WINDOW_MS), rttMs: 1_000 }), // exactly at the start: previous window
        healthySample("p1", { sampledAt: at(20_000), rttMs: 40 }),
        healthySample("p1", { sampledAt: at(0), rttMs: 60 }), // exactly now: this window
        healthySample("p1", { sampledAt: at(-1_000), rttMs: 1_000 }), // future: ignored
      ],
      windowStart,
      NOW,
    );
    expect(w?.sampleCount).toBe(2);
    expect(w?.rttMs).toBe(50); // (40 + 60) / 2
  });

  it("ignores impossible values and counts them", () => {
    const [w] = summarizeParticipants(
      [
        healthySample("p1", { sampledAt: at(25_000), rttMs: Number.NaN, lossSendFraction: 1.5 }),
        healthySample("p1", { sampledAt: at(15_000), rttMs: -3, lossSendFraction: 0.01 }),
        healthySample("p1", { sampledAt: at(5_000), rttMs: 30, lossSendFraction: 0.03 }),
      ],
      windowStart,
      NOW,
    );
    expect(w?.rttMs).toBe(30);
    expect(w?.send.lossFraction).toBeCloseTo(0.02, 12); // (0.01 + 0.03) / 2
    expect(w?.ignoredValueCount).toBe(3);
  });

  it("limitation shares, TURN and TCP, identity from the latest sample", () => {
    const [w] = summarizeParticipants(
      [
        healthySample("p1", { sampledAt: at(25_000), qualityLimitationReason: "cpu", bridgeId: "b1", relayed: false }),
        healthySample("p1", { sampledAt: at(15_000), qualityLimitationReason: "bandwidth", transportProtocol: "tcp", relayed: true }),
        healthySample("p1", { sampledAt: at(5_000), qualityLimitationReason: null, bridgeId: "b2", displayName: "Ana" }),
      ],
      windowStart,
      NOW,
    );
    // two samples carried a reason: one "cpu", one "bandwidth"
    expect(w).toMatchObject({
      cpuLimitedShare: 0.5,
      bandwidthLimitedShare: 0.5,
      relayed: true,
      transportProtocol: "tcp",
      bridgeId: "b2",
      displayName: "Ana",
    });
  });

  it("orders participants by id and separates them", () => {
    const ws = summarizeParticipants([healthySample("p2"), healthySample("p1"), healthySample("p2", { sampledAt: at(15_000) })], windowStart, NOW);
    expect(ws.map((w) => [w.participantId, w.sampleCount])).toEqual([
      ["p1", 1],
      ["p2", 2],
    ]);
  });
});

describe("bridge window", () => {
  it("window means and a baseline from the minutes before", () => {
    const samples = bridgeSamples({
      bridgeId: "b1",
      bridgeName: "jvb1",
      stressLevel: 0.9,
      incomingLossFraction: 0.05,
      baseline: { rttAggregateMs: 20, incomingLossFraction: 0.01, outgoingLossFraction: 0.01 },
    });
    const b = summarizeBridges(samples, windowStart, NOW, 300_000).get("b1");
    expect(b).toMatchObject({
      label: "jvb1",
      sampleCount: 3,
      stressLevel: 0.9,
      incomingLossFraction: 0.05,
      baseline: { rttAggregateMs: 20, incomingLossFraction: 0.01, outgoingLossFraction: 0.01 },
    });
  });

  it("no earlier samples → no baseline; a bridge without window samples is absent", () => {
    const bridges = summarizeBridges(bridgeSamples({ bridgeId: "b1", bridgeName: "jvb1", stressLevel: 0.2 }), windowStart, NOW, 300_000);
    expect(bridges.get("b1")?.baseline).toBeNull();
    expect(summarizeBridges([], windowStart, NOW, 300_000).size).toBe(0);
  });
});

describe("mean and median", () => {
  it("the mean of identical values is that value (no float noise to trip a strict limit)", () => {
    expect(mean([0.1, 0.1, 0.1])).toBe(0.1); // the raw sum / 3 is 0.10000000000000002
    expect(mean([])).toBeNull();
  });

  it("odd, even, empty", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});
