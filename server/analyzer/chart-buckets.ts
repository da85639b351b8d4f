import { z } from "zod";
import type { ParticipantSampleInput } from "../analysis/types";
import type { Db } from "../db/client";
import { Prisma } from "../db/generated/client";
import { utc } from "../db/sql";

/**
 * The meeting charts' data. Averaging an hour of raw samples per request (36,000 rows for 50 people) cost
 * 40–60 ms in PostgreSQL, so the leader rolls samples up into 30-second buckets (ParticipantSampleBucket)
 * once a minute, and a chart reads those plus the last few minutes of raw samples: every sample is on the
 * chart as soon as it is stored, and the roll-ups outlive the raw samples' retention.
 *
 * The roll-up follows the samples' ids, not their timestamps: each run recomputes, from the raw samples, every
 * bucket that a sample stored since the run before last falls into. A sample a client re-sends an hour late,
 * or one from a clock that is off, is rolled up like any other.
 */

export const BUCKET_SECONDS = 30;
/**
 * Charts read raw samples for this long before now, even where buckets are rolled: a sample stored after the
 * last roll-up (at most a minute ago) may belong there, taken up to ~20 s before a client sent it. A late
 * sample older than that shows once the next roll-up has it.
 */
export const RAW_TAIL_MS = 2 * 60_000;
const WATERMARK_KEY = "participant-rollup-watermark";
/**
 * The highest sample ids seen by the last two runs. A run processes the ids after the older one: an id taken
 * by an insert that committed only after the previous run looked is still picked up.
 */
const watermarkSchema = z.object({ afterIds: z.tuple([z.string().regex(/^\d+$/), z.string().regex(/^\d+$/)]) });

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
const countOf = (name: string) => Prisma.raw(`"${name}Count"`);
const list = (parts: Prisma.Sql[]) => Prisma.join(parts, ", ");
/** The start of the `seconds`-wide time bucket a timestamp column falls in (every chart bucket shares one origin). */
export const binOf = (seconds: number, column: Prisma.Sql) => Prisma.sql`date_bin(${`${seconds} seconds`}::interval, ${column}, timestamp '2000-01-01')`;
const bucketInterval = Prisma.sql`${`${BUCKET_SECONDS} seconds`}::interval`;

/**
 * Rolls up the buckets that samples stored since the run before last fall into, from all their raw samples,
 * and moves the watermark. Buckets that start before `notBefore` (the raw retention's cut-off, whose samples
 * may be partly deleted already) are left as they are. Returns the buckets written.
 */
export async function rollUpParticipantSamples(db: Db, notBefore: Date): Promise<number> {
  const [row, max] = await Promise.all([
    db.setting.findUnique({ where: { key: WATERMARK_KEY } }),
    db.$queryRaw<Array<{ id: bigint | null }>>`SELECT max(id) AS id FROM "ParticipantSample"`,
  ]);
  const watermark = row ? watermarkSchema.safeParse(row.value) : null;
  const after = watermark?.success ? BigInt(watermark.data.afterIds[0]) : 0n; // no watermark: everything
  const newest = (max[0]?.id ?? 0n).toString();
  const firstWholeBucket = Prisma.sql`${binOf(BUCKET_SECONDS, utc(notBefore))} + ${bucketInterval}`;
  const written = await db.$executeRaw`
    WITH touched AS (
      SELECT DISTINCT "participantId", ${binOf(BUCKET_SECONDS, quoted("sampledAt"))} AS b
      FROM "ParticipantSample" WHERE id > ${after} AND "sampledAt" >= ${firstWholeBucket}
    )
    INSERT INTO "ParticipantSampleBucket" ("participantId", "meetingId", "bucketStart", "sampleCount",
      ${list(CHART_COLUMNS.flatMap((c) => [quoted(c), countOf(c)]))})
    SELECT s."participantId", s."meetingId", t.b, count(*), ${list(CHART_COLUMNS.flatMap((c) => [Prisma.sql`avg(s.${quoted(c)})`, Prisma.sql`count(s.${quoted(c)})`]))}
    FROM touched t JOIN "ParticipantSample" s ON s."participantId" = t."participantId" AND s."sampledAt" >= t.b AND s."sampledAt" < t.b + ${bucketInterval}
    GROUP BY 1, 2, 3
    ON CONFLICT ("participantId", "bucketStart") DO UPDATE SET "sampleCount" = EXCLUDED."sampleCount",
      ${list(CHART_COLUMNS.flatMap((c) => [Prisma.sql`${quoted(c)} = EXCLUDED.${quoted(c)}`, Prisma.sql`${countOf(c)} = EXCLUDED.${countOf(c)}`]))}`;
  const previous = watermark?.success ? watermark.data.afterIds[1] : newest;
  const value = { afterIds: [previous, newest] };
  await db.setting.upsert({ where: { key: WATERMARK_KEY }, create: { key: WATERMARK_KEY, value, updatedBy: "meetscope" }, update: { value, updatedBy: "meetscope" } });
  return written;
}

/**
 * Each participant's means per `bucketSeconds` (a multiple of 30) from `since` on: the rolled-up buckets, then
 * the raw samples from the last rolled bucket or RAW_TAIL_MS before now, whichever is earlier. A wider bucket
 * is, per column, the mean of its 30-second means weighted by how many samples had that column.
 */
export async function loadChartBuckets(db: Db, meetingId: string, since: Date, bucketSeconds: number, now = new Date()): Promise<ChartBucket[]> {
  if (bucketSeconds % BUCKET_SECONDS !== 0) throw new Error(`bucketSeconds must be a multiple of ${BUCKET_SECONDS}, got ${bucketSeconds}`);
  const from = binOf(bucketSeconds, utc(since));
  const tailStart = binOf(BUCKET_SECONDS, utc(new Date(now.getTime() - RAW_TAIL_MS)));
  const rolledAndRaw = Prisma.sql`
    WITH boundary AS (
      SELECT greatest(${from}, least(coalesce(max("bucketStart") + ${bucketInterval}, ${from}), ${tailStart})) AS t
      FROM "ParticipantSampleBucket" WHERE "meetingId" = ${meetingId} AND "bucketStart" >= ${from}
    )
    SELECT "participantId", "bucketStart", ${list(CHART_COLUMNS.flatMap((c) => [quoted(c), Prisma.sql`${countOf(c)} AS n_${Prisma.raw(c)}`]))}
    FROM "ParticipantSampleBucket" WHERE "meetingId" = ${meetingId} AND "bucketStart" >= ${from} AND "bucketStart" < (SELECT t FROM boundary)
    UNION ALL
    SELECT "participantId", ${binOf(BUCKET_SECONDS, quoted("sampledAt"))}, ${list(CHART_COLUMNS.flatMap((c) => [Prisma.sql`avg(${quoted(c)})`, Prisma.sql`count(${quoted(c)})`]))}
    FROM "ParticipantSample" WHERE "meetingId" = ${meetingId} AND "sampledAt" >= (SELECT t FROM boundary)
    GROUP BY 1, 2`;
  // 30-second buckets are the roll-ups themselves (rolled and raw never share one); wider ones are regrouped
  if (bucketSeconds === BUCKET_SECONDS) {
    return db.$queryRaw<ChartBucket[]>`
      SELECT "participantId", "bucketStart" AS "sampledAt", ${list(CHART_COLUMNS.map((c) => Prisma.sql`${quoted(c)}::float8`))}
      FROM (${rolledAndRaw}) buckets ORDER BY 2`;
  }
  const weightedMeans = list(CHART_COLUMNS.map((c) => Prisma.sql`(sum(${quoted(c)} * n_${Prisma.raw(c)}) / nullif(sum(n_${Prisma.raw(c)}), 0))::float8 AS ${quoted(c)}`));
  return db.$queryRaw<ChartBucket[]>`
    SELECT "participantId", ${binOf(bucketSeconds, quoted("bucketStart"))} AS "sampledAt", ${weightedMeans}
    FROM (${rolledAndRaw}) buckets
    GROUP BY 1, 2 ORDER BY 2`;
}
