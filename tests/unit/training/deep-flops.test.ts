import { describe, expect, it } from "vitest";
import { autoencoderFlops, deepFlops, efficiency, multVaeFlops, neumfFlops } from "@/lib/training/deep-flops";
import { neumfParamsSchema } from "@/lib/models/neumf";

describe("deep models' dense FLOPs", () => {
  it("counts an autoencoder epoch as encoder forward + dW and decoder forward + dX + dW, per user", () => {
    // 10 users, 100 items, 20 hidden: encoder 2·100·20 × 2, decoder 2·20·100 × 3 per user.
    const f = autoencoderFlops({ hidden: 20 }, { numUsers: 10, numItems: 100, numInteractions: 500 });
    expect(f.trainPerEpoch).toBe(10 * (8000 + 12000));
    expect(f.evaluation).toBe(10 * 2 * 2 * 100 * 20);
  });

  it("counts a Mult-VAE epoch with and without a hidden layer, per user", () => {
    const size = { numUsers: 10, numItems: 100, numInteractions: 500 };
    // No hidden layer, latent 10: encoder 100 → 20 (μ, log σ²) forward + dW = 2·2·100·20 = 8,000;
    // decoder 10 → 100 forward + dX + dW = 3·2·10·100 = 6,000. Evaluation: 4,000 + 2,000.
    const flat = multVaeFlops({ latent: 10, hidden: 0 }, size);
    expect(flat.trainPerEpoch).toBe(10 * 14_000);
    expect(flat.evaluation).toBe(10 * 6_000);
    // Hidden 30: forward 2·(100·30 + 30·20 + 10·30 + 30·100) = 13,800; training 3× that less the
    // first layer's dX (2·100·30 = 6,000, its input is data) = 35,400.
    const deep = multVaeFlops({ latent: 10, hidden: 30 }, size);
    expect(deep.trainPerEpoch).toBe(10 * 35_400);
    expect(deep.evaluation).toBe(10 * 13_800);
  });

  it("counts NeuMF's layers after the first per pair and the first on the tables per step", () => {
    // 1,000 interactions → 800 training pairs × (1 + 1 negative) = 1,600 pairs, batch 800 → 2 steps.
    // factors 4, 2 layers → widths [8, 4], embeddings 4 wide; per pair 2·8·4 + 2·4·2 = 80 FLOPs.
    const size = { numUsers: 3, numItems: 5, numInteractions: 1000 };
    const f = neumfFlops({ factors: 4, mlpLayers: 2, negatives: 1, batchSize: 800 }, size);
    const projection = 2 * (3 + 5) * 4 * 8;
    expect(f.trainPerEpoch).toBe(3 * (1600 * 80 + 2 * projection));
    expect(f.evaluation).toBe(15 * 80 + projection);
    // With batch norm (or dropout) training runs the first layer per pair: 2·8·8 more per pair.
    for (const extra of [{ batchNorm: true }, { dropout: 0.2 }]) {
      const slow = neumfFlops({ factors: 4, mlpLayers: 2, negatives: 1, batchSize: 800, ...extra }, size);
      expect(slow.trainPerEpoch).toBe(3 * 1600 * (80 + 128));
      expect(slow.evaluation).toBe(f.evaluation);
    }
    expect(deepFlops("bpr", {}, size)).toBeNull();
  });

  it("counts NeuMF without params at the model's defaults (the launch form's estimate before any edit)", () => {
    const size = { numUsers: 943, numItems: 1682, numInteractions: 100_000 };
    expect(neumfFlops({}, size)).toEqual(neumfFlops(neumfParamsSchema.parse({}), size));
  });

  it("efficiency is the ideal time at the rate over the measured time", () => {
    expect(efficiency(4e9, 0.5, 2)).toEqual({ idealSeconds: 2, efficiency: 4 });
    expect(efficiency(1e9, 4, 1).efficiency).toBe(0.25);
  });
});
