import "server-only";
import type { Principal } from "../auth/principal";
import { describeSplit, type SplitConfig } from "../datasets/splits";
import { AppError } from "../errors";
import type { BiasReport } from "../fairness/bias-report";
import { getModelDefinition } from "../models/registry";
import type { PaperReference } from "../models/types";
import { getBiasReport } from "./get-bias-report";
import { getDatasetOrThrow } from "./get-dataset-or-throw";
import { getRunOrThrow } from "./get-run-or-throw";
import type { DatasetDetail, RunDetail } from "./dto";

export interface ModelCard {
  run: RunDetail;
  model: { id: string; name: string; summary: string; paper: PaperReference | null; engine: string; feedback: string };
  dataset: DatasetDetail;
  split: string;
  /** Per-group accuracy, when the run has a bias report (finished, with per-user test metrics). */
  groups: BiasReport | null;
  limitations: string[];
}

/**
 * A model card (after Mitchell et al., "Model Cards for Model Reporting", FAT* 2019) of one run,
 * generated from stored facts: model and paper, data, split, metrics overall and per group,
 * known limitations, training settings and backend.
 */
export async function getModelCard(id: string, principal: Principal): Promise<ModelCard> {
  const run = await getRunOrThrow(id, principal);
  const dataset = await getDatasetOrThrow(run.datasetId, principal);
  let definition = null;
  try {
    definition = getModelDefinition(run.modelId);
  } catch {
    definition = null;
  }
  let groups: BiasReport | null = null;
  if (run.status === "SUCCEEDED") {
    groups = await getBiasReport(id, principal, {}).catch((error: unknown) => {
      if (error instanceof AppError && error.code === "BAD_INPUT") return null;
      throw error;
    });
  }
  const split = run.config.split ? describeSplit(run.config.split as SplitConfig) : "unknown split";
  const limitations = [
    `Evaluated offline on held-out interactions of one dataset (${dataset.name}, ${split}); online behaviour may differ.`,
    "Test metrics rank every item the user has not interacted with; an unobserved item counts as irrelevant, which understates models that find unknown good items.",
    ...(definition && definition.feedback === "explicit" ? ["Learns from explicit ratings: users who rate little are served mostly by the item and user biases."] : []),
    ...(groups?.missing ?? []),
    ...(groups ? groups.verdicts.filter((v) => /gives long-tail|significant after Holm/.test(v)) : []),
  ];
  return {
    run,
    model: {
      id: run.modelId,
      name: definition?.displayName ?? run.modelId,
      summary: definition?.summary ?? "",
      paper: definition?.paper ?? null,
      engine: definition?.engine ?? "unknown",
      feedback: definition?.feedback ?? "unknown",
    },
    dataset,
    split,
    groups,
    limitations,
  };
}
