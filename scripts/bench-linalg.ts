/**
 * EASE's primal fit (Gram matrix → blocked Cholesky inverse → B) beside numpy's formula from
 * refs/ref_ranking.py on the same interaction matrix, per catalogue size.
 *
 *   npm run bench:linalg                                  # 5,000, 10,000 and 27,000 items
 *   npm run bench:linalg -- --items 5000 --threads 2      # quick
 *   npm run bench:linalg -- --items 27000 --numpy-dtype float32   # when RAM is short (see below)
 *   npm run bench:linalg -- --items 27000 --numpy-dtype float32 --numpy-coretype Haswell --numpy-inverse scipy-inplace
 *
 * Synthetic data: users = 5 × items, each with a log-normal number of interactions around
 * --per-user (default 40), items drawn with Zipf(1) popularity (a long tail). Sizes run one at a
 * time, numpy first in a child process, then RecLab (OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE unset
 * so OpenBLAS picks its best kernels; both cores). numpy's formula holds 4 float64 matrices at
 * once (27,000 items: 23 GB, more than this 23 GB machine has free: use --numpy-dtype float32), so the script refuses to start it without that much free memory.
 * Results go to bench-results/linalg-<date>.json and stdout.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, freemem, tmpdir } from "node:os";
import path from "node:path";
import { z } from "zod";
import { buildCsr } from "../lib/datasets/csr";
import type { Csr } from "../lib/datasets/types";
import { primalWeights, FLOAT64_MAX_ITEMS, type PrimalTimings } from "../lib/models/ease/solvers";
import { lastPhaseSeconds } from "../lib/models/linalg/wasm-spd";
import { Rng } from "../lib/util/rng";
import { runNumpyEase, type NumpyResult } from "./bench/numpy-ease";

const argsSchema = z.object({
  items: z.array(z.number().int().min(100).max(50_000)).default([5000, 10_000, 27_000]),
  perUser: z.number().min(2).max(2000).default(40),
  lambda: z.number().positive().default(250),
  threads: z.number().int().min(1).max(64).default(cpus().length),
  precision: z.enum(["auto", "float32", "float64"]).default("auto"),
  numpyDtype: z.enum(["float64", "float32"]).default("float64"),
  /** Pins numpy's OpenBLAS kernels (e.g. Haswell: its AVX-512 kernels crashed at 27,000 items here). */
  numpyCoretype: z.string().regex(/^[A-Za-z0-9]+$/).optional(),
  /** scipy-inplace: the same inverse holding one matrix (27,000 items: np.linalg.inv's four were OOM-killed). */
  numpyInverse: z.enum(["numpy", "scipy-inplace"]).default("numpy"),
  numpy: z.boolean().default(true),
  /** false: numpy only (when both sides do not fit in RAM one after the other in one process). */
  reclab: z.boolean().default(true),
  out: z.string().optional(),
});

function parseArgs(argv: string[]) {
  const raw: Record<string, unknown> = {};
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i];
    const value = argv[i + 1];
    if (key === "--no-numpy") raw.numpy = false;
    else if (key === "--no-reclab") raw.reclab = false;
    else if (key === "--items") (raw.items = value.split(",").map(Number)), i++;
    else if (key === "--per-user") (raw.perUser = Number(value)), i++;
    else if (key === "--lambda") (raw.lambda = Number(value)), i++;
    else if (key === "--threads") (raw.threads = Number(value)), i++;
    else if (key === "--precision") (raw.precision = value), i++;
    else if (key === "--numpy-dtype") (raw.numpyDtype = value), i++;
    else if (key === "--numpy-coretype") (raw.numpyCoretype = value), i++;
    else if (key === "--numpy-inverse") (raw.numpyInverse = value), i++;
    else if (key === "--out") (raw.out = value), i++;
    else throw new Error(`unknown argument ${key}`);
  }
  return argsSchema.parse(raw);
}

/** Users × items implicit matrix with Zipf item popularity and log-normal user activity. */
function syntheticInteractions(numItems: number, perUser: number, seed: number): Csr {
  const rng = new Rng(seed);
  const numUsers = 5 * numItems;
  const cumulative = new Float64Array(numItems);
  let total = 0;
  for (let i = 0; i < numItems; i++) cumulative[i] = total += 1 / (i + 1);
  // Popularity rank → item id, shuffled so popular items are spread over the matrix.
  const id = Int32Array.from({ length: numItems }, (_, i) => i);
  for (let i = numItems - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [id[i], id[j]] = [id[j], id[i]];
  }
  const rows: number[] = [];
  const cols: number[] = [];
  const seen = new Int32Array(numItems).fill(-1);
  const sigma = 1;
  for (let u = 0; u < numUsers; u++) {
    const want = Math.min(Math.floor(numItems / 2), Math.max(2, Math.round(perUser * Math.exp(sigma * rng.normal() - (sigma * sigma) / 2))));
    for (let got = 0; got < want; ) {
      const x = rng.next() * total;
      let lo = 0, hi = numItems - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cumulative[mid] < x) lo = mid + 1;
        else hi = mid;
      }
      const item = id[lo];
      if (seen[item] === u) continue;
      seen[item] = u;
      rows.push(u);
      cols.push(item);
      got++;
    }
  }
  return buildCsr(numUsers, numItems, Int32Array.from(rows), Int32Array.from(cols));
}

function loadAverage(): string {
  try {
    return readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  } catch {
    return "?";
  }
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const results: Record<string, unknown>[] = [];
  const machine = { nproc: cpus().length, cpu: cpus()[0]?.model ?? "?", node: process.version, date: new Date().toISOString() };
  console.log(`bench-linalg ${machine.date} · ${machine.nproc} cores · ${machine.cpu} · Node ${machine.node}`);
  for (const n of args.items) {
    const x = syntheticInteractions(n, args.perUser, 42);
    const nnz = x.indptr[x.numRows];
    const type = args.precision === "auto" ? (n <= FLOAT64_MAX_ITEMS ? "float64" : "float32") : args.precision;
    const sampleRows = Array.from({ length: 8 }, (_, k) => Math.floor((k * n) / 8));
    const row: Record<string, unknown> = { items: n, users: x.numRows, interactions: nnz, lambda: args.lambda, threads: args.threads, loadBefore: loadAverage() };
    console.log(`\n${n} items, ${x.numRows} users, ${nnz} interactions`);
    // numpy first, while this process holds no n × n matrix (at 27,000 items numpy alone needs 23 GB in float64).
    let np: NumpyResult | null = null;
    let theirs: Float64Array | null = null;
    if (args.numpy) {
      // np.linalg.inv holds G, its work copy, the identity right-hand side and the result: 4 matrices
      // (scipy in place: G, and the dense copy of the sparse Gram while it is made).
      const need = (args.numpyInverse === "numpy" ? 4 : 2) * n * n * (args.numpyDtype === "float64" ? 8 : 4);
      if (freemem() < need * 1.05) {
        row.numpy = `skipped: needs ${(need / 1e9).toFixed(1)} GB free, ${(freemem() / 1e9).toFixed(1)} GB available (try --numpy-dtype float32)`;
        console.log(`numpy ${row.numpy}`);
      } else {
        const dir = mkdtempSync(path.join(tmpdir(), "bench-linalg-"));
        try {
          np = runNumpyEase(dir, x, args.lambda, args.numpyDtype, sampleRows, args.numpyCoretype, args.numpyInverse);
          theirs = new Float64Array(readFileSync(path.join(dir, "numpy-rows.f64")).buffer.slice(0));
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
        row.numpy = np;
        console.log(`numpy (${np.dtype}, ${np.blas}): fit ${np.fit_s.toFixed(1)} s (Gram ${np.gram_s.toFixed(1)}, inv ${np.inv_s.toFixed(1)}, B ${np.b_s.toFixed(1)})`);
      }
    }
    if (args.reclab) {
      const steps: PrimalTimings = { gramS: NaN, inverseS: NaN, weightsS: NaN };
      const t0 = performance.now();
      const b = await primalWeights(x, args.lambda, args.precision, { threads: args.threads }, steps);
      const fitS = (performance.now() - t0) / 1000;
      const solveS = steps.inverseS + steps.weightsS; // inverse → B, as numpy's solve_s
      row.reclab = { type, fitS, solveS, steps, phases: lastPhaseSeconds };
      console.log(
        `RecLab (${type}, ${args.threads} threads): fit ${fitS.toFixed(1)} s (Gram ${steps.gramS.toFixed(1)}, inverse ${steps.inverseS.toFixed(1)}, B ${steps.weightsS.toFixed(1)}) ${JSON.stringify(lastPhaseSeconds)}`,
      );
      if (np && theirs) {
        let maxDiff = 0, maxAbs = 0;
        sampleRows.forEach((r, k) => {
          for (let j = 0; j < n; j++) {
            maxDiff = Math.max(maxDiff, Math.abs(theirs![k * n + j] - b[r * n + j]));
            maxAbs = Math.max(maxAbs, Math.abs(theirs![k * n + j]));
          }
        });
        row.ratioFit = fitS / np.fit_s;
        row.ratioSolve = solveS / np.solve_s;
        row.bMaxAbsDiffRelative = maxDiff / maxAbs;
        console.log(`→ RecLab/numpy fit ${(fitS / np.fit_s).toFixed(2)}×, inverse→B ${(solveS / np.solve_s).toFixed(2)}× · B max |Δ| / max |B| = ${(maxDiff / maxAbs).toExponential(2)}`);
      }
    }
    row.loadAfter = loadAverage();
    results.push(row);
  }
  const out = args.out ?? path.join("bench-results", `linalg-${machine.date.slice(0, 10)}.json`);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ machine, args, results }, null, 2));
  console.log(`\nwrote ${out}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
