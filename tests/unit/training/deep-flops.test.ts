import { describe, expect, it } from "vitest";
import { caserFlops, deepFlops, efficiency, multVaeFlops, neumfFlops, sasrecFlops } from "@/lib/training/deep-flops";
import { neumfParamsSchema } from "@/lib/models/neumf";

describe("deep models' dense FLOPs", () => {
  it("counts an autoencoder epoch as the sparse encoder's forward + dW per training interaction and the decoder's forward + dX + dW per user", () => {
    // 10 users, 100 items, 400 training interactions (8:1:1 of 500), 20 hidden: encoder 2·400·20 × 2,
    // decoder 2·20·100 × 3 per user. Evaluation: each once forward.
    const f = deepFlops("mult-dae", { hidden: 20 }, { numUsers: 10, numItems: 100, numInteractions: 500 })!;
    expect(f.trainPerEpoch).toBe(32_000 + 10 * 12_000);
    expect(f.evaluation).toBe(16_000 + 10 * 4_000);
    // Given the split's training interactions (leave-one-out), the encoder counts those.
    expect(deepFlops("cdae", { hidden: 20 }, { numUsers: 10, numItems: 100, numInteractions: 500, trainInteractions: 480 })!.trainPerEpoch).toBe(4 * 480 * 20 + 10 * 12_000);
  });

  it("falls back to each autoencoder's default width where params omit it (CDAE 600, Mult-DAE 200)", () => {
    const size = { numUsers: 10, numItems: 100, numInteractions: 500 };
    expect(deepFlops("cdae", {}, size)).toEqual(deepFlops("cdae", { hidden: 600 }, size));
    expect(deepFlops("mult-dae", {}, size)).toEqual(deepFlops("mult-dae", { hidden: 200 }, size));
  });

  it("counts a Mult-VAE epoch with and without a hidden layer, per user", () => {
    const size = { numUsers: 10, numItems: 100, numInteractions: 500 };
    // No hidden layer, latent 10: the sparse encoder to 20 units (μ, log σ²) over 400 training
    // interactions, forward + dW = 2·2·400·20 = 32,000; decoder 10 → 100 per user, forward + dX +
    // dW = 3·2·10·100 = 6,000. Evaluation: 16,000 + 10 · 2,000.
    const flat = multVaeFlops({ latent: 10, hidden: 0 }, size);
    expect(flat.trainPerEpoch).toBe(32_000 + 10 * 6_000);
    expect(flat.evaluation).toBe(16_000 + 10 * 2_000);
    // Hidden 30: the sparse encoder to 30 units (2·2·400·30 = 48,000), then per user the dense
    // layers 2·(30·20 + 10·30 + 30·100) = 7,800 forward, ×3 in training.
    const deep = multVaeFlops({ latent: 10, hidden: 30 }, size);
    expect(deep.trainPerEpoch).toBe(48_000 + 10 * 3 * 7_800);
    expect(deep.evaluation).toBe(24_000 + 10 * 7_800);
  });

  it("counts NeuMF's layers after the first per pair and the first on the tables per step (a large table: the step's distinct rows)", () => {
    // 1,000 interactions → 800 training pairs × (1 + 1 negative) = 1,600 pairs, batch 800 → 2 steps.
    // factors 4, 2 layers → widths [8, 4], embeddings 4 wide; per pair 2·8·4 + 2·4·2 = 80 FLOPs.
    const size = { numUsers: 3, numItems: 5, numInteractions: 1000 };
    const f = neumfFlops({ factors: 4, mlpLayers: 2, negatives: 1, batchSize: 800 }, size);
    const projection = 2 * (3 + 5) * 4 * 8;
    expect(f.trainPerEpoch).toBe(3 * (1600 * 80 + 2 * projection));
    expect(f.evaluation).toBe(15 * 80 + projection);
    expect(f.exact).toBe(true);
    // A large catalogue: a step projects about as many item rows as it has pairs, not the whole table.
    const big = neumfFlops({ factors: 4, mlpLayers: 1, negatives: 1, batchSize: 10 }, { numUsers: 1, numItems: 1e6, numInteractions: 1000 });
    // 1,600 pairs, 160 steps of 10 pairs: ~10 distinct items and the one (whole-table) user; widths [4]: per pair 2·4·2 = 16.
    const perStepRows = (big.trainPerEpoch / 3 - 1600 * 16) / 160 / (2 * 2 * 4);
    expect(perStepRows).toBeGreaterThan(10.99);
    expect(perStepRows).toBeLessThan(11.0001);
    expect(big.exact).toBe(false);
    // With batch norm training runs the first layer per pair: 2·8·8 more per pair. Dropout stays on the tables.
    const slow = neumfFlops({ factors: 4, mlpLayers: 2, negatives: 1, batchSize: 800, batchNorm: true }, size);
    expect(slow.trainPerEpoch).toBe(3 * 1600 * (80 + 128));
    expect(slow.evaluation).toBe(f.evaluation);
    expect(neumfFlops({ factors: 4, mlpLayers: 2, negatives: 1, batchSize: 800, dropout: 0.2 }, size)).toEqual(f);
    expect(deepFlops("bpr", {}, size)).toBeNull();
  });

  it("counts NeuMF without params at the model's defaults (the launch form's estimate before any edit)", () => {
    const size = { numUsers: 943, numItems: 1682, numInteractions: 100_000 };
    expect(neumfFlops({}, size)).toEqual(neumfFlops(neumfParamsSchema.parse({}), size));
  });

  it("counts SASRec per next-item target: 5 d² projections and 2 L·d attention per block, and the output against every item", () => {
    // 12 training rows of 2 users → 10 targets; d 4, L 3, 1 block: 2·(5·16 + 2·3·4) = 208 per
    // position; full softmax 2·4·10 = 80 per target; training ×3.
    const size = { numUsers: 2, numItems: 10, numInteractions: 100, trainInteractions: 12 };
    const full = sasrecFlops({ factors: 4, maxLen: 3, blocks: 1 }, size);
    expect(full.trainPerEpoch).toBe(3 * 10 * (208 + 80));
    expect(full.evaluation).toBe(2 * (3 * 208 + 80));
    // Sampled softmax: the target and 3 negatives, 2·4·4 = 32 per target.
    expect(sasrecFlops({ factors: 4, maxLen: 3, blocks: 1, negatives: 3 }, size).trainPerEpoch).toBe(3 * 10 * (208 + 32));
    // The newest window only: at most maxLen targets per user (2·3 = 6 of 10).
    expect(sasrecFlops({ factors: 4, maxLen: 3, blocks: 1, trainWindows: "latest" }, size).trainPerEpoch).toBe(3 * 6 * (208 + 80));
  });

  it("counts Caser's horizontal filters at every offset of every height, Σ_h (L − h + 1)·h", () => {
    // L 3 → 3 + 4 + 3 = 10 positions of d columns; d 2, 1 horizontal and 1 vertical filter:
    // conv 2·1·2·10 + 2·1·3·2 = 52, fc 2·(1·3 + 1·2)·2 = 20, output 2·(2·2 + 1)·5 = 50.
    const f = caserFlops({ factors: 2, window: 3, horizontalFilters: 1, verticalFilters: 1 }, { numUsers: 1, numItems: 5, numInteractions: 0, trainInteractions: 4 });
    expect(f.trainPerEpoch).toBe(3 * 3 * (52 + 20 + 50));
  });

  it("efficiency is the ideal time at the rate over the measured time", () => {
    expect(efficiency(4e9, 0.5, 2)).toEqual({ idealSeconds: 2, efficiency: 4 });
    expect(efficiency(1e9, 4, 1).efficiency).toBe(0.25);
  });
});
