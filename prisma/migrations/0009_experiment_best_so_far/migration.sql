-- An open grid or random search's "best trial so far" (its selection metric on validation), kept
-- on the experiment row as trials finish, so the runs list no longer reads every member's metrics
-- (issue 13: list queries read only what they show). Searches open during the upgrade show it
-- again from their next finished trial.

-- AlterTable
ALTER TABLE "Experiment" ADD COLUMN "bestSoFar" REAL;
