-- AlterTable
ALTER TABLE "PerformanceReport" ADD COLUMN     "issueCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "worstParticipantIds" TEXT[],
ALTER COLUMN "overallScore" DROP NOT NULL;
