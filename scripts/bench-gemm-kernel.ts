/**
 * GFLOP/s of the gemm_nt kernel alone (native addon and WebAssembly), on the call shape the
 * blocked SPD routines issue most: the trailing update C[64 rows × 512 cols] −= P·Pᵀ over the
 * block width k (default 128), rows dealt to 1 or 2 threads by the same pool.
 *
 *   nice -n 15 npx tsx scripts/bench-gemm-kernel.ts [--n 4096] [--k 128] [--reps 3]
 *   RECLAB_LINALG_ISA=avx2 nice -n 15 npx tsx scripts/bench-gemm-kernel.ts   # the addon's AVX2 variant
 */
import { allocWasmMatrix, MAX_BLOCK, MODE, workspaceOf, type ElementType } from "../lib/models/linalg/wasm-kernel";
import { KernelPool, type Chunk } from "../lib/models/linalg/wasm-pool";
import { nativeLinalg } from "../lib/models/linalg/native-kernel";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const n = arg("n", 4096), k = arg("k", 128), reps = arg("reps", 3);

async function measure(type: ElementType, native: boolean, threads: number): Promise<number> {
  const a = allocWasmMatrix(n, type, native);
  const ws = a && workspaceOf(a, n);
  if (!ws) throw new Error("no workspace");
  for (let i = 0; i < (n + 8) * MAX_BLOCK; i++) ws.all[ws.panel + i] = Math.sin(i) * 0.5;
  const s = ws.bytesPerElement, cols = type === "float32" ? 512 : 256;
  const chunks: Chunk[] = [];
  for (let i0 = 0; i0 < n; i0 += 64) {
    const calls: number[] = [];
    for (let j0 = 0; j0 < n; j0 += cols) calls.push((i0 * n + j0) * s, n, (ws.panel + i0 * MAX_BLOCK) * s, MAX_BLOCK, (ws.panel + j0 * MAX_BLOCK) * s, MAX_BLOCK, 64, cols, k, MODE.sub, -1);
    chunks.push({ calls, cost: 1 });
  }
  const pool = await KernelPool.open(ws, threads);
  try {
    await pool.run(chunks); // warm-up
    let best = Infinity;
    for (let r = 0; r < reps; r++) {
      const t0 = performance.now();
      await pool.run(chunks);
      best = Math.min(best, (performance.now() - t0) / 1000);
    }
    return (2 * n * n * k) / best / 1e9;
  } finally {
    await pool.close();
  }
}

const nat = nativeLinalg();
console.log(`n=${n} k=${k}; native: ${nat ? nat.addon.isa : "unavailable"}`);
for (const type of ["float32", "float64"] as const) {
  for (const native of nat ? [true, false] : [false]) {
    for (const threads of [1, 2]) {
      const gflops = await measure(type, native, threads);
      console.log(`${type} ${native ? `native ${nat!.addon.isa}` : "wasm"} ${threads} thread(s): ${gflops.toFixed(1)} GFLOP/s`);
    }
  }
}
