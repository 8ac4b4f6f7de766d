import { AppError } from "../../errors";

/** Small float64 diagonal-block routines shared by the JavaScript and WebAssembly blocked paths. */

/** Thrown when a pivot is not positive: the matrix is not (numerically) positive definite. */
export function notPositiveDefinite(index: number, pivot: number): AppError {
  return new AppError(
    "BAD_INPUT",
    `matrix is not positive definite: pivot ${index} is ${pivot.toPrecision(4)} (must be > 0); add a larger ridge (regularisation) to its diagonal`,
    { pivot: index, value: pivot },
  );
}

/** Unblocked Cholesky (lower, in place) of a packed row-major b × b float64 block; `offset` numbers pivots in errors. */
export function factorDiagonalBlock(d: Float64Array, b: number, offset: number): void {
  for (let j = 0; j < b; j++) {
    const rj = j * b;
    let s = d[rj + j];
    for (let p = 0; p < j; p++) s -= d[rj + p] * d[rj + p];
    if (!(s > 0)) throw notPositiveDefinite(offset + j, s);
    const ljj = Math.sqrt(s);
    d[rj + j] = ljj;
    for (let i = j + 1; i < b; i++) {
      const ri = i * b;
      let t = d[ri + j];
      for (let p = 0; p < j; p++) t -= d[ri + p] * d[rj + p];
      d[ri + j] = t / ljj;
    }
  }
}

/** In-place inverse of a packed lower-triangular b × b block (float64). */
export function invertLowerBlock(d: Float64Array, b: number): void {
  for (let j = 0; j < b; j++) {
    d[j * b + j] = 1 / d[j * b + j];
    for (let i = j + 1; i < b; i++) {
      let s = 0;
      for (let p = j; p < i; p++) s += d[i * b + p] * d[p * b + j];
      d[i * b + j] = -s / d[i * b + i];
    }
  }
}
