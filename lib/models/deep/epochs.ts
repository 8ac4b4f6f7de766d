import { epochRng } from "../../training/seeding";
import type { Rng } from "../../util/rng";
import type { FitContext } from "../types";

/**
 * The epoch loop of a deep model: from `ctx.startEpoch` (a resumed run) to `epochs`, each epoch
 * with its own (seed, epoch) generator, reporting the loss and stopping when the trainer says so.
 */
export async function runEpochs(ctx: FitContext, epochs: number, body: (epoch: number, rng: Rng) => number | Promise<number>): Promise<void> {
  for (let epoch = ctx.startEpoch ?? 1; epoch <= epochs; epoch++) {
    const loss = await body(epoch, epochRng(ctx.seed, epoch));
    const decision = await ctx.onEpoch?.({ epoch, totalEpochs: epochs, loss });
    if (decision?.stop) break;
  }
}
