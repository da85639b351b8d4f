-- AlterTable
ALTER TABLE "PerformanceReport" ADD COLUMN     "mos" JSONB;
