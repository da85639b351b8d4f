-- CreateTable
CREATE TABLE "ParticipantSampleBucket" (
    "participantId" TEXT NOT NULL,
    "meetingId" TEXT NOT NULL,
    "bucketStart" TIMESTAMP(3) NOT NULL,
    "sampleCount" INTEGER NOT NULL,
    "videoSendBitrateKbps" DOUBLE PRECISION,
    "videoSendBitrateKbpsCount" INTEGER NOT NULL,
    "videoRecvBitrateKbps" DOUBLE PRECISION,
    "videoRecvBitrateKbpsCount" INTEGER NOT NULL,
    "videoSendHeightPx" DOUBLE PRECISION,
    "videoSendHeightPxCount" INTEGER NOT NULL,
    "videoRecvHeightPx" DOUBLE PRECISION,
    "videoRecvHeightPxCount" INTEGER NOT NULL,
    "videoSendFrameRateFps" DOUBLE PRECISION,
    "videoSendFrameRateFpsCount" INTEGER NOT NULL,
    "videoRecvFrameRateFps" DOUBLE PRECISION,
    "videoRecvFrameRateFpsCount" INTEGER NOT NULL,
    "audioJitterMs" DOUBLE PRECISION,
    "audioJitterMsCount" INTEGER NOT NULL,
    "rttMs" DOUBLE PRECISION,
    "rttMsCount" INTEGER NOT NULL,
    "lossSendFraction" DOUBLE PRECISION,
    "lossSendFractionCount" INTEGER NOT NULL,
    "lossRecvFraction" DOUBLE PRECISION,
    "lossRecvFractionCount" INTEGER NOT NULL,

    CONSTRAINT "ParticipantSampleBucket_pkey" PRIMARY KEY ("participantId","bucketStart")
);

-- CreateIndex
CREATE INDEX "ParticipantSampleBucket_meetingId_bucketStart_idx" ON "ParticipantSampleBucket"("meetingId", "bucketStart");

-- AddForeignKey
ALTER TABLE "ParticipantSampleBucket" ADD CONSTRAINT "ParticipantSampleBucket_participantId_fkey" FOREIGN KEY ("participantId") REFERENCES "Participant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Backfill: the samples stored before this migration, rolled up as server/analyzer/chart-buckets.ts does,
-- and the roll-up's watermark set past them.
INSERT INTO "ParticipantSampleBucket" ("participantId", "meetingId", "bucketStart", "sampleCount",
  "videoSendBitrateKbps", "videoSendBitrateKbpsCount", "videoRecvBitrateKbps", "videoRecvBitrateKbpsCount",
  "videoSendHeightPx", "videoSendHeightPxCount", "videoRecvHeightPx", "videoRecvHeightPxCount",
  "videoSendFrameRateFps", "videoSendFrameRateFpsCount", "videoRecvFrameRateFps", "videoRecvFrameRateFpsCount",
  "audioJitterMs", "audioJitterMsCount", "rttMs", "rttMsCount",
  "lossSendFraction", "lossSendFractionCount", "lossRecvFraction", "lossRecvFractionCount")
SELECT "participantId", "meetingId", date_bin('30 seconds'::interval, "sampledAt", timestamp '2000-01-01'), count(*),
  avg("videoSendBitrateKbps"), count("videoSendBitrateKbps"), avg("videoRecvBitrateKbps"), count("videoRecvBitrateKbps"),
  avg("videoSendHeightPx"), count("videoSendHeightPx"), avg("videoRecvHeightPx"), count("videoRecvHeightPx"),
  avg("videoSendFrameRateFps"), count("videoSendFrameRateFps"), avg("videoRecvFrameRateFps"), count("videoRecvFrameRateFps"),
  avg("audioJitterMs"), count("audioJitterMs"), avg("rttMs"), count("rttMs"),
  avg("lossSendFraction"), count("lossSendFraction"), avg("lossRecvFraction"), count("lossRecvFraction")
FROM "ParticipantSample"
GROUP BY 1, 2, 3;

INSERT INTO "Setting" ("key", "value", "updatedAt", "updatedBy")
SELECT 'participant-rollup-watermark', jsonb_build_object('afterIds', jsonb_build_array(coalesce(max(id), 0)::text, coalesce(max(id), 0)::text)), now() AT TIME ZONE 'UTC', 'migration'
FROM "ParticipantSample";
