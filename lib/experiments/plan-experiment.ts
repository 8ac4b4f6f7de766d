import { AppError, badInput } from "../errors";
import { parseMonitor } from "../training/validation";
import { fieldLabel } from "../util/field-labels";
import { experimentSpecSchema, MAX_EXPERIMENT_RUNS, type ExperimentSpec, type ExperimentSpecInput, type RunRole } from "./experiment-spec";
import { resolveRunConfig, type RunConfig } from "./run-config";
import { checkSpaceValues, describeAssignment, expandGrid, gridSize, sampleRandom } from "./search-space";
import { getModelDefinition } from "../models/registry";

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
export function planExperiment(baseInput: Record<string, unknown>, specInput: ExperimentSpecInput, selection?: string): ExperimentPlan {
  const spec: ExperimentSpec = experimentSpecSchema.parse(specInput);
  const base0 = resolveRunConfig(baseInput);
  const selectionMetric = selection ?? base0.monitor;
  let monitor;
  try {
    monitor = parseMonitor(selectionMetric);
  } catch (error) {
    throw badInput(`Selection metric: ${(error as Error).message.replace(/^Early-stopping metric: /, "")}`, { field: "selectionMetric" });
  }
  // The selection metric's cut-off must be among the evaluated ones.
  const ks = monitor.k !== undefined && !base0.ks.includes(monitor.k) ? [...base0.ks, monitor.k].sort((a, b) => a - b) : base0.ks;
  const base: RunConfig = { ...base0, ks };

  const runs: PlannedRun[] = [];
  const add = (role: RunRole, label: string, overrides: Partial<RunConfig>) => {
    const trialIndex = runs.length;
    runs.push({ role, trialIndex, label, config: resolveWithContext({ ...base, ...overrides }, label) });
  };
  switch (spec.kind) {
    case "grid":
    case "random": {
      const configurations = spec.kind === "grid" ? gridSize(spec.space) : spec.trials;
      const seeds = spec.seeds ?? [base.seed];
      const count = configurations * spec.folds * seeds.length;
      if (count > MAX_EXPERIMENT_RUNS) {
        const parts = [`${configurations} configuration${configurations === 1 ? "" : "s"}`, ...(spec.folds > 1 ? [`${spec.folds} folds`] : []), ...(seeds.length > 1 ? [`${seeds.length} seeds`] : [])];
        throw tooMany(`${count} runs (${parts.join(" × ")})`);
      }
      checkSpaceValues(spec.space, getModelDefinition(base.modelId).paramsSchema);
      const points = spec.kind === "grid" ? expandGrid(spec.space) : sampleRandom(spec.space, spec.trials, spec.seed);
      // Trial index = configuration × (folds × seeds) + fold × seeds + seed: the finalize job groups by it.
      for (const point of points) {
        for (let fold = 0; fold < spec.folds; fold++) {
          const split = spec.folds > 1 ? { split: { kind: "k-fold" as const, folds: spec.folds, fold, seed: spec.foldSeed, validationRatio: 0.1 } } : {};
          for (const seed of seeds) {
            const label = [describeAssignment(point), ...(spec.folds > 1 ? [`fold ${fold + 1}/${spec.folds}`] : []), ...(seeds.length > 1 ? [`seed ${seed}`] : [])].join(" · ");
            add("trial", label, { params: { ...base.params, ...point }, seed, ...split, evaluateTest: false, fitOn: "train" });
          }
        }
      }
      break;
    }
    case "cv":
      for (let fold = 0; fold < spec.folds; fold++) {
        const split = { kind: "k-fold" as const, folds: spec.folds, fold, seed: spec.seed, validationRatio: spec.validationRatio };
        add("fold", `fold ${fold + 1}/${spec.folds}`, { split, evaluateTest: true, fitOn: "train" });
      }
      break;
    case "ablation": {
      const count = (spec.variants.length + 1) * spec.seeds.length;
      if (count > MAX_EXPERIMENT_RUNS) throw tooMany(`${count} runs`);
      const names = new Set(["base"]);
      for (const v of spec.variants) {
        if (names.has(v.name)) throw badInput(`Variants: the name "${v.name}" is used twice (or is the reserved "base")`, { field: "spec.variants" });
        names.add(v.name);
      }
      for (const variant of [{ name: "base", params: {} }, ...spec.variants]) {
        for (const seed of spec.seeds) {
          add("variant", `${variant.name} · seed ${seed}`, { params: { ...base.params, ...variant.params }, seed, evaluateTest: true });
        }
      }
      break;
    }
  }
  return { base, selectionMetric, runs };
}

/** Runs of one configuration of a search (folds × seeds), from the stored spec. */
export function searchRepeats(spec: ExperimentSpec): number {
  return spec.kind === "grid" || spec.kind === "random" ? spec.folds * (spec.seeds?.length ?? 1) : 1;
}

function resolveWithContext(input: Record<string, unknown>, label: string): RunConfig {
  try {
    return resolveRunConfig(input);
  } catch (error) {
    if (error instanceof AppError && error.code === "BAD_INPUT") throw badInput(`${error.message} (in run "${label}")`, error.details);
    throw error;
  }
}

function tooMany(what: string) {
  return badInput(`${fieldLabel("spec")}: this plan has ${what}; at most ${MAX_EXPERIMENT_RUNS} per experiment`, { field: "spec" });
}
