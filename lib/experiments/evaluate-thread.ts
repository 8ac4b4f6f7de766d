// Worker-thread entry of parallel evaluation (./parallel-evaluate.ts): rebuilds the model from its
// shared state, scores one block of users and posts the block back.
import { parentPort, workerData } from "node:worker_threads";
import { planRanking, scoreRankingBlock } from "../metrics/evaluate";
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
const transfer = reply.ok ? [...Object.values(reply.block.values), ...reply.block.exposure, ...(reply.block.lists ? [reply.block.lists] : [])].map((a) => a.buffer as ArrayBuffer) : [];
parentPort!.postMessage(reply, transfer);
