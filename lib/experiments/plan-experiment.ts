import { AppError, badInput } from "../errors";
import { parseMonitor } from "../training/validation";
import { MAX_EXPERIMENT_RUNS, type ExperimentSpec, type RunRole } from "./experiment-spec";
import { resolveRunConfig, type RunConfig } from "./run-config";
import { describeAssignment, expandGrid, gridSize, sampleRandom } from "./search-space";

export interface PlannedRun {
  role: RunRole;
  /** 0-based position in the plan. */
  trialIndex: number;
  /** "factors=32, learningRate=0.05", "fold 2/5", "no item bias · seed 7". */
  label: string;
  /** Resolved: every default filled, so each run is reproducible from its row. */
  config: RunConfig;
}

export interface ExperimentPlan {
  base: RunConfig;
  selectionMetric: string;
  runs: PlannedRun[];
}

/**
 * Turns an experiment spec into resolved run configurations. Search trials evaluate on
 * validation only (`evaluateTest: false`): test is touched once, by the final run. Every
 * trial's params are validated against the model's schema here, so a bad range fails at launch
 * with the trial and field named, not in a worker.
 */
export function planExperiment(baseInput: Record<string, unknown>, spec: ExperimentSpec, selection?: string): ExperimentPlan {
  const base0 = resolveRunConfig(baseInput);
  const selectionMetric = selection ?? base0.monitor;
  let monitor;
  try {
    monitor = parseMonitor(selectionMetric);
  } catch (error) {
    throw badInput(`selectionMetric: ${(error as Error).message.replace(/^monitor: /, "")}`, { field: "selectionMetric" });
  }
  // The selection metric's cut-off must be among the evaluated ones.
  const ks = monitor.k !== undefined && !base0.ks.includes(monitor.k) ? [...base0.ks, monitor.k].sort((a, b) => a - b) : base0.ks;
  const base: RunConfig = { ...base0, ks };

  const runs: PlannedRun[] = [];
  const add = (role: RunRole, label: string, overrides: Partial<RunConfig>, field: string) => {
    const trialIndex = runs.length;
    runs.push({ role, trialIndex, label, config: resolveWithContext({ ...base, ...overrides }, `${field} (${label})`) });
  };
  switch (spec.kind) {
    case "grid":
    case "random": {
      const count = spec.kind === "grid" ? gridSize(spec.space) : spec.trials;
      if (count > MAX_EXPERIMENT_RUNS) throw tooMany(count);
      const points = spec.kind === "grid" ? expandGrid(spec.space) : sampleRandom(spec.space, spec.trials, spec.seed);
      for (const point of points) add("trial", describeAssignment(point), { params: { ...base.params, ...point }, evaluateTest: false, fitOn: "train" }, "spec.space");
      break;
    }
    case "cv":
      for (let fold = 0; fold < spec.folds; fold++) {
        const split = { kind: "k-fold" as const, folds: spec.folds, fold, seed: spec.seed, validationRatio: spec.validationRatio };
        add("fold", `fold ${fold + 1}/${spec.folds}`, { split, evaluateTest: true, fitOn: "train" }, "spec");
      }
      break;
    case "ablation": {
      const count = (spec.variants.length + 1) * spec.seeds.length;
      if (count > MAX_EXPERIMENT_RUNS) throw tooMany(count);
      const names = new Set(["base"]);
      for (const v of spec.variants) {
        if (names.has(v.name)) throw badInput(`spec.variants: the name "${v.name}" is used twice (or is the reserved "base")`, { field: "spec.variants" });
        names.add(v.name);
      }
      for (const variant of [{ name: "base", params: {} }, ...spec.variants]) {
        for (const seed of spec.seeds) {
          add("variant", `${variant.name} · seed ${seed}`, { params: { ...base.params, ...variant.params }, seed, evaluateTest: true }, "spec.variants");
        }
      }
      break;
    }
  }
  return { base, selectionMetric, runs };
}

function resolveWithContext(input: Record<string, unknown>, where: string): RunConfig {
  try {
    return resolveRunConfig(input);
  } catch (error) {
    if (error instanceof AppError && error.code === "BAD_INPUT") throw badInput(`${where}: ${error.message}`, error.details);
    throw error;
  }
}

function tooMany(count: number) {
  return badInput(`spec: this plan has ${count} runs; at most ${MAX_EXPERIMENT_RUNS} per experiment`, { field: "spec" });
}
