import type { Slate, SlatePolicy, SlotOutcome, Visit } from "../../simulation/types";
import { Rng } from "../../util/rng";
import { ContextFeatures, type ItemFeatures } from "./item-features";
import { RidgeRegression } from "./ridge";
import { HistoryMask, topItems } from "./slate";

export interface LinearBanditOptions {
  features: ItemFeatures;
  /** Ridge penalty λ (the prior precision of θ). */
  lambda: number;
  /** How many of the most recent history items form the user context. */
  historyWindow: number;
  seed: number;
}

/**
 * A linear bandit over φ(user history, item) (ContextFeatures) with ONE θ shared by every item —
 * so what it learns from one item's clicks transfers to items with similar vectors. The slate is
 * the K items of highest index (LinUCB: upper confidence bound; Thompson: sampled score), best
 * at the top. It learns from the examined slots only: a click there is reward 1, no click 0,
 * which estimates attraction free of position bias (the simulator logs examination).
 */
abstract class LinearBandit implements SlatePolicy {
  protected readonly context: ContextFeatures;
  protected readonly ridge: RidgeRegression;
  protected readonly theta: Float64Array;
  protected readonly phi: Float64Array;
  protected readonly rng: Rng;
  private readonly mask: HistoryMask;
  private readonly scores: Float64Array;

  constructor(o: LinearBanditOptions) {
    this.context = new ContextFeatures(o.features, o.historyWindow);
    this.ridge = new RidgeRegression(this.context.length, o.lambda);
    this.theta = new Float64Array(this.context.length);
    this.phi = new Float64Array(this.context.length);
    this.rng = new Rng(o.seed);
    this.mask = new HistoryMask(o.features.numItems);
    this.scores = new Float64Array(o.features.numItems);
  }

  /** Prepares this visit's θ (the posterior mean, or a posterior draw). */
  protected abstract chooseTheta(): void;
  /** Weight of the confidence width √(φᵀA⁻¹φ) in the score (0 for Thompson sampling). */
  protected abstract readonly widthWeight: number;

  recommend(visit: Visit, k: number): Slate {
    this.context.setHistory(visit.history);
    this.chooseTheta();
    // Score in the item's base space ψ (φ = Tψ, see ContextFeatures): θ·φ = (Tᵀθ)·ψ and
    // φᵀA⁻¹φ = ψᵀ(TᵀA⁻¹T)ψ, so each item costs (d + 2)² instead of (2d + 2)².
    const m = this.context.features.dim + 2;
    const w = this.context.interactionWeights(new Float64Array(m));
    const theta = new Float64Array(m);
    for (let p = 0; p < m; p++) theta[p] = this.theta[p] + w[p] * (this.theta[p + m - 2] ?? 0);
    const cov = this.widthWeight > 0 ? this.foldedCovariance(w, m) : null;
    const psi = new Float64Array(m);
    const { scores } = this;
    for (let item = 0; item < scores.length; item++) {
      this.context.base(item, psi);
      let s = 0;
      for (let p = 0; p < m; p++) s += theta[p] * psi[p];
      if (cov) s += this.widthWeight * Math.sqrt(Math.max(0, quadratic(cov, psi, m)));
      scores[item] = s;
    }
    return { items: this.mask.with(visit.history, (excluded) => topItems(scores, excluded, k)) };
  }

  /** TᵀA⁻¹T, using that column p of T has 1 at row p and w_p at row p + d (w_0 = w_1 = 0). */
  private foldedCovariance(w: Float64Array, m: number): Float64Array {
    const n = this.ridge.dim, inv = this.ridge.aInv, d = m - 2;
    const g = new Float64Array(m * m);
    for (let p = 0; p < m; p++) {
      for (let q = 0; q < m; q++) {
        let v = inv[p * n + q];
        if (w[q] !== 0) v += w[q] * inv[p * n + q + d];
        if (w[p] !== 0) v += w[p] * inv[(p + d) * n + q];
        if (w[p] !== 0 && w[q] !== 0) v += w[p] * w[q] * inv[(p + d) * n + q + d];
        g[p * m + q] = v;
      }
    }
    return g;
  }

  observe(visit: Visit, slate: Slate, outcomes: readonly SlotOutcome[]): void {
    this.context.setHistory(visit.history);
    outcomes.forEach((outcome, slot) => {
      if (!outcome.examined) return;
      this.ridge.update(this.context.fill(slate.items[slot], this.phi), outcome.clicked ? 1 : 0);
    });
  }
}

/**
 * LinUCB (Li, Chu, Langford & Schapire, WWW 2010) in its shared-parameter form: the shared part
 * of the paper's hybrid model (Algorithm 2) without per-arm coefficients, i.e. score =
 * θ̂·φ + α √(φᵀA⁻¹φ). Deterministic given its history, so slates carry no propensities.
 */
export class LinUcbPolicy extends LinearBandit {
  protected readonly widthWeight: number;

  constructor(o: LinearBanditOptions, alpha: number) {
    super(o);
    this.widthWeight = alpha;
  }

  protected chooseTheta(): void {
    this.ridge.mean(this.theta);
  }

}

/**
 * Linear Thompson sampling (Agrawal & Goyal, ICML 2013): Bayesian linear regression with a
 * Gaussian prior N(0, λ⁻¹I); each visit draws one θ̃ ~ N(θ̂, v²A⁻¹) and shows the K items of
 * highest θ̃·φ. Stochastic, but its position-wise propensities have no closed form, so slates
 * carry none (off-policy estimators cannot use its logs).
 */
export class LinearThompsonPolicy extends LinearBandit {
  constructor(
    o: LinearBanditOptions,
    private readonly scale: number,
  ) {
    super(o);
  }

  protected chooseTheta(): void {
    this.ridge.sample(this.scale, () => this.rng.normal(), this.theta);
  }

  protected readonly widthWeight = 0;
}

/** ψᵀ G ψ for a dense m × m matrix G. */
function quadratic(g: Float64Array, psi: Float64Array, m: number): number {
  let total = 0;
  for (let p = 0; p < m; p++) {
    let s = 0;
    for (let q = 0; q < m; q++) s += g[p * m + q] * psi[q];
    total += psi[p] * s;
  }
  return total;
}
