-- The runs list filters by split and folds experiment members without reading configs: the
-- split kind and a variant's base run are copied out of the config JSON into columns.

-- AlterTable
ALTER TABLE "Run" ADD COLUMN "baseRunId" TEXT;
ALTER TABLE "Run" ADD COLUMN "splitKind" TEXT;

-- AlterTable
ALTER TABLE "Experiment" ADD COLUMN "splitKind" TEXT;

-- CreateIndex
CREATE INDEX "Run_teamId_createdById_createdAt_idx" ON "Run"("teamId", "createdById", "createdAt");

-- Backfill from the stored configs.
UPDATE "Run" SET "splitKind" = json_extract("config", '$.split.kind'), "baseRunId" = json_extract("config", '$.rerank.baseRunId') WHERE json_valid("config");
UPDATE "Experiment" SET "splitKind" = CASE WHEN "kind" = 'cv' THEN 'k-fold' ELSE json_extract("baseConfig", '$.split.kind') END WHERE json_valid("baseConfig");
