import { runConfigSchema } from "./run-config";

/** What the launch form needs to repeat a run ("Re-run"): its dataset and resolved configuration. */
export interface RunPrefill {
  datasetId: string;
  name: string;
  modelId: string;
  params: Record<string, unknown>;
  split: { kind: string; ratios?: number[]; seed?: number } & Record<string, unknown>;
  monitor: string;
  patience: number;
  seed: number;
}

/** The prefill of a stored run; null when its config no longer parses (e.g. a removed model option). */
export function runPrefill(run: { datasetId: string; name: string; config: unknown }): RunPrefill | null {
  const parsed = runConfigSchema.safeParse(run.config);
  if (!parsed.success) return null;
  const c = parsed.data;
  return {
    datasetId: run.datasetId,
    name: `${run.name} (re-run)`,
    modelId: c.modelId,
    params: { ...c.params },
    split: { ...(c.split as RunPrefill["split"]) },
    monitor: c.monitor,
    patience: c.patience,
    seed: c.seed,
  };
}
