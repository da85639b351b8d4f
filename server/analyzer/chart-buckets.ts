import type { ParticipantSampleInput } from "../analysis/types";
import type { Db } from "../db/client";
import { Prisma } from "../db/generated/client";
import { utc } from "../db/sql";

/**
 * The meeting charts' data. Averaging an hour of raw samples per request (36,000 rows for 50 people) cost
 * 40–60 ms in PostgreSQL, so the leader rolls samples up into 30-second buckets (ParticipantSampleBucket)
 * once a minute, and a chart reads those plus the raw samples newer than the last rolled bucket: every sample
 * is on the chart as soon as it is stored, and the roll-ups outlive the raw samples' retention.
 */

export const BUCKET_SECONDS = 30;
/** Samples may arrive late (an agent's retried batch); buckets this far back are re-rolled from raw samples. */
export const ROLLUP_LOOKBACK_MS = 5 * 60_000;
/**
 * For its first 10 minutes a new leader re-rolls the last hour: clients buffer samples through an outage and
 * re-send them when the server is back. (A sample that arrives later than that is stored but not charted.)
 */
export const ROLLUP_CATCH_UP = { forMs: 10 * 60_000, lookbackMs: 60 * 60_000 };

/** The charted columns of ParticipantSample, averaged per bucket. */
const CHART_COLUMNS = [
  "videoSendBitrateKbps",
  "videoRecvBitrateKbps",
  "videoSendHeightPx",
  "videoRecvHeightPx",
  "videoSendFrameRateFps",
  "videoRecvFrameRateFps",
  "audioJitterMs",
  "rttMs",
  "lossSendFraction",
  "lossRecvFraction",
] as const satisfies ReadonlyArray<keyof ParticipantSampleInput>;

/** One time bucket of one participant: the bucket's means of the charted columns. */
export type ChartBucket = Pick<ParticipantSampleInput, "participantId" | "sampledAt" | (typeof CHART_COLUMNS)[number]>;

const quoted = (name: string) => Prisma.raw(`"${name}"`);
const list = (parts: Prisma.Sql[]) => Prisma.join(parts, ", ");
const binOf = (seconds: number, column: Prisma.Sql) => Prisma.sql`date_bin(${`${seconds} seconds`}::interval, ${column}, timestamp '2000-01-01')`;

/** Rolls the finished buckets of the last ROLLUP_LOOKBACK_MS (or `lookbackMs`) up; idempotent. Returns rows written. */
export async function rollUpParticipantSamples(db: Db, now: Date, lookbackMs = ROLLUP_LOOKBACK_MS): Promise<number> {
  const currentBucket = binOf(BUCKET_SECONDS, utc(now));
  return db.$executeRaw`
    INSERT INTO "ParticipantSampleBucket" ("participantId", "meetingId", "bucketStart", "sampleCount", ${list(CHART_COLUMNS.map(quoted))})
    SELECT "participantId", "meetingId", ${binOf(BUCKET_SECONDS, quoted("sampledAt"))}, count(*), ${list(CHART_COLUMNS.map((c) => Prisma.sql`avg(${quoted(c)})`))}
    FROM "ParticipantSample"
    WHERE "sampledAt" >= ${currentBucket} - ${`${lookbackMs} milliseconds`}::interval AND "sampledAt" < ${currentBucket}
    GROUP BY 1, 2, 3
    ON CONFLICT ("participantId", "bucketStart") DO UPDATE SET "sampleCount" = EXCLUDED."sampleCount",
      ${list(CHART_COLUMNS.map((c) => Prisma.sql`${quoted(c)} = EXCLUDED.${quoted(c)}`))}`;
}

/**
 * Each participant's means per `bucketSeconds` (a multiple of 30) from `since` on: the rolled-up buckets,
 * then the raw samples after the meeting's last rolled bucket. A wider bucket is the sample-weighted mean
 * of its 30-second ones.
 */
export async function loadChartBuckets(db: Db, meetingId: string, since: Date, bucketSeconds: number): Promise<ChartBucket[]> {
  if (bucketSeconds % BUCKET_SECONDS !== 0) throw new Error(`bucketSeconds must be a multiple of ${BUCKET_SECONDS}, got ${bucketSeconds}`);
  const from = binOf(bucketSeconds, utc(since));
  const rawMeans = list(CHART_COLUMNS.map((c) => Prisma.sql`avg(${quoted(c)}) AS ${quoted(c)}`));
  const weightedMeans = list(
    CHART_COLUMNS.map((c) => Prisma.sql`(sum(${quoted(c)} * n) / nullif(sum(n) FILTER (WHERE ${quoted(c)} IS NOT NULL), 0))::float8 AS ${quoted(c)}`),
  );
  const rolledAndRaw = Prisma.sql`
    WITH rolled AS (
      SELECT "participantId", "bucketStart", "sampleCount" AS n, ${list(CHART_COLUMNS.map(quoted))}
      FROM "ParticipantSampleBucket" WHERE "meetingId" = ${meetingId} AND "bucketStart" >= ${from}
    ), raw AS (
      SELECT "participantId", ${binOf(BUCKET_SECONDS, quoted("sampledAt"))} AS "bucketStart", count(*) AS n, ${rawMeans}
      FROM "ParticipantSample"
      WHERE "meetingId" = ${meetingId} AND "sampledAt" >= (SELECT coalesce(max("bucketStart") + ${`${BUCKET_SECONDS} seconds`}::interval, ${from}) FROM rolled)
      GROUP BY 1, 2
    )
    SELECT * FROM rolled UNION ALL SELECT * FROM raw`;
  // 30-second buckets are the roll-ups themselves (rolled and raw never share one); wider ones are regrouped
  if (bucketSeconds === BUCKET_SECONDS) {
    return db.$queryRaw<ChartBucket[]>`
      SELECT "participantId", "bucketStart" AS "sampledAt", ${list(CHART_COLUMNS.map((c) => Prisma.sql`${quoted(c)}::float8`))}
      FROM (${rolledAndRaw}) buckets ORDER BY 2`;
  }
  return db.$queryRaw<ChartBucket[]>`
    SELECT "participantId", ${binOf(bucketSeconds, quoted("bucketStart"))} AS "sampledAt", ${weightedMeans}
    FROM (${rolledAndRaw}) buckets
    GROUP BY 1, 2 ORDER BY 2`;
}
