-- CreateTable
CREATE TABLE "AbTest" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "datasetId" TEXT,
    "config" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'QUEUED',
    "progress" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "progressText" TEXT,
    "jobId" TEXT,
    "totals" BYTEA,
    "analysis" TEXT,
    "ope" TEXT,
    "positionCtr" TEXT,
    "simulation" TEXT,
    "error" TEXT,
    "teamId" TEXT NOT NULL DEFAULT 'default',
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "AbTest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AbTest_createdAt_idx" ON "AbTest"("createdAt");

-- CreateIndex
CREATE INDEX "AbTest_datasetId_idx" ON "AbTest"("datasetId");

-- AddForeignKey
ALTER TABLE "AbTest" ADD CONSTRAINT "AbTest_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

