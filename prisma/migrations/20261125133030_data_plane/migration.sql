-- AlterTable
ALTER TABLE "Bridge" ADD COLUMN     "jicofoSeenAt" TIMESTAMP(3),
ADD COLUMN     "jicofoState" JSONB;

-- AlterTable
ALTER TABLE "Source" ADD COLUMN     "bridgeName" TEXT,
ADD COLUMN     "consecutiveFailures" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "SourceTransition" (
    "id" BIGSERIAL NOT NULL,
    "sourceId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "to" TEXT NOT NULL,
    "reason" TEXT,

    CONSTRAINT "SourceTransition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BridgeSampleMinute" (
    "bridgeId" TEXT NOT NULL,
    "minute" TIMESTAMP(3) NOT NULL,
    "sampleCount" INTEGER NOT NULL,
    "stressLevelAvg" DOUBLE PRECISION NOT NULL,
    "stressLevelMax" DOUBLE PRECISION NOT NULL,
    "endpointsAvg" DOUBLE PRECISION NOT NULL,
    "endpointsMax" INTEGER NOT NULL,
    "conferencesMax" INTEGER NOT NULL,
    "bitrateDownloadKbpsAvg" DOUBLE PRECISION NOT NULL,
    "bitrateUploadKbpsAvg" DOUBLE PRECISION NOT NULL,
    "rttAggregateMsAvg" DOUBLE PRECISION NOT NULL,
    "incomingLossFractionAvg" DOUBLE PRECISION NOT NULL,
    "outgoingLossFractionAvg" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "BridgeSampleMinute_pkey" PRIMARY KEY ("bridgeId","minute")
);

-- CreateIndex
CREATE INDEX "SourceTransition_sourceId_at_idx" ON "SourceTransition"("sourceId", "at");

-- CreateIndex
CREATE INDEX "BridgeSampleMinute_minute_idx" ON "BridgeSampleMinute"("minute");

-- AddForeignKey
ALTER TABLE "SourceTransition" ADD CONSTRAINT "SourceTransition_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "Source"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BridgeSampleMinute" ADD CONSTRAINT "BridgeSampleMinute_bridgeId_fkey" FOREIGN KEY ("bridgeId") REFERENCES "Bridge"("id") ON DELETE CASCADE ON UPDATE CASCADE;
