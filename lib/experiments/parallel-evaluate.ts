import os from "node:os";
import { Worker } from "node:worker_threads";
import { badInput } from "../errors";
import {
  combineRankingBlocks,
  evaluateRanking,
  planRanking,
  type RankingBlock,
  type RankingEvalOptions,
  type RankingEvalResult,
} from "../metrics/evaluate";
import type { ModelDefinition, ModelState, Recommender } from "../models/types";
import { toShared } from "./shared-memory";

/**
 * Full-ranking evaluation on several cores: the users are cut into one contiguous block per
 * thread; each worker thread rebuilds the model from its saved state (typed arrays in shared
 * memory, one copy for all threads) and scores its block with the same code as the single-thread
 * evaluator; the blocks combine in user order, so the result is identical to evaluateRanking's.
 */

/** Below this many user x item scores, threads cost more than they save. */
export const PARALLEL_MIN_SCORES = 20_000_000;

/** Threads for evaluation: RECLAB_EVAL_THREADS, else every core this process may use. */
export function evaluationThreads(env: Record<string, string | undefined> = process.env): number {
  const raw = env.RECLAB_EVAL_THREADS;
  if (raw !== undefined && raw !== "") {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) throw badInput(`RECLAB_EVAL_THREADS must be a positive integer, got "${raw}"`);
    return n;
  }
  return os.availableParallelism();
}

/** What a worker thread needs to rebuild the model. */
export interface ThreadModel {
  modelId: string;
  params: Record<string, unknown>;
  numUsers: number;
  numItems: number;
}

/** The message a thread gets: one block of the plan's users. */
export interface EvaluateThreadTask {
  model: ThreadModel & { state: ModelState };
  options: RankingEvalOptions;
  start: number;
  end: number;
}

export type EvaluateThreadReply = { ok: true; block: RankingBlock } | { ok: false; message: string };

/**
 * evaluateRanking of `model` over `threads` worker threads. Falls back to one thread (in this
 * thread) for small evaluations, TensorFlow.js models (which would each load the runtime) and
 * threads = 1. Same result either way.
 */
export async function evaluateRankingParallel(
  model: Recommender,
  definition: Pick<ModelDefinition, "id" | "engine">,
  spec: Omit<ThreadModel, "modelId">,
  options: RankingEvalOptions,
  { threads = evaluationThreads(), minScores = PARALLEL_MIN_SCORES }: { threads?: number; minScores?: number } = {},
): Promise<RankingEvalResult> {
  const plan = planRanking(options);
  const work = plan.users.length * options.numItems;
  if (threads <= 1 || definition.engine !== "js" || work < minScores || plan.users.length < 2 * threads) {
    return evaluateRanking((users, out) => model.score(users, out), options);
  }
  const started = performance.now();
  const seen = new Map();
  const state = toShared(model.save(), seen);
  const sharedOptions = toShared(options, seen);
  const bounds = Array.from({ length: threads + 1 }, (_, t) => Math.round((t * plan.users.length) / threads));
  const blocks = await Promise.all(
    bounds.slice(0, -1).map((start, t) =>
      runThread({ model: { modelId: definition.id, ...spec, state }, options: sharedOptions, start, end: bounds[t + 1] }),
    ),
  );
  return combineRankingBlocks(plan, options, blocks, (performance.now() - started) / 1000);
}

const THREAD_BOOTSTRAP = new URL("./evaluate-thread-bootstrap.mjs", import.meta.url);
const THREAD_ENTRY = new URL("./evaluate-thread.ts", import.meta.url).href;

function runThread(task: EvaluateThreadTask): Promise<RankingBlock> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(THREAD_BOOTSTRAP, { workerData: { ...task, entry: THREAD_ENTRY } });
    let settled = false;
    worker.once("message", (reply: EvaluateThreadReply) => {
      settled = true;
      if (reply.ok) resolve(reply.block);
      else reject(new Error(`evaluation thread: ${reply.message}`));
      void worker.terminate();
    });
    worker.once("error", (error) => {
      settled = true;
      reject(error);
    });
    worker.once("exit", (code) => {
      if (!settled) reject(new Error(`evaluation thread exited with code ${code} before answering`));
    });
  });
}
