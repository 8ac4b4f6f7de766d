import { getDb } from "../../lib/db/client";
import { generateSyntheticJob } from "../../lib/queue/jobs";
import { createSyntheticDataset } from "../../lib/storage/create-synthetic-dataset";
import { formatCount as count, formatEta } from "../../lib/util/format";
import { JobCancelledError, type JobContext, type JobHandler } from "../worker";

/**
 * Generates and stores a synthetic dataset for the job's owner. Generation (90% of the bar)
 * reports users done and an ETA, and stops at the next slice once the job is cancelled;
 * statistics and saving take the rest. The result is `{ datasetId }`.
 */
export const generateSyntheticHandler: JobHandler = {
  async handle(payload: unknown, ctx: JobContext) {
    const { name, options, owner } = generateSyntheticJob.schema.parse(payload);
    const started = performance.now();
    await ctx.reportProgress(0, "generating");
    const created = await createSyntheticDataset(getDb(), { name, options }, owner, async ({ usersDone, numUsers }) => {
      if (ctx.isCancelled()) throw new JobCancelledError();
      const fraction = usersDone / numUsers;
      if (fraction >= 1) return ctx.reportProgress(0.9, `users ${count(numUsers)} / ${count(numUsers)} · saving the dataset`);
      const elapsed = (performance.now() - started) / 1000;
      const eta = fraction > 0 ? (elapsed / fraction) * (1 - fraction) : NaN;
      await ctx.reportProgress(0.9 * fraction, `users ${count(usersDone)} / ${count(numUsers)} · ETA ${formatEta(eta)}`);
    });
    return { datasetId: created.id };
  },
};
