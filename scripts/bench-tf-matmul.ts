// tf.matMul at the deep models' shapes on the wasm backend: ms and GFLOP/s, best of 7 after a warm-up.
//   npx tsx scripts/bench-tf-matmul.ts                          the native kernel (lib/training/native-matmul.ts)
//   RECLAB_TF_MATMUL=wasm npx tsx scripts/bench-tf-matmul.ts    XNNPACK, the backend's own
import os from "node:os";
import type { Tensor } from "@tensorflow/tfjs";
import { loadTensorflow } from "../lib/training/tf-backend";
import { nativeMatMulActive } from "../lib/training/native-matmul";

const { tf } = await loadTensorflow();
// [label, a shape, b shape, transposeA, transposeB]
const SHAPES: [string, number[], number[], boolean, boolean][] = [
  ["SASRec dense 800×64·64×64", [800, 64], [64, 64], false, false],
  ["SASRec dense dX 800×64·(64×64)ᵀ", [800, 64], [64, 64], false, true],
  ["SASRec dense dW (800×64)ᵀ·800×64", [800, 64], [800, 64], true, false],
  ["SASRec logits 800×64·(1682×64)ᵀ", [800, 64], [1682, 64], false, true],
  ["SASRec dh 800×1682·1682×64", [800, 1682], [1682, 64], false, false],
  ["SASRec dW (800×1682)ᵀ·800×64", [800, 1682], [800, 64], true, false],
  ["SASRec scores [16,50,64]·[16,50,64]ᵀ", [16, 50, 64], [16, 50, 64], false, true],
  ["AE encoder 500×17000·17000×200", [500, 17000], [17000, 200], false, false],
  ["AE decoder 500×200·200×17000", [500, 200], [200, 17000], false, false],
  ["AE dW dec (500×200)ᵀ·500×17000", [500, 200], [500, 17000], true, false],
  ["AE dX dec 500×17000·(200×17000)ᵀ", [500, 17000], [200, 17000], false, true],
  ["rate 500×1682·1682×200", [500, 1682], [1682, 200], false, false],
  ["rate 2048×128·128×64", [2048, 128], [128, 64], false, false],
];

function time(a: Tensor, b: Tensor, ta: boolean, tb: boolean): number {
  tf.matMul(a, b, ta, tb).dispose();
  let best = Infinity;
  for (let r = 0; r < 7; r++) {
    const t0 = performance.now();
    const c = tf.matMul(a, b, ta, tb); // the wasm backend computes synchronously
    best = Math.min(best, performance.now() - t0);
    c.dispose();
  }
  return best / 1000;
}

console.log(`native matMul active: ${nativeMatMulActive()}; load ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`);
for (const [label, as, bs, ta, tb] of SHAPES) {
  const a = tf.randomUniform(as, -1, 1, "float32", 1), b = tf.randomUniform(bs, -1, 1, "float32", 2);
  const r = as.length;
  const m = ta ? as[r - 1] : as[r - 2], k = ta ? as[r - 2] : as[r - 1], n = tb ? bs[bs.length - 2] : bs[bs.length - 1];
  const flops = 2 * m * k * n * (r === 3 ? as[0] : 1);
  const here = time(a, b, ta, tb);
  console.log(`${label.padEnd(40)} ${(here * 1000).toFixed(3).padStart(9)} ms ${(flops / here / 1e9).toFixed(1).padStart(7)} GFLOP/s`);
  tf.dispose([a, b]);
}
console.log(`load ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`);
