import { factorDiagonalBlock, invertLowerBlock } from "./dense-blocks";
import { MAX_BLOCK, MODE, type Workspace } from "./wasm-kernel";
import { KernelPool, type Chunk } from "./wasm-pool";

/**
 * The blocked SPD routines of ./cholesky.ts (potrf, trtri, lauum: n³ flops for the inverse,
 * against LU's 2n³–2.7n³) over a WebAssembly workspace: every O(n³) loop is a gemm_nt kernel
 * call (SIMD, 2 × 4 register tiles), split by rows across threads; the small diagonal blocks are
 * factored and inverted in float64 here.
 *
 * Work is cut on a fixed grid (ROWS-row chunks, column and depth chunks sized for L2), so every
 * element's sum runs over the same operands in the same order whatever the thread count:
 * results are bit-identical with 1 or 2 threads.
 */

/** Rows per chunk (the unit of work dealt to threads). */
const ROWS = 64;
/** Bytes of the streamed operand kept per kernel call (L2-resident). */
const L2_BYTES = 256 * 1024;

export const WASM_DEFAULT_BLOCK = 128;
/**
 * The native kernel is fast enough that each step's pass over the trailing matrix costs more than
 * its arithmetic at k = 128; 256-wide steps halve those passes (8,000 items float32: 2.39–2.47 s
 * against 2.54–2.64 s; docs/benchmarks/linalg.md).
 */
export const NATIVE_DEFAULT_BLOCK = 256;

/** The block width for a workspace when the caller gives none. */
export function defaultBlock(ws: Workspace): number {
  return ws.nativeFile ? NATIVE_DEFAULT_BLOCK : WASM_DEFAULT_BLOCK;
}

interface Ctx {
  ws: Workspace;
  pool: KernelPool;
  n: number;
  nb: number;
  /** Bytes per element, to turn element offsets into kernel pointers. */
  s: number;
}

/** Column (or depth) chunk such that `rows` operand rows of `len` elements fit L2_BYTES. */
function l2Chunk(len: number, s: number): number {
  return Math.max(16, Math.floor(L2_BYTES / (Math.max(len, 1) * s) / 16) * 16);
}

function pushCall(calls: number[], s: number, c: number, ldc: number, a: number, lda: number, b: number, ldb: number, rows: number, cols: number, k: number, mode: number, lower: number) {
  calls.push(c * s, ldc, a * s, lda, b * s, ldb, rows, cols, k, mode, lower);
}

/**
 * C[i][j] (mode) Σ_t P[i][t]·P[j][t] for r0 ≤ j ≤ i < r1, where P row i is packed at panel + (i − off)·ld
 * with k columns, and C is the workspace matrix: the symmetric rank-k update on the lower triangle.
 */
function syrkChunks(ctx: Ctx, r0: number, r1: number, off: number, k: number, mode: number): Chunk[] {
  const { ws, n, s } = ctx;
  const ld = MAX_BLOCK;
  const jChunk = l2Chunk(k, s);
  const chunks: Chunk[] = [];
  for (let i0 = r0; i0 < r1; i0 += ROWS) {
    const i1 = Math.min(i0 + ROWS, r1);
    const calls: number[] = [];
    for (let jc = r0; jc < i1; jc += jChunk) {
      const cols = Math.min(jChunk, i1 - jc);
      pushCall(calls, s, i0 * n + jc, n, ws.panel + (i0 - off) * ld, ld, ws.panel + (jc - off) * ld, ld, i1 - i0, cols, k, mode, i0 - jc);
    }
    chunks.push({ calls, cost: (i1 - i0) * (i1 - r0) });
  }
  return chunks;
}

/** Blocked right-looking Cholesky in the workspace: lower triangle = L, strict upper zeroed. */
export async function factorWasm(ctx: Ctx): Promise<void> {
  const { ws, n, nb, s } = ctx;
  const a = ws.a, all = ws.all;
  const d = new Float64Array(nb * nb);
  for (let k = 0; k < n; k += nb) {
    const b = Math.min(nb, n - k);
    for (let i = 0; i < b; i++) for (let j = 0; j <= i; j++) d[i * b + j] = a[(k + i) * n + k + j];
    factorDiagonalBlock(d, b, k);
    for (let i = 0; i < b; i++) for (let j = 0; j <= i; j++) a[(k + i) * n + k + j] = d[i * b + j];
    const st = k + b;
    if (st >= n) break;
    // Panel: L21 = A21 · L11⁻ᵀ, i.e. packed row i = Σ_q A[i][k+q] · L11⁻¹[p][q] (rows of L11⁻¹ as B).
    for (let i = 0; i < b; i++) for (let j = 0; j < i; j++) d[j * b + i] = 0;
    invertLowerBlock(d, b);
    for (let i = 0; i < b; i++) for (let j = 0; j < b; j++) all[ws.diag + i * MAX_BLOCK + j] = j <= i ? d[i * b + j] : 0;
    const panelChunks: Chunk[] = [];
    for (let i0 = st; i0 < n; i0 += ROWS) {
      const rows = Math.min(ROWS, n - i0);
      const calls: number[] = [];
      pushCall(calls, s, ws.panel + (i0 - st) * MAX_BLOCK, MAX_BLOCK, i0 * n + k, n, ws.diag, MAX_BLOCK, rows, b, b, MODE.set, -1);
      panelChunks.push({ calls, cost: rows });
    }
    await ctx.pool.run(panelChunks);
    for (let i = st; i < n; i++) {
      const from = ws.panel + (i - st) * MAX_BLOCK;
      a.set(all.subarray(from, from + b), i * n + k);
    }
    // Trailing update A22 −= L21 L21ᵀ (lower triangle).
    await ctx.pool.run(syrkChunks(ctx, st, n, st, b, MODE.sub));
  }
  for (let i = 0; i < n; i++) a.fill(0, i * n + i + 1, (i + 1) * n);
}

/** In-place inverse of the lower-triangular L in the workspace (upper zero): W21 = −W22 L21 W11, last block column first. */
async function invertLowerWasm(ctx: Ctx): Promise<void> {
  const { ws, n, nb, s } = ctx;
  const a = ws.a, all = ws.all;
  const d = new Float64Array(nb * nb);
  for (let k = Math.floor((n - 1) / nb) * nb; k >= 0; k -= nb) {
    const b = Math.min(nb, n - k);
    const st = k + b;
    for (let i = 0; i < b; i++) for (let j = 0; j < b; j++) d[i * b + j] = j <= i ? a[(k + i) * n + k + j] : 0;
    invertLowerBlock(d, b);
    if (st < n) {
      const m = n - st;
      // pt[p][l − st] = L[l][k + p]: the block column, transposed, so both kernel operands are rows.
      for (let l = st; l < n; l++) {
        const row = l * n + k;
        for (let p = 0; p < b; p++) all[ws.panel + p * m + (l - st)] = a[row + p];
      }
      for (let p = 0; p < b; p++) for (let q = 0; q < b; q++) all[ws.diag + p * MAX_BLOCK + q] = d[q * b + p];
      all.fill(0, ws.acc, ws.acc + m * MAX_BLOCK);
      const lChunk = l2Chunk(b, s) * 2;
      const chunks: Chunk[] = [];
      for (let i0 = st; i0 < n; i0 += ROWS) {
        const i1 = Math.min(i0 + ROWS, n);
        const rows = i1 - i0;
        const calls: number[] = [];
        // acc[i] = Σ_{l < i1} W[i][l] L[l][k..k+b) (W is zero above its diagonal).
        for (let lc = st; lc < i1; lc += lChunk) {
          pushCall(calls, s, ws.acc + (i0 - st) * MAX_BLOCK, MAX_BLOCK, i0 * n + lc, n, ws.panel + (lc - st), m, rows, b, Math.min(lChunk, i1 - lc), MODE.add, -1);
        }
        // W[i][k..k+b) = −acc[i] · W11.
        pushCall(calls, s, i0 * n + k, n, ws.acc + (i0 - st) * MAX_BLOCK, MAX_BLOCK, ws.diag, MAX_BLOCK, rows, b, b, MODE.setNeg, -1);
        chunks.push({ calls, cost: rows * (i1 - st) });
      }
      await ctx.pool.run(chunks);
    }
    for (let i = 0; i < b; i++) for (let j = 0; j <= i; j++) a[(k + i) * n + k + j] = d[i * b + j];
  }
}

/** Copies the lower triangle onto the upper (mirror = true) or moves it there, zeroing the lower (transpose). */
function blockedMirror(a: Float64Array | Float32Array, n: number, move: boolean): void {
  const T = 64;
  for (let i0 = 0; i0 < n; i0 += T) {
    for (let j0 = 0; j0 <= i0; j0 += T) {
      const i1 = Math.min(i0 + T, n), j1 = Math.min(j0 + T, n);
      for (let i = i0; i < i1; i++) {
        const row = i * n;
        const jEnd = Math.min(j1, i);
        for (let j = j0; j < jEnd; j++) {
          a[j * n + i] = a[row + j];
          if (move) a[row + j] = 0;
        }
      }
    }
  }
}

/** P = Wᵀ W (lauum) for the lower-triangular W in the workspace, as a full symmetric matrix. */
async function gramOfLowerInverseWasm(ctx: Ctx): Promise<void> {
  const { ws, n, nb } = ctx;
  const a = ws.a, all = ws.all;
  blockedMirror(a, n, true); // U = Wᵀ in the upper triangle; P accumulates in the lower one.
  for (let l0 = 0; l0 < n; l0 += nb) {
    const c = Math.min(nb, n - l0);
    const l1 = l0 + c;
    for (let i = 0; i < l1; i++) {
      const pr = ws.panel + i * MAX_BLOCK - l0;
      const from = Math.max(l0, i);
      for (let l = l0; l < from; l++) all[pr + l] = 0;
      for (let l = from; l < l1; l++) all[pr + l] = a[i * n + l];
      if (i >= l0) a[i * n + i] = 0; // the diagonal now accumulates P[i][i]
    }
    await ctx.pool.run(syrkChunks(ctx, 0, l1, 0, c, MODE.add));
  }
  blockedMirror(a, n, false);
}

type Interrupted = (() => Promise<boolean>) | undefined;

async function withCtx(ws: Workspace, blockSize: number, threads: number, interrupted: Interrupted, body: (ctx: Ctx) => Promise<void>): Promise<void> {
  const nb = Math.max(4, Math.min(blockSize, MAX_BLOCK, ws.n));
  const pool = await KernelPool.open(ws, ws.n >= 4 * ROWS ? threads : 1, interrupted);
  try {
    await body({ ws, pool, n: ws.n, nb, s: ws.bytesPerElement });
  } finally {
    await pool.close();
  }
}

export function choleskyWasm(ws: Workspace, blockSize: number, threads: number, interrupted?: Interrupted): Promise<void> {
  return withCtx(ws, blockSize, threads, interrupted, factorWasm);
}

/** Seconds spent in each phase of the last invertSpdWasm call (for benchmarks). */
export let lastPhaseSeconds: { cholesky: number; triangularInverse: number; gram: number } | null = null;

export function invertSpdWasm(ws: Workspace, blockSize: number, threads: number, interrupted?: Interrupted): Promise<void> {
  return withCtx(ws, blockSize, threads, interrupted, async (ctx) => {
    const t0 = performance.now();
    await factorWasm(ctx);
    const t1 = performance.now();
    await invertLowerWasm(ctx);
    const t2 = performance.now();
    await gramOfLowerInverseWasm(ctx);
    lastPhaseSeconds = { cholesky: (t1 - t0) / 1000, triangularInverse: (t2 - t1) / 1000, gram: (performance.now() - t2) / 1000 };
  });
}
