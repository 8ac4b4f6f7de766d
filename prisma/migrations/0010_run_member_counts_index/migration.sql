-- An experiment's member counts by status leave out its final run (role): with the role in the
-- index the runs list's grouped count reads the index alone instead of every member row.

-- DropIndex
DROP INDEX "Run_experimentId_status_idx";

-- CreateIndex
CREATE INDEX "Run_experimentId_status_role_idx" ON "Run"("experimentId", "status", "role");
