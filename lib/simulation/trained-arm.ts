import type { Csr, Dataset } from "../datasets/types";
import { prepareSplit, splitForRun } from "../experiments/prepare-data";
import { resolveRunConfig, runExperiment } from "../experiments/run-experiment";
import type { Recommender } from "../models/types";

export interface TrainedArm {
  modelId: string;
  model: Recommender;
  /** The run's training interactions (what the arm never shows a user again). */
  train: Csr;
  /** Offline NDCG@10 on the run's test part. */
  ndcg10: number;
}

/**
 * Trains a registered model with the ordinary run pipeline (random 80/10/10 split, validation
 * early stopping) and returns it with its offline NDCG@10, ready for policyFromRecommender: how
 * the tests and the simulation benchmark compare simulated CTR with offline accuracy.
 */
export async function trainArm(dataset: Dataset, modelId: string, params: Record<string, unknown>, seed: number): Promise<TrainedArm> {
  const config = resolveRunConfig({ modelId, params, split: { kind: "random", ratios: [0.8, 0.1, 0.1], seed }, feedback: "implicit", ks: [10], seed, patience: 3 });
  const run = await runExperiment(dataset, config);
  const train = prepareSplit(dataset, splitForRun(dataset, config).split, "implicit").train.train;
  return { modelId, model: run.model, train, ndcg10: run.test.summary["ndcg@10"] };
}
