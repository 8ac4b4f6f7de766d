import { selectRows } from "../datasets/csr";
import { itemColdStartParts } from "../datasets/splits";
import type { Dataset, Feedback, SplitTies } from "../datasets/types";
import { RERANK_CANDIDATES, type CandidateLists } from "../fairness/candidates";
import { buildBeyondContext, type BeyondContext } from "../metrics/beyond-context";
import { evaluateRanking, evaluateRating, type RankedCandidates, type RankingEvalOptions, type Scorer } from "../metrics/evaluate";
import { evaluateRankingParallel } from "./parallel-evaluate";
import { getMetricOrThrow, isMetricId } from "../metrics/registry";
import { getModelDefinition } from "../models/registry";
import type { ModelDefinition, Recommender } from "../models/types";
import { batchInterrupt } from "../training/interrupt";
import { trainModel, type CheckpointHook, type EpochProgress, type HistoryEntry } from "../training/train-model";
import { csrToRows } from "../training/validation";
import { historyScorer } from "../models/history-scorer";
import { itemsOfPart, maskOutside, rankAmongCandidates, type CandidateRankingStats } from "./cold-start";
import { checkRunMemory } from "./memory-check";
import { sampleValidationUsers } from "../training/validation-sample";
import { prepareSplit, splitForRun, type PreparedSplit } from "./prepare-data";
import { resolveRunConfig, type RunConfig } from "./run-config";
import type { RunFitSummary } from "../tracking/types";
import { badInput, type AppError } from "../errors";
import { formatCount } from "../util/format";
import { buildRunLists, type RunLists } from "../fairness/run-lists";
import { createExplainer } from "../fairness/explain/registry";
import { explainRun, type RunExplanations } from "../fairness/explanations";

export { runConfigSchema, resolveRunConfig, type RunConfig, type RunConfigInput } from "./run-config";

export type RunPhase = "split" | "fit" | "evaluate";

export interface RunHooks {
  /** After every training epoch, with that epoch's validation metrics (empty when not evaluated). */
  onEpoch?: (progress: EpochProgress) => Promise<void> | void;
  /** Polled at epoch boundaries; true cancels the run (see RunResult.cancelled). */
  shouldStop?: () => boolean | Promise<boolean>;
  /** Synchronous cancellation flag, looked at between mini-batches (TrainOptions.isCancelled). */
  isCancelled?: () => boolean;
  /**
   * Asked once when training was cancelled after at least one finished epoch: true evaluates
   * the kept best epoch on the held-out part as usual (the result still says `cancelled`).
   */
  evaluateOnCancel?: () => boolean | Promise<boolean>;
  onPhase?: (phase: RunPhase) => Promise<void> | void;
  /** Checkpoint storage; with it, training resumes from the latest checkpoint (config.checkpointEvery). */
  checkpoint?: CheckpointHook;
  /** TrainOptions.suspend: checkpoint at the next epoch boundary and throw TrainingSuspendedError. */
  suspend?: () => boolean;
}

export interface RunResult {
  /** The resolved config: every default filled in, so the run can be repeated from it. */
  config: RunConfig;
  fit: RunFitSummary;
  history: HistoryEntry[];
  /**
   * Ranking metrics on test with train + validation items masked, plus mae/mse/rmse for models
   * that predict explicit ratings. Empty (numUsers 0) when the run was cancelled.
   */
  test: {
    summary: Record<string, number>;
    perUser: { users: Int32Array; values: Record<string, Float32Array> };
    numUsers: number;
    seconds: number;
    /** Test only: the top-K lists and counts a bias report reads (lib/fairness/run-lists.ts). */
    lists?: RunLists;
  };
  /**
   * With `evaluateTest: false` (search trials): the selected state on validation, per-user values
   * included, so trials can be ranked and compared without touching test.
   */
  validation?: RunResult["test"];
  /**
   * Item cold-start split only: candidates ranked per held-out part, and the users for whom the
   * model gave every candidate the same score (ranked at random; see ./cold-start.ts).
   */
  coldStart?: { candidateItems: number; users: number; constantScoreUsers: number };
  /** Time-based splits: how many users' held-out rows tie in time with an earlier part (decided by the seeded tie-break). */
  splitTies?: SplitTies;
  /**
   * Every evaluated test user's top RERANK_CANDIDATES items with their scores (train + validation
   * masked), kept so re-rankers can run on the finished run without the model. Absent when test
   * was not evaluated and on item cold-start splits (ranked among a part's items only).
   */
  candidates?: CandidateLists;
  /**
   * The first evaluated test users' top-10 explained by the fitted model (lib/fairness/explanations.ts),
   * or why they could not be: explaining never fails a run.
   */
  explanations?: RunExplanations;
  explanationError?: string;
  /**
   * True when cancellation ended training; the held-out part is then evaluated (best epoch) only
   * when `evaluateOnCancel` said so, and without re-ranking candidates or explanations.
   */
  cancelled: boolean;
  model: Recommender;
}

/**
 * One run: split the dataset, fit the model with validation-based early stopping, evaluate the
 * selected state once on test. Seeded throughout: the same dataset and config give the same
 * metrics. The runner reads the model's declared needs and never branches on its id.
 */
export async function runExperiment(dataset: Dataset, input: RunConfig, hooks: RunHooks = {}): Promise<RunResult> {
  const config = resolveRunConfig(input);
  const definition = getModelDefinition(config.modelId);
  const feedback = resolveFeedback(config.feedback, definition, dataset);

  // Fail fast, before any work, when the model would not fit in this worker's memory.
  checkRunMemory(definition, config.params, { numUsers: dataset.numUsers, numItems: dataset.numItems, numInteractions: dataset.table.users.length });
  const diverged = () => divergedError(dataset.table.users.length);

  await hooks.onPhase?.("split");
  const { rows, split, refit } = splitForRun(dataset, config);
  const itemPart = config.split.kind === "item-cold-start" ? itemColdStartParts(dataset.numItems, config.split) : null;
  const data = prepareSplit(dataset, split, feedback);
  const foldInMask = data.foldIn ? [data.foldIn.matrix] : [];

  await hooks.onPhase?.("fit");
  // Large datasets: per-epoch validation ranks a fixed seeded sample of users; test ranks all.
  const validationSample = refit ? null : sampleValidationUsers(data.validation, config.seed);
  const trained = await trainModel({
    definition,
    params: config.params,
    data: data.train,
    validation: refit
      ? undefined
      : {
          truth: data.validation,
          // Item cold start: validation ranks among the validation items only.
          exclude: itemPart ? [data.train.train, maskOutside(data.validation, itemPart.map((p) => (p === 1 ? 1 : 0)))] : [data.train.train, ...foldInMask],
          // User cold start: validation users are scored from their fold-in rows.
          ...(data.foldIn ? { foldIn: data.foldIn.histories } : {}),
          ...(validationSample ? { users: validationSample.users } : {}),
        },
    monitor: config.monitor,
    ks: config.ks,
    evalEvery: config.evalEvery,
    patience: config.patience,
    seed: config.seed,
    async onEpoch(progress) {
      if ((progress.loss !== undefined && !Number.isFinite(progress.loss)) || !accuracyIsFinite(progress.metrics)) throw diverged();
      await hooks.onEpoch?.(progress);
    },
    shouldStop: hooks.shouldStop,
    ...(hooks.isCancelled ? { isCancelled: hooks.isCancelled } : {}),
    checkpoint: hooks.checkpoint,
    checkpointEvery: config.checkpointEvery,
    ...(hooks.suspend ? { suspend: hooks.suspend } : {}),
  });
  const fit = {
    seconds: trained.fitSeconds,
    bestEpoch: trained.bestEpoch,
    epochsRun: trained.epochsRun,
    stoppedEarly: trained.stoppedEarly,
    ...(trained.resumedFromEpoch > 0 ? { resumedFromEpoch: trained.resumedFromEpoch } : {}),
    ...(trained.threads !== undefined ? { threads: trained.threads } : {}),
    ...(trained.model.chosenSettings ? { chosen: trained.model.chosenSettings() } : {}),
    ...(validationSample ? { validationSample: { users: validationSample.users.length, of: validationSample.of } } : {}),
  };
  const model = trained.model;
  const ties = rows.ties ? { splitTies: rows.ties } : {};
  const notEvaluated = (): RunResult["test"] => ({ summary: {}, perUser: { users: new Int32Array(0), values: {} }, numUsers: 0, seconds: 0 });
  const cancelledRun = (test: RunResult["test"]): RunResult => ({ config, fit, history: trained.history, test, ...ties, cancelled: true, model });
  const evaluateCancelled = trained.cancelled && trained.epochsRun > 0 && (await hooks.evaluateOnCancel?.()) === true;
  if (trained.cancelled && !evaluateCancelled) return cancelledRun(notEvaluated());
  // A cancel that arrives after training (evaluation, candidates, explanations) ends the run as one
  // at the last batch would: the held-out metrics stay only if the user asked for them.
  const cancelledLate = async (heldOut: RunResult["test"]): Promise<RunResult | null> => {
    if (trained.cancelled || !hooks.isCancelled?.()) return null;
    return cancelledRun((await hooks.evaluateOnCancel?.()) === true ? heldOut : notEvaluated());
  };

  if (!scoresAreFinite(model, data.train.numUsers, data.train.numItems)) throw diverged();
  await hooks.onPhase?.("evaluate");
  const part = config.evaluateTest ? "test" : "validation";
  const stats: CandidateRankingStats = { users: 0, constantScoreUsers: 0 };
  const coldStartItems = itemPart ? { items: itemsOfPart(itemPart, part === "test" ? 2 : 1), seed: config.seed, stats } : undefined;
  // Sequence models score test from train + validation history (the validation rows precede the
  // test rows in time on leave-one-out); a model refitted on train + validation has them already.
  if (part === "test" && !refit && !data.foldIn && model.observe && rows.validation.length > 0) model.observe(selectRows(dataset.table, rows.validation));
  const beyond = buildBeyondContext({ train: data.train.train, genres: dataset.items?.genres, itemIds: dataset.itemIds });
  // Top-C lists for re-ranking come from the test evaluation's own scoring pass; not on item cold
  // start, which ranks among a part's items only, nor on user cold start, whose test users are
  // scored from their fold-in histories.
  const keepCandidates = part === "test" && !coldStartItems && !data.foldIn;
  const { heldOut, ranked } = await evaluateHeldOut(model, { definition, params: config.params }, data, part, feedback, config.ks, beyond, { coldStartItems, keepCandidates });
  if (heldOut.numUsers === 0 || !accuracyIsFinite(heldOut.summary)) throw diverged();
  const coldStart = coldStartItems ? { coldStart: { candidateItems: coldStartItems.items.length, ...stats } } : {};
  if (!config.evaluateTest) {
    const cancelled = trained.cancelled || (hooks.isCancelled?.() ?? false);
    return { config, fit, history: trained.history, test: notEvaluated(), validation: heldOut, ...coldStart, ...ties, cancelled, model };
  }
  if (trained.cancelled) return { ...cancelledRun(heldOut), ...coldStart };
  const lateAfterEvaluation = await cancelledLate(heldOut);
  if (lateAfterEvaluation) return lateAfterEvaluation;
  const kept = ranked ? { candidates: { users: heldOut.perUser.users, ...ranked } } : {};
  const interrupted = hooks.isCancelled ? batchInterrupt(hooks.isCancelled) : undefined;
  const explained = kept.candidates ? await explainCandidates(config, model, data.train, kept.candidates, interrupted) : {};
  const lateAfterExplaining = await cancelledLate(heldOut);
  if (lateAfterExplaining) return lateAfterExplaining;
  return { config, fit, history: trained.history, test: heldOut, ...coldStart, ...ties, ...kept, ...explained, cancelled: false, model };
}

/** Explanations of the stored candidates' heads; an error is reported, not thrown. */
async function explainCandidates(
  config: RunConfig,
  model: Recommender,
  data: PreparedSplit["train"],
  candidates: CandidateLists,
  interrupted?: () => Promise<boolean>,
): Promise<Pick<RunResult, "explanations" | "explanationError">> {
  try {
    return { explanations: await explainRun(createExplainer(config.modelId, { model, params: config.params, data }), candidates, interrupted ? { interrupted } : {}) };
  } catch (error) {
    return { explanationError: error instanceof Error ? error.message : String(error) };
  }
}

/** Top-K list slots kept for bias reports at most (40 MB of int32), so a huge run stays within memory and artefact size. */
export const MAX_KEPT_LIST_SLOTS = 10_000_000;

/**
 * Full-ranking metrics (per user too) on the test or validation part, with every other known
 * interaction masked, beyond-accuracy metrics from the same lists, plus mae/mse/rmse for models
 * that predict explicit ratings.
 */
async function evaluateHeldOut(
  model: Recommender,
  spec: { definition: ModelDefinition; params: Record<string, unknown> },
  data: PreparedSplit,
  part: "test" | "validation",
  feedback: Feedback,
  ks: number[],
  beyond: BeyondContext,
  options: {
    /** Item cold start: rank only these items (ties at random). */
    coldStartItems?: { items: Int32Array; seed: number; stats: CandidateRankingStats };
    /** Also keep every user's top RERANK_CANDIDATES items and scores from the same pass. */
    keepCandidates: boolean;
  },
): Promise<{ heldOut: RunResult["test"]; ranked?: RankedCandidates }> {
  const truth = part === "test" ? data.test : data.validation;
  const numItems = data.train.numItems;
  const modelScorer: Scorer = data.foldIn ? historyScorer(model, data.foldIn.histories) : (users, out) => model.score(users, out);
  // Item cold start: only the part's own (unseen) items are ranked, ties broken at random.
  const { coldStartItems } = options;
  const scorer = coldStartItems ? rankAmongCandidates(modelScorer, numItems, coldStartItems.items, coldStartItems.seed, coldStartItems.stats) : modelScorer;
  const evalOptions: RankingEvalOptions = {
    numItems: data.train.numItems,
    truth,
    exclude: [...(part === "test" ? [data.train.train, data.validation] : [data.train.train]), ...(data.foldIn ? [data.foldIn.matrix] : [])],
    ks,
    beyond,
    keepLists: part === "test" && truth.numRows * Math.max(...ks) <= MAX_KEPT_LIST_SLOTS,
    ...(options.keepCandidates ? { candidates: RERANK_CANDIDATES } : {}),
  };
  // The plain model scorer ranks on every core (blocks of users on worker threads, identical
  // result); fold-in and candidate scorers wrap the model and stay in this thread.
  const ranking = scorer === modelScorer && !data.foldIn
    ? await evaluateRankingParallel(model, spec.definition, { params: spec.params, numUsers: data.train.numUsers, numItems }, evalOptions)
    : evaluateRanking(scorer, evalOptions);
  const lists = ranking.lists ? { lists: buildRunLists(data.train.train, truth, ranking.perUser.users, ranking.lists) } : {};
  const summary: Record<string, number> = { ...ranking.summary };
  let seconds = ranking.seconds;
  if (feedback === "explicit" && model.predict) {
    const started = performance.now();
    const rows = part === "test" ? data.testRows : csrToRows(data.validation);
    const rating = evaluateRating((users, items) => model.predict!(users, items), rows);
    Object.assign(summary, rating.summary);
    seconds += (performance.now() - started) / 1000;
  }
  return { heldOut: { summary, perUser: ranking.perUser, numUsers: ranking.numUsers, seconds, ...lists }, ...(ranking.candidates ? { ranked: ranking.candidates } : {}) };
}

/**
 * What a run says when its numbers are not numbers: NaN/Infinity in the loss, a metric or the
 * scores, or nothing to evaluate on. Bad input, not a bug: retrying gives the same result.
 */
export function divergedError(numInteractions: number): AppError {
  return badInput(`the model diverged or the dataset is too small (${formatCount(numInteractions)} interactions)`, { numInteractions });
}

/**
 * Accuracy metrics are defined whenever users were evaluated, so a non-finite one means the model
 * diverged. Beyond-accuracy metrics and AUC may be undefined on valid output (ILD of one-item
 * lists, AUC when no user has a negative item) and are not checked.
 */
function accuracyIsFinite(values: Record<string, number>): boolean {
  return Object.entries(values).every(([key, value]) => {
    const id = key.split("@")[0];
    return id === "auc" || (isMetricId(id) && getMetricOrThrow(id).kind === "beyond") || Number.isFinite(value);
  });
}

/** Scores of the first users (up to 64) hold no NaN or +Infinity (-Infinity marks unscorable items). */
function scoresAreFinite(model: Recommender, numUsers: number, numItems: number): boolean {
  const users = Int32Array.from({ length: Math.min(64, numUsers) }, (_, u) => u);
  if (users.length === 0) return true;
  const scores = new Float32Array(users.length * numItems);
  model.score(users, scores);
  for (const s of scores) if (Number.isNaN(s) || s === Infinity) return false;
  return true;
}

/** "auto" means the model's own feedback; a model that takes both learns from the dataset's. */
export function resolveFeedback(choice: RunConfig["feedback"], definition: ModelDefinition, dataset: Dataset): Feedback {
  if (choice !== "auto") return choice;
  return definition.feedback === "both" ? dataset.feedback : definition.feedback;
}
