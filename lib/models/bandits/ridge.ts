import { choleskyUnblocked } from "../linalg/cholesky";

/**
 * Online Bayesian ridge regression r ≈ θ·φ shared by LinUCB and linear Thompson sampling:
 * A = λI + Σ φφᵀ, b = Σ r φ, with A⁻¹ kept current by Sherman–Morrison (O(D²) per observation).
 * Float64 throughout; A itself is kept too so a posterior sample factors it fresh.
 */
export class RidgeRegression {
  readonly a: Float64Array;
  readonly aInv: Float64Array;
  readonly b: Float64Array;
  private readonly scratch: Float64Array;
  observations = 0;

  constructor(
    readonly dim: number,
    lambda: number,
  ) {
    this.a = new Float64Array(dim * dim);
    this.aInv = new Float64Array(dim * dim);
    for (let i = 0; i < dim; i++) {
      this.a[i * dim + i] = lambda;
      this.aInv[i * dim + i] = 1 / lambda;
    }
    this.b = new Float64Array(dim);
    this.scratch = new Float64Array(dim);
  }

  update(phi: Float64Array, reward: number): void {
    const { dim: n, a, aInv, b, scratch: u } = this;
    for (let i = 0; i < n; i++) {
      b[i] += reward * phi[i];
      for (let j = 0; j < n; j++) a[i * n + j] += phi[i] * phi[j];
    }
    // (A + φφᵀ)⁻¹ = A⁻¹ − (A⁻¹φ)(A⁻¹φ)ᵀ / (1 + φᵀA⁻¹φ); A⁻¹ is symmetric.
    let denom = 1;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += aInv[i * n + j] * phi[j];
      u[i] = s;
      denom += phi[i] * s;
    }
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) aInv[i * n + j] -= (u[i] * u[j]) / denom;
    this.observations++;
  }

  /** θ̂ = A⁻¹ b. */
  mean(out: Float64Array): Float64Array {
    const { dim: n, aInv, b } = this;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += aInv[i * n + j] * b[j];
      out[i] = s;
    }
    return out;
  }

  /**
   * A draw from N(θ̂, scale² A⁻¹): with A = LLᵀ, θ̂ + scale · L⁻ᵀ z has covariance
   * scale² (LLᵀ)⁻¹. `normals` supplies the D standard-normal draws z.
   */
  sample(scale: number, normals: () => number, out: Float64Array): Float64Array {
    const n = this.dim;
    const l = this.a.slice();
    choleskyUnblocked(l, n);
    const z = new Float64Array(n);
    for (let i = 0; i < n; i++) z[i] = normals();
    // Back substitution Lᵀ w = z.
    for (let i = n - 1; i >= 0; i--) {
      let s = z[i];
      for (let p = i + 1; p < n; p++) s -= l[p * n + i] * z[p];
      z[i] = s / l[i * n + i];
    }
    this.mean(out);
    for (let i = 0; i < n; i++) out[i] += scale * z[i];
    return out;
  }
}
