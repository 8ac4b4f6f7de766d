import path from "node:path";
import { importDataset } from "../../lib/datasets/import";
import { splitDataset } from "../../lib/datasets/splits";
import type { Csr, Dataset } from "../../lib/datasets/types";
import { prepareSplit } from "../../lib/experiments/prepare-data";
import { topCandidates, type CandidateLists } from "../../lib/fairness/candidates";
import { buildRerankContext } from "../../lib/fairness/context";
import type { RerankContext } from "../../lib/fairness/rerank-base";
import { easeDefinition } from "../../lib/models/ease";

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
