-- CreateTable
CREATE TABLE "Experiment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "datasetId" TEXT NOT NULL,
    "modelId" TEXT NOT NULL,
    "baseConfig" TEXT NOT NULL,
    "spec" TEXT NOT NULL,
    "selectionMetric" TEXT NOT NULL,
    "totalRuns" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'QUEUED',
    "bestRunId" TEXT,
    "finalizeJobId" TEXT,
    "summary" TEXT,
    "error" TEXT,
    "teamId" TEXT NOT NULL DEFAULT 'default',
    "createdById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    CONSTRAINT "Experiment_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Run" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "datasetId" TEXT NOT NULL,
    "modelId" TEXT NOT NULL,
    "config" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'QUEUED',
    "progress" REAL NOT NULL DEFAULT 0,
    "progressText" TEXT,
    "backend" TEXT,
    "metrics" TEXT,
    "error" TEXT,
    "jobId" TEXT,
    "teamId" TEXT NOT NULL DEFAULT 'default',
    "createdById" TEXT,
    "experimentId" TEXT,
    "role" TEXT,
    "trialIndex" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    CONSTRAINT "Run_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Run_experimentId_fkey" FOREIGN KEY ("experimentId") REFERENCES "Experiment" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Run" ("backend", "config", "createdAt", "createdById", "datasetId", "error", "finishedAt", "id", "jobId", "metrics", "modelId", "name", "progress", "progressText", "startedAt", "status", "teamId") SELECT "backend", "config", "createdAt", "createdById", "datasetId", "error", "finishedAt", "id", "jobId", "metrics", "modelId", "name", "progress", "progressText", "startedAt", "status", "teamId" FROM "Run";
DROP TABLE "Run";
ALTER TABLE "new_Run" RENAME TO "Run";
CREATE INDEX "Run_datasetId_idx" ON "Run"("datasetId");
CREATE INDEX "Run_createdAt_idx" ON "Run"("createdAt");
CREATE INDEX "Run_experimentId_idx" ON "Run"("experimentId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Experiment_createdAt_idx" ON "Experiment"("createdAt");

