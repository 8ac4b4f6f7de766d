import type { Csr, Dataset } from "../datasets/types";
import { prepareSplit, splitForRun } from "../experiments/prepare-data";
import { resolveFeedback } from "../experiments/run-experiment";
import { runConfigSchema } from "../experiments/run-config";
import { buildRerankContext } from "../fairness/context";
import { RERANK_CANDIDATES } from "../fairness/candidates";
import { createReranker } from "../fairness/registry";
import { topK } from "../metrics/top-k";
import { getModelDefinition } from "../models/registry";
import type { Recommender } from "../models/types";
import { variantOrigin } from "../storage/rerank-repository";
import { trainModel } from "../training/train-model";

/**
 * A finished run as an A/B arm. Runs keep their metrics and lists, not their fitted models, so
 * the model is refitted from the run's stored, fully resolved config (same dataset, split, seed
 * and early stopping on the same validation rows): the same model the run evaluated, as the
 * re-ranking and explanation paths also rebuild a run's split from its config. A re-ranked
 * variant is its base model with the variant's re-ranker applied to each user's top candidates.
 */
export interface RunArmModel {
  model: Recommender;
  /** The run's training matrix: items a user already has are never shown again. */
  train: Csr;
}

/** The run's model refitted, or null when `shouldStop` ended the fit (the job was cancelled). */
export async function refitRunModel(dataset: Dataset, storedConfig: unknown, shouldStop: () => boolean): Promise<RunArmModel | null> {
  const config = runConfigSchema.parse(storedConfig);
  const definition = getModelDefinition(config.modelId);
  const { split, refit } = splitForRun(dataset, config);
  const data = prepareSplit(dataset, split, resolveFeedback(config.feedback, definition, dataset));
  const trained = await trainModel({
    definition,
    params: config.params,
    data: data.train,
    validation: refit ? undefined : { truth: data.validation, exclude: [data.train.train] },
    monitor: config.monitor,
    ks: config.ks,
    evalEvery: config.evalEvery,
    patience: config.patience,
    seed: config.seed,
    shouldStop,
  });
  if (trained.cancelled) return null;
  const origin = variantOrigin(storedConfig as Record<string, unknown>);
  const known = [data.train.train, data.validation, data.test];
  const model = origin ? rerankedRecommender(trained.model, data.train.train, known, dataset, origin.rerankerId, { ...origin.params, lambda: origin.lambda }) : trained.model;
  return { model, train: data.train.train };
}

/**
 * The base model's scores with each user's top RERANK_CANDIDATES new items (none the user has
 * in the dataset: the simulated user already has them) re-ordered by the re-ranker: the
 * re-ranked list scores above every other item, in its order, so any top-K of the result is the
 * variant's list (as evaluateReranked ranks a variant).
 */
export function rerankedRecommender(base: Recommender, train: Csr, known: readonly Csr[], dataset: Pick<Dataset, "items">, rerankerId: string, params: Record<string, unknown>): Recommender {
  const rerank = createReranker(rerankerId, params, buildRerankContext(train, dataset.items));
  const numItems = train.numCols;
  const top = new Int32Array(RERANK_CANDIDATES);
  const reranked = new Int32Array(RERANK_CANDIDATES);
  const scores = new Float32Array(RERANK_CANDIDATES);
  return {
    fit: base.fit.bind(base),
    save: base.save.bind(base),
    load: base.load.bind(base),
    score(users, out) {
      base.score(users, out);
      for (let r = 0; r < users.length; r++) {
        const u = users[r];
        const row = out.subarray(r * numItems, (r + 1) * numItems);
        const history = u < train.numRows ? train.indices.subarray(train.indptr[u], train.indptr[u + 1]) : new Int32Array(0);
        const masked = Float32Array.from(row);
        for (const m of known) {
          if (u < m.numRows) for (let p = m.indptr[u]; p < m.indptr[u + 1]; p++) masked[m.indices[p]] = -Infinity;
        }
        const count = topK(masked, 0, numItems, RERANK_CANDIDATES, top);
        for (let i = 0; i < count; i++) scores[i] = masked[top[i]];
        const n = rerank({ items: top.subarray(0, count), scores: scores.subarray(0, count), history }, count, reranked);
        let ceiling = -Infinity;
        for (let i = 0; i < numItems; i++) if (row[i] > ceiling) ceiling = row[i];
        // Above the best base score, in re-ranked order.
        for (let i = 0; i < n; i++) row[reranked[i]] = ceiling + (n - i);
      }
    },
  };
}
