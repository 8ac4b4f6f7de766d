-- The runs list filters by split and folds experiment members without reading configs: the
-- split kind and a variant's base run are copied out of the config JSON into columns.

-- AlterTable
ALTER TABLE "Run" ADD COLUMN     "baseRunId" TEXT,
ADD COLUMN     "splitKind" TEXT;

-- AlterTable
ALTER TABLE "Experiment" ADD COLUMN     "splitKind" TEXT;

-- CreateIndex
CREATE INDEX "Run_teamId_createdById_createdAt_idx" ON "Run"("teamId", "createdById", "createdAt");

-- Backfill from the stored configs (JSON objects; anything else is left unset rather than failing the cast).
UPDATE "Run" SET "splitKind" = ("config"::jsonb #>> '{split,kind}'), "baseRunId" = ("config"::jsonb #>> '{rerank,baseRunId}') WHERE left(ltrim("config"), 1) = '{';
UPDATE "Experiment" SET "splitKind" = CASE WHEN "kind" = 'cv' THEN 'k-fold' ELSE ("baseConfig"::jsonb #>> '{split,kind}') END WHERE left(ltrim("baseConfig"), 1) = '{';
