import { describe, expect, it } from "vitest";
import type { Tensor } from "@tensorflow/tfjs";
import { dropoutMasks, maskValues, neumfLossAndGrads, scoreUsersFast, scoringTables, type NeuMfLayout } from "@/lib/models/deep/neumf-fast";
import { biasReluDot, gatherAddRelu, gatherAddReluBackward, neumfHead, reluBackward, softplus, userByItemsRelu } from "@/lib/models/deep/neumf-kernels";
import { gmfScore, neumfLossOps, neumfWeights } from "@/lib/models/neumf";
import { COMPACT_BELOW_SHARE, stepRows } from "@/lib/models/deep/neumf-rows";
import { loadTensorflow } from "@/lib/training/tf-backend";
import { Rng } from "@/lib/util/rng";

const { tf, backend } = await loadTensorflow();

const LAYOUT: NeuMfLayout = { numUsers: 7, numItems: 11, factors: 4, widths: [16, 8, 4] };
// Tables large enough that a step projects only the batch's distinct rows (6 of 40 users, 6 of 60 items).
const LARGE: NeuMfLayout = { ...LAYOUT, numUsers: 40, numItems: 60 };
// Repeated users and items: the scatter-adds must accumulate.
const BATCH = {
  users: Int32Array.from([0, 3, 3, 6, 1, 0, 5, 3, 2]),
  items: Int32Array.from([10, 2, 5, 2, 0, 10, 7, 2, 9]),
  labels: Float32Array.from([1, 0, 1, 0, 0, 1, 1, 0, 0]),
  n: 9,
};

function expectClose(a: Float32Array, b: Float32Array, tol: number, what: string) {
  expect(a.length, what).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / (1e-3 + Math.abs(b[i])));
  expect(worst, what).toBeLessThan(tol);
}

describe.runIf(backend === "wasm" || backend === "cpu")("NeuMF's fused kernels", () => {
  it("projects only a large table's distinct rows: each id once, in order of first appearance, and each pair's row among them", () => {
    const { distinct, local } = stepRows(BATCH.items, BATCH.n, LARGE.numItems);
    expect(Array.from(distinct!)).toEqual([10, 2, 5, 0, 7, 9]);
    expect(Array.from(local)).toEqual([0, 1, 2, 1, 3, 0, 4, 1, 5]);
    // Only the first n ids count.
    expect(Array.from(stepRows(BATCH.users, 3, LARGE.numUsers).distinct!)).toEqual([0, 3]);
    // 6 distinct items: compacted while 6 < share × size, the whole table from there (24 = 6 / 0.25).
    expect(COMPACT_BELOW_SHARE).toBe(0.25);
    expect(stepRows(BATCH.items, BATCH.n, 25).distinct).not.toBeNull();
    const whole = stepRows(BATCH.items, BATCH.n, 24);
    expect(whole.distinct).toBeNull();
    expect(whole.local).toBe(BATCH.items);
    expect(stepRows(BATCH.items, BATCH.n, LAYOUT.numItems).distinct).toBeNull();
  });

  // group 3: the pairwise loss over three groups of an observed pair and two negatives.
  it.each([
    ["pointwise", undefined, "whole tables", LAYOUT],
    ["pairwise", 3, "whole tables", LAYOUT],
    ["pointwise", undefined, "the batch's rows", LARGE],
    ["pairwise", 3, "the batch's rows", LARGE],
  ] as const)("give tf autodiff's %s loss and gradients for every weight, pre-training and fused, with the L2 penalty (projecting %s)", (_, group, _rows, layout) => {
    for (const fused of [false, true]) {
      // Larger embeddings than the default init so the ReLUs are a mix of active and inactive.
      const w = neumfWeights(tf, new Rng(3), layout, 0.5);
      const params = { mlpLayers: 3, dropout: 0, embeddingReg: 0.05 };
      const fast = neumfLossAndGrads(tf, w, layout, { ...BATCH, group }, { fused, reg: params.embeddingReg });
      const u = tf.tensor1d(BATCH.users, "int32"), i = tf.tensor1d(BATCH.items, "int32"), y = tf.tensor2d(BATCH.labels, [BATCH.n, 1]);
      const names = Object.keys(w.vars);
      const ref = tf.variableGrads(() => neumfLossOps(tf, w, params, { users: u, items: i, labels: y, n: BATCH.n, group }, fused), names.map((n) => w.get(n)));
      expect(fast.loss).toBeCloseTo(ref.value.dataSync()[0], 5);
      for (const name of names) {
        const want = ref.grads[w.get(name).name].dataSync() as Float32Array;
        expectClose(fast.grads[name].dataSync() as Float32Array, want, 1e-4, `${name} (fused ${fused})`);
      }
      tf.dispose([u, i, y, ref.value, ...Object.values(ref.grads), ...Object.values(fast.grads)]);
      w.dispose();
    }
  });

  it("applies dropout masks as tf ops do: the same loss and gradients with the same masks (pre-training and fused)", () => {
    const masks = dropoutMasks(LAYOUT.widths, BATCH.n, 0.4, 11);
    for (const fused of [false, true]) {
      const w = neumfWeights(tf, new Rng(3), LAYOUT, 0.5);
      const params = { mlpLayers: 3, embeddingReg: 0.05 };
      const fast = neumfLossAndGrads(tf, w, LAYOUT, BATCH, { fused, reg: params.embeddingReg, masks });
      const plain = neumfLossAndGrads(tf, w, LAYOUT, BATCH, { fused, reg: params.embeddingReg });
      const u = tf.tensor1d(BATCH.users, "int32"), i = tf.tensor1d(BATCH.items, "int32"), y = tf.tensor2d(BATCH.labels, [BATCH.n, 1]);
      const maskTensors = masks.map((m, l) => tf.tensor2d(maskValues(m), [BATCH.n, LAYOUT.widths[l]]));
      const names = Object.keys(w.vars);
      const ref = tf.variableGrads(() => neumfLossOps(tf, w, params, { users: u, items: i, labels: y, n: BATCH.n }, fused, maskTensors), names.map((n) => w.get(n)));
      expect(fast.loss).toBeCloseTo(ref.value.dataSync()[0], 5);
      // The masks matter: without them the loss differs.
      expect(Math.abs(fast.loss - plain.loss)).toBeGreaterThan(1e-3);
      for (const name of names) expectClose(fast.grads[name].dataSync() as Float32Array, ref.grads[w.get(name).name].dataSync() as Float32Array, 1e-4, `${name} (fused ${fused})`);
      tf.dispose([u, i, y, ref.value, ...maskTensors, ...Object.values(ref.grads), ...Object.values(fast.grads), ...Object.values(plain.grads)]);
      w.dispose();
    }
  });

  // One, two and three MLP layers: the scoring path fuses the last layer with the output weights.
  it.each([[[4]], [[8, 4]], [[16, 8, 4]]])("scores users × all items as the tf-ops towers do (MLP widths %j)", (widths) => {
    const layout: NeuMfLayout = { ...LAYOUT, widths };
    const w = neumfWeights(tf, new Rng(4), layout, 0.5);
    const batchUsers = Int32Array.from([2, 5, 0]);
    const tables = scoringTables(tf, w, layout);
    const fast = tf.tidy(() => scoreUsersFast(tf, w, layout, tables, batchUsers, [0.5, 0.5]));
    // Reference: the α-weighted tower logits of every (user, item) pair in plain tf ops.
    const I = layout.numItems;
    const users = Int32Array.from({ length: 3 * I }, (_, k) => batchUsers[Math.floor(k / I)]);
    const items = Int32Array.from({ length: 3 * I }, (_, k) => k % I);
    const want = tf.tidy(() => {
      const u = tf.tensor1d(users, "int32"), it = tf.tensor1d(items, "int32");
      const gmf = tf.matMul(tf.mul(tf.gather(w.get("gmfUser"), u), tf.gather(w.get("gmfItem"), it)), w.get("gmfOut"));
      let h: Tensor = tf.concat([tf.gather(w.get("mlpUser"), u), tf.gather(w.get("mlpItem"), it)], 1);
      for (let l = 0; l < widths.length; l++) h = tf.relu(tf.add(tf.matMul(h, w.get(`mlpW${l}`)), w.get(`mlpB${l}`)));
      return tf.add(tf.add(tf.mul(gmf, 0.5), tf.mul(tf.matMul(h, w.get("mlpOut")), 0.5)), w.get("outBias")).reshape([3, I]);
    });
    expectClose(fast.dataSync() as Float32Array, want.dataSync() as Float32Array, 1e-4, "scores");
    tf.dispose([fast, want, ...Object.values(tables)]);
    w.dispose();
  });
});

describe("NeuMF kernels by hand", () => {
  it("dropout masks keep each unit with probability 1 − rate, scaled by 1 / (1 − rate), the same for the same seed", () => {
    const [a, b] = dropoutMasks([1000, 500], 21, 0.25, 5).map(maskValues);
    expect(a.length).toBe(21_000);
    expect(b.length).toBe(10_500);
    expect(new Set(a)).toEqual(new Set([0, Math.fround(1 / 0.75)]));
    const dropped = a.filter((x) => x === 0).length / a.length;
    expect(dropped).toBeGreaterThan(0.24);
    expect(dropped).toBeLessThan(0.26);
    expect(dropoutMasks([1000, 500], 21, 0.25, 5).map(maskValues)).toEqual([a, b]);
    expect(maskValues(dropoutMasks([1000, 500], 21, 0.25, 6)[0])).not.toEqual(a);
    // Into reused buffers (longer than needed): the same values.
    const buffers = [new Uint8Array(40_000), new Uint8Array(20_000)];
    expect(dropoutMasks([1000, 500], 21, 0.25, 5, buffers).map(maskValues)).toEqual([a, b]);
  });

  it("gather-add-ReLU and its scatter-add gradient on a 2-row example", () => {
    // users [1, 1], items [0, 1]; width 2.
    const userRows = Float32Array.from([9, 9, 1, -2]), itemRows = Float32Array.from([0.5, 1, -3, 4]), bias = Float32Array.from([0, 0.5]);
    const users = Int32Array.from([1, 1]), items = Int32Array.from([0, 1]);
    const h = new Float32Array(4), hT = new Float32Array(4);
    gatherAddRelu(userRows, users, itemRows, items, bias, 2, 2, h, hT);
    // Row 0: [1 + .5 + 0, −2 + 1 + .5] = [1.5, −.5 → 0]; row 1: [1 − 3, −2 + 4 + .5] = [−2 → 0, 2.5].
    expect(Array.from(h)).toEqual([1.5, 0, 0, 2.5]);
    expect(Array.from(hT)).toEqual([1.5, 0, 0, 2.5]);
    const dU = new Float32Array(4), dI = new Float32Array(4), dB = new Float32Array(2);
    gatherAddReluBackward(Float32Array.from([10, 20, 30, 40]), h, users, items, 2, 2, dU, dI, dB);
    // Only the active units pass: (0,0) = 10 and (1,1) = 40; both rows are user 1.
    expect(Array.from(dU)).toEqual([0, 0, 10, 40]);
    expect(Array.from(dI)).toEqual([10, 0, 0, 40]);
    expect(Array.from(dB)).toEqual([10, 40]);
  });

  it("ReLU's derivative passes exactly the units whose activation is positive (zeros, tiny values)", () => {
    // h as ReLU outputs: 0, the smallest positive float32, 1, 0; the bias gradient sums what passes.
    const h = Float32Array.from([0, 1.4e-45, 1, 0]), d = Float32Array.from([5, 6, 7, 8]), dB = new Float32Array(2);
    reluBackward(d, h, 2, 2, dB);
    expect(Array.from(d)).toEqual([0, 6, 7, 0]);
    expect(Array.from(dB)).toEqual([7, 6]);
  });

  it("scoring's first layer pairs each batch user with every item in order; the last layer folds into the output weights", () => {
    // 2 items, width 2; users 1 then 0.
    const userRows = Float32Array.from([1, -1, 2, 0]), itemRows = Float32Array.from([0, 3, -5, 1]), bias = Float32Array.from([0.5, 0]);
    const h = new Float32Array(8);
    userByItemsRelu(userRows, Int32Array.from([1, 0]), itemRows, 2, bias, 2, h);
    // User 1 (2.5, 0 with bias): item 0 → [2.5, 3], item 1 → [−2.5 → 0, 1]; user 0 (1.5, −1): [1.5, 2], [0, 0].
    expect(Array.from(h)).toEqual([2.5, 3, 0, 1, 1.5, 2, 0, 0]);
    const out = new Float32Array(2);
    biasReluDot(Float32Array.from([1, -3, -1, 2]), Float32Array.from([0.5, 1]), Float32Array.from([2, 10]), 2, 2, out);
    // Row 0: relu(1.5)·2 + relu(−2)·10 = 3; row 1: relu(−.5)·2 + relu(3)·10 = 30.
    expect(Array.from(out)).toEqual([3, 30]);
  });

  it("the head's loss is the mean binary cross-entropy of the summed logits", () => {
    const g = { dH: new Float32Array(1), dGmfUser: new Float32Array(1), dGmfItem: new Float32Array(1), dGmfOut: new Float32Array(1), dMlpOut: new Float32Array(1) };
    // gmf = 2 · 3 · .5 = 3, mlp = 1 · −1 = −1, bias .25: logit 2.25, label 1 → softplus(2.25) − 2.25.
    const { loss, dOutBias } = neumfHead(
      { users: Int32Array.of(0), items: Int32Array.of(0), labels: Float32Array.of(1), n: 1, gmfUser: Float32Array.of(2), gmfItem: Float32Array.of(3), gmfOut: Float32Array.of(0.5), h: Float32Array.of(1), mlpOut: Float32Array.of(-1), outBias: 0.25, f: 1, fused: true, reg: 0 },
      g,
    );
    expect(loss).toBeCloseTo(softplus(2.25) - 2.25, 6);
    expect(dOutBias).toBeCloseTo(1 / (1 + Math.exp(-2.25)) - 1, 6);
    expect(g.dH[0]).toBeCloseTo(dOutBias * -1, 6);
  });
});


describe("NeuMF's pairwise head", () => {
  it("is BPR's softplus(−(s_pos − s_neg)) with its gradients, and no bias gradient", () => {
    const g = { dH: new Float32Array(2), dGmfUser: new Float32Array(1), dGmfItem: new Float32Array(2), dGmfOut: new Float32Array(1), dMlpOut: new Float32Array(1) };
    // User 0 (p = 2), positive item 0 (q = 3), negative item 1 (q = 1), g = .5: GMF 3 and 1; MLP h·m = 1·−1 and 2·−1.
    // Fused logits 2 and −1 (+ a bias that cancels): margin 3.
    const { loss, dOutBias } = neumfHead(
      { users: Int32Array.of(0, 0), items: Int32Array.of(0, 1), labels: Float32Array.of(1, 0), n: 2, gmfUser: Float32Array.of(2), gmfItem: Float32Array.of(3, 1), gmfOut: Float32Array.of(0.5), h: Float32Array.of(1, 2), mlpOut: Float32Array.of(-1), outBias: 0.7, f: 1, fused: true, reg: 0, group: 2 },
      g,
    );
    const s = 1 / (1 + Math.exp(3)); // σ(−3)
    expect(loss).toBeCloseTo(softplus(-3), 6);
    expect(dOutBias).toBe(0);
    // dLoss/ds_pos = −σ(−3), dLoss/ds_neg = +σ(−3); dH = dLogit · m; dp = Σ dLogit · q · g.
    expect(Array.from(g.dH)).toEqual([expect.closeTo(s, 6), expect.closeTo(-s, 6)]);
    expect(g.dGmfUser[0]).toBeCloseTo(-s * 3 * 0.5 + s * 1 * 0.5, 6);
    expect(Array.from(g.dGmfItem)).toEqual([expect.closeTo(-s * 2 * 0.5, 6), expect.closeTo(s * 2 * 0.5, 6)]);
    // A batch that splits a group would pair a positive with another user's negatives: refused.
    const three = { users: Int32Array.of(0, 0, 0), items: Int32Array.of(0, 1, 0), labels: Float32Array.of(1, 0, 1), n: 3, gmfUser: Float32Array.of(2), gmfItem: Float32Array.of(3, 1), gmfOut: Float32Array.of(0.5), h: Float32Array.of(1, 2, 1), mlpOut: Float32Array.of(-1), outBias: 0, f: 1, fused: true, reg: 0, group: 2 };
    expect(() => neumfHead(three, { ...g, dH: new Float32Array(3) })).toThrow(/not whole groups of 2/);
  });
});

describe("NeuMF on the fast path", () => {
  it.each(["pointwise", "pairwise"])("gives identical metrics twice for the same seed (%s loss)", async (loss) => {
    const { generateSynthetic } = await import("@/lib/datasets/synthetic");
    const { resolveRunConfig, runExperiment } = await import("@/lib/experiments/run-experiment");
    const dataset = generateSynthetic({ seed: 5 });
    const config = resolveRunConfig({
      modelId: "neumf",
      // Batch 500: not a multiple of the pairwise loss's groups of 9, which batches must keep whole.
      params: { epochs: 3, factors: 8, mlpLayers: 2, pretrainEpochs: 2, batchSize: 500, loss },
      feedback: "implicit",
      ks: [10],
      seed: 9,
    });
    const [a, b] = [await runExperiment(dataset, config), await runExperiment(dataset, config)];
    expect(a.test.summary).toEqual(b.test.summary);
    expect(a.history.map((h) => h.loss)).toEqual(b.history.map((h) => h.loss));
  });
});

describe("NeuMF's negative scorer", () => {
  it("is the GMF tower's logit (p_u ⊙ h) · q_j for every user and item", () => {
    const w = neumfWeights(tf, new Rng(5), LAYOUT, 0.5);
    const score = gmfScore(w, LAYOUT.factors);
    const ref = tf.matMul(tf.mul(w.get("gmfUser"), tf.reshape(w.get("gmfOut"), [1, -1])), w.get("gmfItem"), false, true).arraySync() as number[][];
    for (let u = 0; u < LAYOUT.numUsers; u++) for (let j = 0; j < LAYOUT.numItems; j++) expect(score(u, j)).toBeCloseTo(ref[u][j], 5);
    w.dispose();
  });
});
