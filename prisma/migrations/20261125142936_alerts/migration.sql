-- CreateTable
CREATE TABLE "AlertState" (
    "key" TEXT NOT NULL,
    "meetingId" TEXT NOT NULL,
    "room" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "issue" JSONB NOT NULL,
    "firstSeenAt" TIMESTAMP(3) NOT NULL,
    "lastSeenAt" TIMESTAMP(3) NOT NULL,
    "resolvedAt" TIMESTAMP(3),
    "notifiedAt" TIMESTAMP(3),
    "lastError" TEXT,

    CONSTRAINT "AlertState_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "AlertState_resolvedAt_idx" ON "AlertState"("resolvedAt");

-- CreateIndex
CREATE INDEX "AlertState_meetingId_idx" ON "AlertState"("meetingId");
