import type { Tensor2D } from "@tensorflow/tfjs";
import type { Tf } from "./tf-backend";

/**
 * The backend's dense matMul rate, measured: the yardstick of the deep models' efficiency figure
 * (lib/training/deep-flops.ts). Shapes are the deep models' own: NeuMF's MLP layers over a batch,
 * the autoencoders' encoder ([users, I]·[I, 200]) and decoder ([users, 200]·[200, I]). Each shape
 * is timed as the best of `repeats` after a warm-up (the first call packs the weights), each
 * repeat enough back-to-back products for ~2·10⁸ FLOPs with one read-back at the end: timed one
 * at a time, a small product's read-back and allocation swung its rate between 6 and 77 GFLOP/s
 * from run to run. The rate is total FLOPs over the total of the best times.
 */
const FLOPS_PER_REPEAT = 2e8;

export const RATE_SHAPES: readonly [number, number, number][] = [
  [2048, 128, 64],
  [8192, 64, 32],
  [500, 1682, 200],
  [500, 200, 1682],
];

export interface MatMulRate {
  gflopsPerSecond: number;
  shapes: { m: number; k: number; n: number; gflopsPerSecond: number }[];
}

export function measureDenseMatMulRate(tf: Tf, repeats = 7, shapes = RATE_SHAPES): MatMulRate {
  let flops = 0, seconds = 0;
  const out: MatMulRate["shapes"] = [];
  for (const [m, k, n] of shapes) {
    const a = tf.randomUniform([m, k], -1, 1, "float32", 1) as Tensor2D, b = tf.randomUniform([k, n], -1, 1, "float32", 2) as Tensor2D;
    tf.matMul(a, b).dispose();
    let best = Infinity;
    const f = 2 * m * k * n, products = Math.max(1, Math.ceil(FLOPS_PER_REPEAT / f));
    for (let r = 0; r < repeats; r++) {
      const started = performance.now();
      for (let p = 1; p < products; p++) tf.matMul(a, b).dispose();
      const c = tf.matMul(a, b);
      c.dataSync(); // the wasm backend computes synchronously; this also waits for async backends
      best = Math.min(best, (performance.now() - started) / 1000 / products);
      c.dispose();
    }
    tf.dispose([a, b]);
    flops += f;
    seconds += best;
    out.push({ m, k, n, gflopsPerSecond: f / best / 1e9 });
  }
  return { gflopsPerSecond: flops / seconds / 1e9, shapes: out };
}
