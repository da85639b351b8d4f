import { describe, expect, it } from "vitest";
import { pivot } from "@/components/charts/pivot";

describe("chart points from per-participant buckets", () => {
  const at = (s: number) => new Date(Date.UTC(2026, 10, 25, 12, 0, s));
  const rows = [
    { participantId: "a", sampledAt: at(0), rttMs: 40 },
    { participantId: "b", sampledAt: at(0), rttMs: 100 },
    { participantId: "a", sampledAt: at(30), rttMs: 50 },
    { participantId: "b", sampledAt: at(30), rttMs: null }, // no RTT in this bucket
    { participantId: "a", sampledAt: at(120), rttMs: 60 }, // after 90 s without anything: a gap
  ];

  it("puts one column per participant at each time, and breaks the lines where nothing was measured", () => {
    expect(pivot(rows, "rttMs", 30_000)).toEqual([
      { t: at(0).getTime(), a: 40, b: 100 },
      { t: at(30).getTime(), a: 50 },
      { t: at(60).getTime() }, // the break
      { t: at(120).getTime(), a: 60 },
    ]);
  });

  it("scales values and leaves a missing bucket or two to the line", () => {
    const points = pivot(rows.slice(0, 3), "rttMs", 60_000, 0.5);
    expect(points).toEqual([{ t: at(0).getTime(), a: 20, b: 50 }, { t: at(30).getTime(), a: 25 }]);
    expect(pivot(rows, "rttMs", 60_000)).toHaveLength(3); // 90 s is 1.5 buckets of 60 s: no break
  });
});
