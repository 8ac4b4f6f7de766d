import { buildCsr } from "../../datasets/csr";
import type { Csr } from "../../datasets/types";
import { Rng } from "../../util/rng";
import { fromVectors, historyMean, type ItemFeatures } from "./item-features";
import type { GroundTruth } from "./online-loop";

/**
 * A seeded linear contextual environment for the bandit tests and `bench:bandits --env synthetic`:
 * items carry true vectors x_a (N(0, I/d), rescaled as the bandits' features are), each user a
 * fixed history of `historyLength` items drawn towards a hidden taste (Gumbel top-k of 4·τ·x_a),
 * and the click probability once examined is
 *   attraction(u, a) = clamp(0.25 + 0.3 · w·x_a + 0.6 · h_u·x_a, 0.01, 0.95)
 * with h_u the mean vector of u's history: linear in the bandits' φ(h, a), so LinUCB and
 * Thompson sampling are well specified (up to the clamp). Examination is position-based,
 * 1 / (k + 1) at 0-based position k.
 */
export interface SyntheticWorld {
  env: GroundTruth;
  /** The true item vectors as bandit features (the tests' "item features"). */
  features: ItemFeatures;
  histories: Csr;
}

export interface SyntheticOptions {
  numItems?: number;
  numUsers?: number;
  dim?: number;
  historyLength?: number;
  seed: number;
}

export function syntheticWorld(o: SyntheticOptions): SyntheticWorld {
  const numItems = o.numItems ?? 200, numUsers = o.numUsers ?? 50, dim = o.dim ?? 8, historyLength = o.historyLength ?? 10;
  const rng = new Rng(o.seed);
  const raw = Float32Array.from({ length: numItems * dim }, () => rng.normal() / Math.sqrt(dim));
  const w = unit(Float64Array.from({ length: dim }, () => rng.normal()));
  const rows: number[] = [], cols: number[] = [];
  for (let u = 0; u < numUsers; u++) {
    const taste = Float64Array.from({ length: dim }, () => rng.normal());
    const keys = Array.from({ length: numItems }, (_, a) => {
      let s = 0;
      for (let f = 0; f < dim; f++) s += taste[f] * raw[a * dim + f];
      return { a, key: 4 * s - Math.log(-Math.log(rng.next() || 1e-12)) };
    });
    keys.sort((p, q) => q.key - p.key);
    for (const { a } of keys.slice(0, historyLength)) {
      rows.push(u);
      cols.push(a);
    }
  }
  const histories = buildCsr(numUsers, numItems, Int32Array.from(rows), Int32Array.from(cols));
  const counts = new Float64Array(numItems);
  for (const a of cols) counts[a]++;
  const features = fromVectors(raw, dim, counts);
  const x = features.vectors;
  const attraction = new Float64Array(numUsers * numItems);
  const h = new Float64Array(dim);
  for (let u = 0; u < numUsers; u++) {
    historyMean(features, histories.indices.subarray(histories.indptr[u], histories.indptr[u + 1]), historyLength, h);
    for (let a = 0; a < numItems; a++) {
      let wx = 0, hx = 0;
      for (let f = 0; f < dim; f++) {
        wx += w[f] * x[a * dim + f];
        hx += h[f] * x[a * dim + f];
      }
      attraction[u * numItems + a] = Math.min(0.95, Math.max(0.01, 0.25 + 0.3 * wx + 0.6 * hx));
    }
  }
  const env: GroundTruth = {
    numUsers,
    numItems,
    attraction: (user, items) => Float64Array.from(items, (a) => attraction[user * numItems + a]),
    examination: (k) => Float64Array.from({ length: k }, (_, i) => 1 / (i + 1)),
  };
  return { env, features, histories };
}

function unit(v: Float64Array): Float64Array {
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}
