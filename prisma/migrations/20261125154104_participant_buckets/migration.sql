-- CreateTable
CREATE TABLE "ParticipantSampleBucket" (
    "participantId" TEXT NOT NULL,
    "meetingId" TEXT NOT NULL,
    "bucketStart" TIMESTAMP(3) NOT NULL,
    "sampleCount" INTEGER NOT NULL,
    "videoSendBitrateKbps" DOUBLE PRECISION,
    "videoRecvBitrateKbps" DOUBLE PRECISION,
    "videoSendHeightPx" DOUBLE PRECISION,
    "videoRecvHeightPx" DOUBLE PRECISION,
    "videoSendFrameRateFps" DOUBLE PRECISION,
    "videoRecvFrameRateFps" DOUBLE PRECISION,
    "audioJitterMs" DOUBLE PRECISION,
    "rttMs" DOUBLE PRECISION,
    "lossSendFraction" DOUBLE PRECISION,
    "lossRecvFraction" DOUBLE PRECISION,

    CONSTRAINT "ParticipantSampleBucket_pkey" PRIMARY KEY ("participantId","bucketStart")
);

-- CreateIndex
CREATE INDEX "ParticipantSampleBucket_meetingId_bucketStart_idx" ON "ParticipantSampleBucket"("meetingId", "bucketStart");

-- AddForeignKey
ALTER TABLE "ParticipantSampleBucket" ADD CONSTRAINT "ParticipantSampleBucket_participantId_fkey" FOREIGN KEY ("participantId") REFERENCES "Participant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Backfill: the samples stored before this migration, rolled up as server/analyzer/chart-buckets.ts does.
INSERT INTO "ParticipantSampleBucket" ("participantId", "meetingId", "bucketStart", "sampleCount", "videoSendBitrateKbps", "videoRecvBitrateKbps",
  "videoSendHeightPx", "videoRecvHeightPx", "videoSendFrameRateFps", "videoRecvFrameRateFps", "audioJitterMs", "rttMs", "lossSendFraction", "lossRecvFraction")
SELECT "participantId", "meetingId", date_bin('30 seconds'::interval, "sampledAt", timestamp '2000-01-01'), count(*), avg("videoSendBitrateKbps"), avg("videoRecvBitrateKbps"),
  avg("videoSendHeightPx"), avg("videoRecvHeightPx"), avg("videoSendFrameRateFps"), avg("videoRecvFrameRateFps"), avg("audioJitterMs"), avg("rttMs"),
  avg("lossSendFraction"), avg("lossRecvFraction")
FROM "ParticipantSample"
GROUP BY 1, 2, 3;
