-- Indexes for the dashboard's hot queries under load (issue 13): the runs list's top level
-- (team, no experiment, newest first) and an experiment's members (by trial), member counts by
-- status, the experiments / datasets / A/B lists by team, the queue's claim order, and the
-- /metrics scrape (jobs finished since the last scrape, workers seen in the last hour).

-- CreateIndex
CREATE INDEX "Dataset_teamId_createdAt_idx" ON "Dataset"("teamId", "createdAt");

-- CreateIndex
CREATE INDEX "Run_teamId_experimentId_createdAt_idx" ON "Run"("teamId", "experimentId", "createdAt");

-- CreateIndex
CREATE INDEX "Run_experimentId_status_idx" ON "Run"("experimentId", "status");

-- CreateIndex
CREATE INDEX "Run_experimentId_trialIndex_createdAt_idx" ON "Run"("experimentId", "trialIndex", "createdAt");

-- CreateIndex
CREATE INDEX "Experiment_teamId_createdById_createdAt_idx" ON "Experiment"("teamId", "createdById", "createdAt");

-- CreateIndex
CREATE INDEX "AbTest_teamId_createdAt_idx" ON "AbTest"("teamId", "createdAt");

-- CreateIndex
CREATE INDEX "Job_status_priority_createdAt_idx" ON "Job"("status", "priority", "createdAt");

-- CreateIndex
CREATE INDEX "Job_finishedAt_idx" ON "Job"("finishedAt");

-- CreateIndex
CREATE INDEX "Job_updatedAt_idx" ON "Job"("updatedAt");
