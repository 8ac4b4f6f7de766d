import path from "node:path";
import { importDataset } from "../../lib/datasets/import";
import { splitDataset } from "../../lib/datasets/splits";
import type { Csr, Dataset } from "../../lib/datasets/types";
import { prepareSplit } from "../../lib/experiments/prepare-data";
import { topCandidates, type CandidateLists } from "../../lib/fairness/candidates";
import { buildRerankContext } from "../../lib/fairness/context";
import type { RerankContext } from "../../lib/fairness/rerank-base";
import { easeDefinition } from "../../lib/models/ease";

/** The λ of refs/README.md's re-ranking table. */
export const REFERENCE_LAMBDAS = [0, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9];

/**
 * refs/README.md, "Re-ranking definitions" (refs/ref_rerank.py: EASE λ=500, C = 100, K = 10),
 * per re-ranker id: NDCG@10 and the metric it trades for, at REFERENCE_LAMBDAS.
 */
export const REFERENCE_CURVES: Record<string, { ndcg: number[] } & Partial<Record<"ild" | "kl" | "aplt", number[]>>> = {
  mmr: { ndcg: [0.3372, 0.3355, 0.3307, 0.325, 0.2985, 0.2706, 0.2469], ild: [0.7318, 0.7485, 0.7691, 0.796, 0.8667, 0.8965, 0.9079] },
  calibrated: { ndcg: [0.3372, 0.3383, 0.3355, 0.3276, 0.2946, 0.2608, 0.208], kl: [0.6745, 0.613, 0.5643, 0.5107, 0.4009, 0.2862, 0.1515] },
  xquad: { ndcg: [0.3372, 0.3382, 0.3383, 0.3353, 0.3262, 0.3213, 0.3193], aplt: [0.3899, 0.3933, 0.3945, 0.3949, 0.395, 0.3949, 0.3945] },
};

/** Everything a re-ranking sweep reads: refs/ref_rerank.py's setting, rebuilt in RecLab. */
export interface RerankBench {
  ctx: RerankContext;
  candidates: CandidateLists;
  /** Training interactions (the users' histories). */
  history: Csr;
  truth: Csr;
  k: number;
  /** EASE fit and candidate generation. */
  baseSeconds: number;
}

export interface RerankBenchOptions {
  k?: number;
  /** Candidates per user (C). */
  size?: number;
  seed?: number;
  easeLambda?: number;
}

/**
 * refs/ref_rerank.py's base ranking on MovieLens 100K: the seed-42 NumPy split of
 * ref_ranking.py, implicit feedback, EASE λ = 500, every test user's top C with train +
 * validation masked. Items are renumbered by numeric id (the reference's np.unique order, so
 * "ties: lower index first" means the same items), and an item whose only u.item genre flag is
 * "unknown" (which RecLab's reader drops) gets the genre "unknown" back, as in the reference's
 * 19 flags.
 */
export async function prepareRerankBench(dir: string, options: RerankBenchOptions = {}): Promise<RerankBench> {
  const { k = 10, size = 100, seed = 42, easeLambda = 500 } = options;
  const { dataset: imported } = await importDataset({
    format: "movielens-100k",
    files: { ratings: path.join(dir, "u.data"), items: path.join(dir, "u.item") },
  });
  const dataset = byNumericItemId(imported);
  const started = performance.now();
  const split = splitDataset(dataset.table, dataset.numUsers, { kind: "random", ratios: [0.8, 0.1, 0.1], seed, shuffle: "numpy" });
  const data = prepareSplit(dataset, split, "implicit");
  const params = easeDefinition.paramsSchema.parse({ lambdaSearch: "off", lambda: easeLambda, solver: "primal", precision: "float64" });
  const model = easeDefinition.create(params, dataset.numUsers, dataset.numItems);
  await model.fit(data.train, { seed });
  const users: number[] = [];
  for (let u = 0; u < dataset.numUsers; u++) if (data.test.indptr[u + 1] > data.test.indptr[u]) users.push(u);
  const candidates = topCandidates((us, out) => model.score(us, out), Int32Array.from(users), dataset.numItems, [data.train.train, data.validation], size);
  const baseSeconds = (performance.now() - started) / 1000;
  const genres = dataset.items?.genres?.map((g) => (g.length > 0 ? g : ["unknown"]));
  const ctx = buildRerankContext(data.train.train, genres ? { genres } : undefined);
  return { ctx, candidates, history: data.train.train, truth: data.test, k, baseSeconds };
}

/** The same dataset with items renumbered in ascending numeric id order. */
function byNumericItemId(dataset: Dataset): Dataset {
  const order = dataset.itemIds.map((_, i) => i).sort((a, b) => Number(dataset.itemIds[a]) - Number(dataset.itemIds[b]));
  const rank = new Int32Array(dataset.numItems);
  order.forEach((old, r) => (rank[old] = r));
  const genres = dataset.items?.genres;
  return {
    ...dataset,
    table: { ...dataset.table, items: dataset.table.items.map((i) => rank[i]) },
    itemIds: order.map((old) => dataset.itemIds[old]),
    ...(genres ? { items: { ...dataset.items, genres: order.map((old) => genres[old]) } } : {}),
  };
}
