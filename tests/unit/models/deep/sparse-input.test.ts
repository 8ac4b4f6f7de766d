import { describe, expect, it, vi } from "vitest";
import type { Tensor, Tensor2D } from "@tensorflow/tfjs";
import { denseRows, historyRows, scaleRows, sparseMatMul, type SparseRows } from "@/lib/models/deep/sparse-input";
import { getModelDefinition } from "@/lib/models/registry";
import { loadTensorflow, matMulConstInput } from "@/lib/training/tf-backend";
import { trainModel } from "@/lib/training/train-model";
import { Rng } from "@/lib/util/rng";
import { tinyTrainingData } from "../fixtures";
import { quickDeepParams, scoreAll } from "./helpers";

// The dense reference path of the trajectory test, as the autoencoders computed before: the first
// layer a dense product (the sparse rows written out as a [batch, items] matrix) and the losses
// tf ops over the dense 0/1 rows.
type Tf = Awaited<ReturnType<typeof loadTensorflow>>["tf"];
const reference = vi.hoisted(() => ({ dense: false }));
const denseOf = (tf: Tf, x: SparseRows, columns: number, real: { denseRows: typeof denseRows }) =>
  tf.tensor2d(real.denseRows(x, columns), [x.indptr.length - 1, columns]);
vi.mock("@/lib/models/deep/sparse-input", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/models/deep/sparse-input")>();
  return {
    ...real,
    sparseMatMul: (tf: Tf, x: SparseRows, table: Tensor) =>
      reference.dense ? matMulConstInput(tf, denseOf(tf, x, table.shape[0], real), table) : real.sparseMatMul(tf, x, table),
  };
});
vi.mock("@/lib/models/deep/autoencoder-losses", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/models/deep/autoencoder-losses")>();
  const { denseRows: toDense } = await import("@/lib/models/deep/sparse-input");
  return {
    ...real,
    multinomialNll: (tf: Tf, logits: Tensor2D, x: SparseRows) =>
      reference.dense ? real.multinomialNllOps(tf, logits, denseOf(tf, x, logits.shape[1], { denseRows: toDense })) : real.multinomialNll(tf, logits, x),
    logisticLoss: (tf: Tf, logits: Tensor2D, x: SparseRows) =>
      reference.dense
        ? tf.mean(tf.sum(real.logisticPerEntry(tf, logits, denseOf(tf, x, logits.shape[1], { denseRows: toDense })), 1))
        : real.logisticLoss(tf, logits, x),
  };
});

const { tf } = await loadTensorflow();

function maxRelDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / (1e-3 + Math.abs(b[i])));
  return worst;
}

// 6 users over 40 items, a few items each (user 3 has none; user 5's history repeats an item).
const HISTORY = (() => {
  const lists = [[0, 7, 39], [1, 2, 3, 4, 5, 30], [12], [], [8, 9, 10, 11, 20, 21, 22, 33, 38], [6, 17, 6, 25]];
  const indptr = Int32Array.from([0, ...lists.map((_, u) => lists.slice(0, u + 1).flat().length)]);
  return { indptr, indices: Int32Array.from(lists.flat()) };
})();
const ITEMS = 40, WIDTH = 7;
const BATCH = [4, 0, 5, 3, 1, 2];

/**
 * The encoder input as the dense tf-ops path built it: the 0/1 rows, L2-normalised by tf ops,
 * times a tf.dropout-style mask (kept entries scaled by 1/(1 − p)) drawn the way scaleRows does,
 * one Rng(seed) draw per non-zero in row order.
 */
function denseInput(normalize: boolean, dropout: number, seed: number): Tensor2D {
  const rows = historyRows(HISTORY, BATCH);
  const mask = new Float32Array(BATCH.length * ITEMS);
  const rng = new Rng(seed);
  for (let r = 0; r < BATCH.length; r++) {
    for (let p = rows.indptr[r]; p < rows.indptr[r + 1]; p++) mask[r * ITEMS + rows.indices[p]] = dropout > 0 && rng.next() < dropout ? 0 : 1 / (1 - dropout);
  }
  return tf.tidy(() => {
    let x = tf.tensor2d(denseRows(rows, ITEMS), [BATCH.length, ITEMS]);
    if (normalize) x = tf.div(x, tf.maximum(tf.sqrt(tf.sum(tf.square(x), 1, true)), 1e-12));
    return tf.mul(x, tf.tensor2d(mask, [BATCH.length, ITEMS]));
  });
}

describe("the autoencoders' sparse first layer", () => {
  it("reads each history item once, as the dense 0/1 rows did", () => {
    const rows = historyRows(HISTORY, [5, 3, 99]);
    expect(Array.from(rows.indptr)).toEqual([0, 3, 3, 3]);
    expect(Array.from(rows.indices)).toEqual([6, 17, 25]);
  });

  it.each([
    ["0/1 rows", false, 0],
    ["dropout mask", false, 0.5],
    ["L2-normalised rows", true, 0],
    ["L2-normalised rows with a dropout mask", true, 0.5],
  ])("gives the dense product's values and weight gradient (%s)", (_label, normalize, dropout) => {
    const seed = 17;
    const table = tf.variable(tf.tensor2d(Float32Array.from({ length: ITEMS * WIDTH }, (_, i) => Math.sin(i * 0.37)), [ITEMS, WIDTH]));
    const upstream = tf.tensor2d(Float32Array.from({ length: BATCH.length * WIDTH }, (_, i) => Math.cos(i * 0.71)), [BATCH.length, WIDTH]);
    const x = denseInput(normalize, dropout, seed);
    const sparse = scaleRows(historyRows(HISTORY, BATCH), { normalize, dropout, seed });
    // Same input, entry by entry: scaleRows is the dense path's normalisation and mask.
    expect(maxRelDiff(denseRows(sparse, ITEMS), x.dataSync() as Float32Array)).toBeLessThan(1e-6);
    if (dropout > 0) expect(sparse.values.some((v) => v === 0)).toBe(true);

    const run = (first: () => Tensor) => {
      const { value, grads } = tf.variableGrads(() => {
        const y = first();
        return tf.sum(tf.mul(y, upstream));
      }, [table]);
      const out = { y: tf.tidy(first).dataSync() as Float32Array, loss: value.dataSync()[0], grad: grads[table.name].dataSync() as Float32Array };
      tf.dispose([value, ...Object.values(grads)]);
      return out;
    };
    const got = run(() => sparseMatMul(tf, sparse, table));
    const want = run(() => matMulConstInput(tf, x, table));
    expect(maxRelDiff(got.y, want.y)).toBeLessThan(1e-5);
    expect(got.loss).toBeCloseTo(want.loss, 4);
    expect(maxRelDiff(got.grad, want.grad)).toBeLessThan(1e-5);
    tf.dispose([table, upstream, x]);
  });

  it("draws a fresh dropout mask per seed, and the same mask for the same seed", () => {
    const rows = historyRows(HISTORY, BATCH);
    const a = scaleRows(rows, { dropout: 0.5, seed: 1 }), b = scaleRows(rows, { dropout: 0.5, seed: 1 }), c = scaleRows(rows, { dropout: 0.5, seed: 2 });
    expect(a.values).toEqual(b.values);
    expect(a.values).not.toEqual(c.values);
    expect(rows.values.every((v) => v === 1)).toBe(true);
  });

  // Whole fits: the same loss per epoch and the same scores as with the first layer computed as a
  // dense [batch, items] product (the same dropout masks reach both paths).
  it.each(["cdae", "mult-dae", "mult-vae"])("%s trains along the dense path's loss trajectory", async (id) => {
    const definition = getModelDefinition(id);
    const data = tinyTrainingData("implicit", 30, 25);
    const params = quickDeepParams(definition, { epochs: 6, batchSize: 8 });
    const fit = async (dense: boolean) => {
      reference.dense = dense;
      try {
        const run = await trainModel({ definition, params, data, seed: 5 });
        return { losses: Float32Array.from(run.history.map((h) => h.loss)), scores: scoreAll(run.model, data.numUsers, data.numItems) };
      } finally {
        reference.dense = false;
      }
    };
    const sparse = await fit(false), dense = await fit(true);
    expect(sparse.losses.length).toBe(6);
    expect(maxRelDiff(sparse.losses, dense.losses)).toBeLessThan(1e-5);
    expect(maxRelDiff(sparse.scores, dense.scores)).toBeLessThan(1e-4);
  });
});
