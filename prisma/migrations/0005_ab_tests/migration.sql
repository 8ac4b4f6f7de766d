-- CreateTable
CREATE TABLE "AbTest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "datasetId" TEXT,
    "config" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'QUEUED',
    "progress" REAL NOT NULL DEFAULT 0,
    "progressText" TEXT,
    "jobId" TEXT,
    "totals" BLOB,
    "analysis" TEXT,
    "ope" TEXT,
    "positionCtr" TEXT,
    "simulation" TEXT,
    "error" TEXT,
    "teamId" TEXT NOT NULL DEFAULT 'default',
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    CONSTRAINT "AbTest_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "AbTest_createdAt_idx" ON "AbTest"("createdAt");

-- CreateIndex
CREATE INDEX "AbTest_datasetId_idx" ON "AbTest"("datasetId");

