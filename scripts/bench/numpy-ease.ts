import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Csr } from "../../lib/datasets/types";

/** What scripts/bench-linalg-numpy.py prints: refs/ref_ranking.py's EASE formula, timed by step. */
export interface NumpyResult {
  gram_s: number;
  inv_s: number;
  b_s: number;
  solve_s: number;
  fit_s: number;
  numpy: string;
  blas: string;
  dtype: string;
  inverse?: string;
}

/** np.linalg.inv (ref_ranking.py's call; 4 n × n matrices) or scipy.linalg.inv in place (1). */
export type NumpyInverse = "numpy" | "scipy-inplace";

/**
 * numpy's EASE fit on `x` in a child python3 (writes x to `dir`, reads sampled rows of B back
 * from dir/numpy-rows.f64). `openblasCoretype` pins OpenBLAS's kernels (e.g. "Haswell");
 * unset, OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are removed so OpenBLAS picks its own.
 */
export function runNumpyEase(dir: string, x: Csr, lambda: number, dtype: string, sampleRows: number[], openblasCoretype?: string, inverse: NumpyInverse = "numpy"): NumpyResult {
  writeFileSync(path.join(dir, "meta.json"), JSON.stringify({ users: x.numRows, items: x.numCols, lambda, numpyDtype: dtype, sampleRows, inverse }));
  writeFileSync(path.join(dir, "indptr.i32"), Buffer.from(x.indptr.buffer, x.indptr.byteOffset, x.indptr.byteLength));
  writeFileSync(path.join(dir, "indices.i32"), Buffer.from(x.indices.buffer, x.indices.byteOffset, x.indices.byteLength));
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  if (openblasCoretype) env.OPENBLAS_CORETYPE = openblasCoretype;
  const script = fileURLToPath(new URL("../bench-linalg-numpy.py", import.meta.url));
  const r = spawnSync("python3", [script, dir], { env, encoding: "utf8", maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`numpy side failed (${r.status ?? r.signal}): ${r.stderr.slice(-2000)}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as NumpyResult;
}
