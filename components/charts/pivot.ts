import type { ChartPoint } from "./metric-chart";

export type SeriesRow = { participantId: string; sampledAt: Date };

/**
 * Turns rows (one per participant and time bucket) into chart points with one column per participant. Where
 * nothing was measured for longer than a couple of buckets (Meetscope or the meeting was away) an empty point
 * is put in, so the lines break there instead of drawing a straight line across the gap.
 */
export function pivot<R extends SeriesRow>(rows: readonly R[], field: keyof R & string, bucketMs: number, scale = 1): ChartPoint[] {
  const byTime = new Map<number, ChartPoint>();
  for (const row of rows) {
    const value = row[field];
    if (typeof value !== "number") continue;
    const t = row.sampledAt.getTime();
    const point = byTime.get(t) ?? ({ t } as ChartPoint);
    point[row.participantId] = value * scale;
    byTime.set(t, point);
  }
  const points = [...byTime.values()].sort((a, b) => a.t - b.t);
  return points.flatMap((point, i) => {
    const previous = points[i - 1];
    return previous && point.t - previous.t > 2.5 * bucketMs ? [{ t: previous.t + bucketMs } as ChartPoint, point] : [point];
  });
}
