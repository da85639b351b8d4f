-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "SourceKind" AS ENUM ('JVB', 'JICOFO');

-- CreateEnum
CREATE TYPE "BridgeStatus" AS ENUM ('UP', 'DOWN', 'DRAINING', 'SHUTTING_DOWN', 'UNKNOWN');

-- CreateEnum
CREATE TYPE "ParticipantEventKind" AS ENUM ('JOIN', 'LEAVE', 'RECONNECT', 'ICE_FAILURE');

-- CreateEnum
CREATE TYPE "ActionKind" AS ENUM ('REBALANCE', 'QUALITY_OVERRIDE', 'CACHE_OPTIMIZE', 'DRAIN', 'SCALE');

-- CreateEnum
CREATE TYPE "ActionStatus" AS ENUM ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "ScalingDirection" AS ENUM ('UP', 'DOWN', 'NONE');

-- CreateEnum
CREATE TYPE "TokenScope" AS ENUM ('INGEST', 'READ');

-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "email" TEXT,
    "name" TEXT,
    "roles" TEXT[],
    "firstSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RoomAssignment" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "room" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdBy" TEXT NOT NULL,

    CONSTRAINT "RoomAssignment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Source" (
    "id" TEXT NOT NULL,
    "kind" "SourceKind" NOT NULL,
    "url" TEXT NOT NULL,
    "origin" TEXT NOT NULL DEFAULT 'settings',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "lastSuccessAt" TIMESTAMP(3),
    "lastErrorAt" TIMESTAMP(3),
    "lastError" TEXT,
    "downSince" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdBy" TEXT,

    CONSTRAINT "Source_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Bridge" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "sourceId" TEXT,
    "region" TEXT,
    "version" TEXT,
    "status" "BridgeStatus" NOT NULL DEFAULT 'UNKNOWN',
    "statusReason" TEXT,
    "statusSince" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSampleAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Bridge_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BridgeSample" (
    "id" BIGSERIAL NOT NULL,
    "bridgeId" TEXT NOT NULL,
    "sampledAt" TIMESTAMP(3) NOT NULL,
    "stressLevel" DOUBLE PRECISION NOT NULL,
    "conferences" INTEGER NOT NULL,
    "endpoints" INTEGER NOT NULL,
    "bitrateDownloadKbps" INTEGER NOT NULL,
    "bitrateUploadKbps" INTEGER NOT NULL,
    "packetRateDownloadPps" INTEGER NOT NULL,
    "packetRateUploadPps" INTEGER NOT NULL,
    "rttAggregateMs" DOUBLE PRECISION NOT NULL,
    "incomingLossFraction" DOUBLE PRECISION NOT NULL,
    "outgoingLossFraction" DOUBLE PRECISION NOT NULL,
    "healthy" BOOLEAN NOT NULL,
    "drain" BOOLEAN NOT NULL,
    "gracefulShutdown" BOOLEAN NOT NULL,
    "shuttingDown" BOOLEAN NOT NULL,

    CONSTRAINT "BridgeSample_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Meeting" (
    "id" TEXT NOT NULL,
    "room" TEXT NOT NULL,
    "jitsiMeetingId" TEXT,
    "bridgeId" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "endedAt" TIMESTAMP(3),
    "lastSeenAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Meeting_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Participant" (
    "id" TEXT NOT NULL,
    "meetingId" TEXT NOT NULL,
    "endpointId" TEXT NOT NULL,
    "displayName" TEXT,
    "joinedAt" TIMESTAMP(3) NOT NULL,
    "leftAt" TIMESTAMP(3),
    "lastSeenAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Participant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ParticipantSample" (
    "id" BIGSERIAL NOT NULL,
    "participantId" TEXT NOT NULL,
    "meetingId" TEXT NOT NULL,
    "sampledAt" TIMESTAMP(3) NOT NULL,
    "videoSendBitrateKbps" INTEGER,
    "videoRecvBitrateKbps" INTEGER,
    "videoSendHeightPx" INTEGER,
    "videoRecvHeightPx" INTEGER,
    "videoSendFrameRateFps" DOUBLE PRECISION,
    "videoRecvFrameRateFps" DOUBLE PRECISION,
    "videoCodec" TEXT,
    "audioSendBitrateKbps" INTEGER,
    "audioRecvBitrateKbps" INTEGER,
    "audioJitterMs" DOUBLE PRECISION,
    "audioConcealedFraction" DOUBLE PRECISION,
    "rttMs" DOUBLE PRECISION,
    "lossSendFraction" DOUBLE PRECISION,
    "lossRecvFraction" DOUBLE PRECISION,
    "availableSendBandwidthKbps" INTEGER,
    "availableRecvBandwidthKbps" INTEGER,
    "transportProtocol" TEXT,
    "relayed" BOOLEAN,
    "qualityLimitationReason" TEXT,
    "memoryUsedMb" INTEGER,
    "connectionQuality" DOUBLE PRECISION,

    CONSTRAINT "ParticipantSample_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ParticipantEvent" (
    "id" BIGSERIAL NOT NULL,
    "participantId" TEXT NOT NULL,
    "meetingId" TEXT NOT NULL,
    "kind" "ParticipantEventKind" NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "detail" JSONB,

    CONSTRAINT "ParticipantEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PerformanceReport" (
    "id" TEXT NOT NULL,
    "meetingId" TEXT NOT NULL,
    "generatedAt" TIMESTAMP(3) NOT NULL,
    "windowStart" TIMESTAMP(3) NOT NULL,
    "windowEnd" TIMESTAMP(3) NOT NULL,
    "overallScore" DOUBLE PRECISION NOT NULL,
    "participants" JSONB NOT NULL,
    "issues" JSONB NOT NULL,

    CONSTRAINT "PerformanceReport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Action" (
    "id" TEXT NOT NULL,
    "kind" "ActionKind" NOT NULL,
    "params" JSONB NOT NULL,
    "plan" JSONB,
    "status" "ActionStatus" NOT NULL DEFAULT 'PENDING',
    "requestedBy" TEXT NOT NULL,
    "requestedByName" TEXT,
    "idempotencyKey" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "leaseExpiresAt" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "result" JSONB,
    "error" TEXT,

    CONSTRAINT "Action_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "QualityOverride" (
    "id" TEXT NOT NULL,
    "room" TEXT NOT NULL,
    "maxVideoHeightPx" INTEGER NOT NULL,
    "audioOnly" BOOLEAN NOT NULL DEFAULT false,
    "reason" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),
    "actionId" TEXT,

    CONSTRAINT "QualityOverride_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ScalingEvent" (
    "id" TEXT NOT NULL,
    "decidedAt" TIMESTAMP(3) NOT NULL,
    "direction" "ScalingDirection" NOT NULL,
    "reason" TEXT NOT NULL,
    "oldDesiredCount" INTEGER NOT NULL,
    "newDesiredCount" INTEGER NOT NULL,
    "metrics" JSONB NOT NULL,
    "actionId" TEXT,

    CONSTRAINT "ScalingEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiToken" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "scope" "TokenScope" NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdBy" TEXT NOT NULL,
    "lastUsedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "ApiToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IngestBatch" (
    "id" TEXT NOT NULL,
    "tokenId" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sampleCount" INTEGER NOT NULL,
    "eventCount" INTEGER NOT NULL,

    CONSTRAINT "IngestBatch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Setting" (
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "updatedBy" TEXT NOT NULL,

    CONSTRAINT "Setting_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_subject_key" ON "User"("subject");

-- CreateIndex
CREATE INDEX "User_email_idx" ON "User"("email");

-- CreateIndex
CREATE INDEX "RoomAssignment_room_idx" ON "RoomAssignment"("room");

-- CreateIndex
CREATE UNIQUE INDEX "RoomAssignment_email_room_key" ON "RoomAssignment"("email", "room");

-- CreateIndex
CREATE UNIQUE INDEX "Source_url_key" ON "Source"("url");

-- CreateIndex
CREATE UNIQUE INDEX "Bridge_name_key" ON "Bridge"("name");

-- CreateIndex
CREATE INDEX "BridgeSample_bridgeId_sampledAt_idx" ON "BridgeSample"("bridgeId", "sampledAt");

-- CreateIndex
CREATE INDEX "BridgeSample_sampledAt_idx" ON "BridgeSample"("sampledAt");

-- CreateIndex
CREATE UNIQUE INDEX "Meeting_jitsiMeetingId_key" ON "Meeting"("jitsiMeetingId");

-- CreateIndex
CREATE INDEX "Meeting_room_startedAt_idx" ON "Meeting"("room", "startedAt");

-- CreateIndex
CREATE INDEX "Meeting_endedAt_idx" ON "Meeting"("endedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Participant_meetingId_endpointId_key" ON "Participant"("meetingId", "endpointId");

-- CreateIndex
CREATE INDEX "ParticipantSample_meetingId_sampledAt_idx" ON "ParticipantSample"("meetingId", "sampledAt");

-- CreateIndex
CREATE INDEX "ParticipantSample_participantId_sampledAt_idx" ON "ParticipantSample"("participantId", "sampledAt");

-- CreateIndex
CREATE INDEX "ParticipantEvent_meetingId_occurredAt_idx" ON "ParticipantEvent"("meetingId", "occurredAt");

-- CreateIndex
CREATE INDEX "PerformanceReport_meetingId_generatedAt_idx" ON "PerformanceReport"("meetingId", "generatedAt");

-- CreateIndex
CREATE INDEX "PerformanceReport_generatedAt_idx" ON "PerformanceReport"("generatedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Action_idempotencyKey_key" ON "Action"("idempotencyKey");

-- CreateIndex
CREATE INDEX "Action_status_createdAt_idx" ON "Action"("status", "createdAt");

-- CreateIndex
CREATE INDEX "Action_createdAt_idx" ON "Action"("createdAt");

-- CreateIndex
CREATE INDEX "QualityOverride_room_idx" ON "QualityOverride"("room");

-- CreateIndex
CREATE INDEX "ScalingEvent_decidedAt_idx" ON "ScalingEvent"("decidedAt");

-- CreateIndex
CREATE UNIQUE INDEX "ApiToken_tokenHash_key" ON "ApiToken"("tokenHash");

-- CreateIndex
CREATE INDEX "IngestBatch_receivedAt_idx" ON "IngestBatch"("receivedAt");

-- AddForeignKey
ALTER TABLE "Bridge" ADD CONSTRAINT "Bridge_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "Source"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BridgeSample" ADD CONSTRAINT "BridgeSample_bridgeId_fkey" FOREIGN KEY ("bridgeId") REFERENCES "Bridge"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Meeting" ADD CONSTRAINT "Meeting_bridgeId_fkey" FOREIGN KEY ("bridgeId") REFERENCES "Bridge"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Participant" ADD CONSTRAINT "Participant_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ParticipantSample" ADD CONSTRAINT "ParticipantSample_participantId_fkey" FOREIGN KEY ("participantId") REFERENCES "Participant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ParticipantEvent" ADD CONSTRAINT "ParticipantEvent_participantId_fkey" FOREIGN KEY ("participantId") REFERENCES "Participant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PerformanceReport" ADD CONSTRAINT "PerformanceReport_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "QualityOverride" ADD CONSTRAINT "QualityOverride_actionId_fkey" FOREIGN KEY ("actionId") REFERENCES "Action"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScalingEvent" ADD CONSTRAINT "ScalingEvent_actionId_fkey" FOREIGN KEY ("actionId") REFERENCES "Action"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IngestBatch" ADD CONSTRAINT "IngestBatch_tokenId_fkey" FOREIGN KEY ("tokenId") REFERENCES "ApiToken"("id") ON DELETE CASCADE ON UPDATE CASCADE;
