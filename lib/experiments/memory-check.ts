import os from "node:os";
import { AppError } from "../errors";
import { evaluationMemoryBytes, factorModelMemoryBytes, formatBytes, type DatasetSizes } from "../models/memory";
import type { ModelDefinition } from "../models/types";

/**
 * The fail-fast memory check of a run: the model's own estimate (or the generic factor-model
 * one) plus evaluation buffers, against RECLAB_MAX_MODEL_MEMORY_GB (default 80 % of this
 * machine's memory). Refused runs fail before any training with a message naming the size.
 */
export function maxModelMemoryBytes(env: Record<string, string | undefined> = process.env): number {
  const raw = env.RECLAB_MAX_MODEL_MEMORY_GB;
  if (raw !== undefined && raw !== "") {
    const gb = Number(raw);
    if (!Number.isFinite(gb) || gb <= 0) throw new AppError("BAD_INPUT", `RECLAB_MAX_MODEL_MEMORY_GB must be a positive number of GB, got "${raw}"`);
    return gb * 2 ** 30;
  }
  return 0.8 * os.totalmem();
}

export function estimateModelRunBytes(definition: ModelDefinition, params: Record<string, unknown>, sizes: DatasetSizes): number {
  const model = definition.estimateMemoryBytes
    ? definition.estimateMemoryBytes(params, sizes.numUsers, sizes.numItems, sizes.numInteractions)
    : factorModelMemoryBytes(params, sizes.numUsers, sizes.numItems, sizes.numInteractions);
  return model + evaluationMemoryBytes(sizes);
}

/** BAD_INPUT when the run's estimate exceeds the limit; returns the estimate otherwise. */
export function checkRunMemory(definition: ModelDefinition, params: Record<string, unknown>, sizes: DatasetSizes, limitBytes = maxModelMemoryBytes()): number {
  const bytes = estimateModelRunBytes(definition, params, sizes);
  if (bytes > limitBytes) {
    const items = sizes.numItems.toLocaleString("en-US");
    throw new AppError(
      "BAD_INPUT",
      `${definition.displayName} needs about ${formatBytes(bytes)} for ${items} items; this worker allows ${formatBytes(limitBytes)} (RECLAB_MAX_MODEL_MEMORY_GB). Shrink the catalogue (k-core filtering), choose lighter hyperparameters or model, or run it on a bigger worker.`,
      { field: "modelId", estimateBytes: bytes, limitBytes },
    );
  }
  return bytes;
}
