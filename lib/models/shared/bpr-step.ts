/** The sizes and penalties of one BPR-MF SGD update (lib/models/bpr.ts). */
export interface BprHyper {
  dim: number;
  numItems: number;
  useBias: boolean;
  reg: number;
  biasReg: number;
}

/**
 * One SGD update of BPR-MF on the triple (u, i, j) — ascent on ln σ(x̂_ui − x̂_uj) with L2 on the
 * touched rows — in place on the factor arrays; returns the triple's loss −ln σ(x̂_ui − x̂_uj).
 * Shared by the single-thread fit and the user-block threads (./bpr-parallel.ts).
 */
export function bprUpdate(h: BprHyper, p: Float32Array, q: Float32Array, bias: Float32Array, u: number, i: number, j: number, lr: number): number {
  const { dim, useBias, reg, biasReg } = h;
  const pu = u * dim, qi = i * dim, qj = j * dim;
  let x = useBias ? bias[i] - bias[j] : 0;
  for (let f = 0; f < dim; f++) x += p[pu + f] * (q[qi + f] - q[qj + f]);
  // g = σ(−x) = ∂ ln σ(x) / ∂x; loss is −ln σ(x) = ln(1 + e^−x).
  const g = 1 / (1 + Math.exp(x));
  for (let f = 0; f < dim; f++) {
    const puf = p[pu + f], qif = q[qi + f], qjf = q[qj + f];
    p[pu + f] += lr * (g * (qif - qjf) - reg * puf);
    q[qi + f] += lr * (g * puf - reg * qif);
    q[qj + f] += lr * (-g * puf - reg * qjf);
  }
  if (useBias) {
    bias[i] += lr * (g - biasReg * bias[i]);
    bias[j] += lr * (-g - biasReg * bias[j]);
  }
  return x > 0 ? Math.log1p(Math.exp(-x)) : -x + Math.log1p(Math.exp(x));
}
