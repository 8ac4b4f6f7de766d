import { epochRng } from "../../training/seeding";
import type { Rng } from "../../util/rng";
import type { FitContext } from "../types";

/**
 * The epoch loop of a deep model: from `ctx.startEpoch` (a resumed run) to `epochs`, each epoch
 * with its own (seed, epoch) generator, reporting the loss and stopping when the trainer says so.
 * The body awaits `interrupted()` between its mini-batches and returns early when it is true;
 * the loop then ends without reporting the unfinished epoch.
 */
export async function runEpochs(
  ctx: FitContext,
  epochs: number,
  body: (epoch: number, rng: Rng, interrupted: () => Promise<boolean>) => number | Promise<number>,
): Promise<void> {
  let stopped = false;
  const interrupted = async () => (stopped ||= ctx.interrupted ? await ctx.interrupted() : false);
  for (let epoch = ctx.startEpoch ?? 1; epoch <= epochs; epoch++) {
    const loss = await body(epoch, epochRng(ctx.seed, epoch), interrupted);
    if (stopped) return;
    const decision = await ctx.onEpoch?.({ epoch, totalEpochs: epochs, loss });
    if (decision?.stop) break;
  }
}
