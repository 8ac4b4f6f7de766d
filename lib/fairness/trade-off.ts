import type { Csr } from "../datasets/types";
import type { CandidateLists } from "./candidates";
import { calibrationKl, genreCosine, genreProfile } from "./genres";
import { rerankAll, type RerankedLists } from "./registry";
import type { RerankContext } from "./rerank-base";

/**
 * One point of a re-ranker's trade-off curve: λ, accuracy of the re-ranked lists and what was
 * bought with it, in refs/ref_rerank.py's terms (items without genres have zero genre vectors).
 * The reference-conformance measure of the library and its benchmark; sweeps of runs
 * (./rerank-run.ts) measure re-ranked lists with the evaluator instead, as runs are measured.
 */
export interface TradeOffPoint {
  lambda: number;
  accuracy: { ndcg: number };
  beyond: { ild?: number; aplt?: number; kl?: number };
  /** Wall time of re-ranking every user at this λ. */
  seconds: number;
}

/**
 * Mean over the users of `lists` with at least one `truth` item (others are skipped):
 * - ndcg: NDCG@K with binary gains, IDCG over min(|truth|, K) hits;
 * - ild: mean over the list's pairs of 1 − cos(g_a, g_b) (needs genres; lists under 2 items skipped);
 * - aplt: |L ∩ tail| / K (needs long-tail membership);
 * - kl: KL(p_u ‖ 0.99·q_L + 0.01·p_u), p_u over the user's `history` (needs genres).
 */
export function listMetrics(lists: RerankedLists, truth: Csr, history: Csr, ctx: RerankContext): TradeOffPoint["beyond"] & { ndcg: number } {
  const { k, users, counts, items } = lists;
  const { genres, tail } = ctx;
  const marker = new Int32Array(ctx.numItems).fill(-1);
  const numGenres = genres?.numGenres ?? 0;
  const pu = new Float64Array(numGenres);
  const q = new Float64Array(numGenres);
  let n = 0, ndcg = 0, ild = 0, ildUsers = 0, aplt = 0, kl = 0;
  for (let r = 0; r < users.length; r++) {
    const u = users[r];
    const relevant = u < truth.numRows ? truth.indptr[u + 1] - truth.indptr[u] : 0;
    if (relevant === 0) continue;
    n++;
    for (let p = truth.indptr[u]; p < truth.indptr[u + 1]; p++) marker[truth.indices[p]] = r;
    const list = items.subarray(r * k, r * k + counts[r]);
    let dcg = 0, idcg = 0;
    for (let i = 0; i < list.length; i++) if (marker[list[i]] === r) dcg += 1 / Math.log2(i + 2);
    for (let i = 0; i < Math.min(relevant, k); i++) idcg += 1 / Math.log2(i + 2);
    ndcg += dcg / idcg;
    if (tail) {
      let t = 0;
      for (let i = 0; i < list.length; i++) t += tail[list[i]];
      aplt += t / k;
    }
    if (genres) {
      if (list.length >= 2) {
        let sum = 0;
        for (let a = 0; a < list.length; a++) for (let b = a + 1; b < list.length; b++) sum += 1 - genreCosine(genres, list[a], list[b]);
        ild += sum / ((list.length * (list.length - 1)) / 2);
        ildUsers++;
      }
      const h = history.indices.subarray(history.indptr[u], history.indptr[u + 1]);
      genreProfile(genres, h, h.length, pu);
      genreProfile(genres, list, list.length, q);
      kl += calibrationKl(pu, q, numGenres);
    }
  }
  return {
    ndcg: ndcg / n,
    ...(tail ? { aplt: aplt / n } : {}),
    ...(genres ? { ild: ild / ildUsers, kl: kl / n } : {}),
  };
}

/** The trade-off curve of one re-ranker: re-rank every user at each λ and measure the lists. */
export function tradeOffCurve(
  id: string,
  lambdas: readonly number[],
  input: { ctx: RerankContext; candidates: CandidateLists; history: Csr; truth: Csr; k: number; params?: Record<string, unknown> },
): TradeOffPoint[] {
  return lambdas.map((lambda) => {
    const started = performance.now();
    const lists = rerankAll(id, { ...input.params, lambda }, input.ctx, input.candidates, input.history, input.k);
    const seconds = (performance.now() - started) / 1000;
    const { ndcg, ...beyond } = listMetrics(lists, input.truth, input.history, input.ctx);
    return { lambda, accuracy: { ndcg }, beyond, seconds };
  });
}
