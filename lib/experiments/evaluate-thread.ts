// Worker-thread entry of parallel evaluation (./parallel-evaluate.ts): rebuilds the model from its
// shared state, scores one block of users and posts the block back.
import { parentPort, workerData } from "node:worker_threads";
import { planRanking, scoreRankingBlock, type RankingBlock } from "../metrics/evaluate";
import { getModelDefinition } from "../models/registry";
import type { EvaluateThreadReply, EvaluateThreadTask } from "./parallel-evaluate";

function run(task: EvaluateThreadTask): EvaluateThreadReply {
  try {
    const { modelId, params, numUsers, numItems, state } = task.model;
    const definition = getModelDefinition(modelId);
    const model = definition.create(definition.paramsSchema.parse(params), numUsers, numItems);
    model.load(state);
    const plan = planRanking(task.options);
    return { ok: true, block: scoreRankingBlock((users, out) => model.score(users, out), task.options, plan, task.start, task.end) };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

const reply = run(workerData as EvaluateThreadTask);
const transfer = reply.ok ? transferables(reply.block).map((a) => a.buffer as ArrayBuffer) : [];
parentPort!.postMessage(reply, transfer);

/** The block's arrays, handed to the parent without copying. */
function transferables(block: RankingBlock): ArrayBufferView[] {
  const { values, exposure, lists, candidates } = block;
  return [...Object.values(values), ...exposure, ...(lists ? [lists] : []), ...(candidates ? [candidates.counts, candidates.items, candidates.scores] : [])];
}
