// ItemKNN's similarity lists on 1 and 2 threads: npm run bench:knn -- [USERS ITEMS PER_USER]
// (default 20000 3000 200, a synthetic set of ~4 M interactions). Each count runs twice (the first
// 2-thread fit includes starting the pool thread); the lists must be identical bit for bit.
import os from "node:os";
import { buildCsr } from "../lib/datasets/csr";
import { generateSynthetic } from "../lib/datasets/synthetic";
import { itemKnnDefinition } from "../lib/models/item-knn";
import { coOccurrenceWork, KNN_PARALLEL_MIN_WORK } from "../lib/models/shared/knn-similarity";
import type { ModelState, TrainingData } from "../lib/models/types";
import { terminateIdleThreads } from "../lib/training/threads/pool";

const [numUsers, numItems, perUser] = (process.argv.length > 2 ? process.argv.slice(2) : ["20000", "3000", "200"]).map(Number);
const d = generateSynthetic({ numUsers, numItems, interactionsPerUser: perUser, seed: 1 });
const train = buildCsr(d.numUsers, d.numItems, d.table.users, d.table.items, d.table.ratings);
const data: TrainingData = { numUsers: d.numUsers, numItems: d.numItems, feedback: "implicit", train, trainTable: d.table };
const work = coOccurrenceWork(train);
console.log(`${d.numUsers} users × ${d.numItems} items × ${train.indices.length} interactions; co-occurrence work ${work.toExponential(2)} (threads from ${KNN_PARALLEL_MIN_WORK.toExponential(1)}); ${os.cpus()[0]?.model}, load ${os.loadavg()[0].toFixed(1)}`);

async function fit(threads: number): Promise<{ seconds: number; state: ModelState }> {
  const model = itemKnnDefinition.create(itemKnnDefinition.paramsSchema.parse({}), d.numUsers, d.numItems);
  const started = performance.now();
  await model.fit(data, { seed: 1, threads });
  return { seconds: (performance.now() - started) / 1000, state: model.save() };
}

const same = (a: ModelState, b: ModelState) =>
  ["neighbourIndptr", "neighbourIndices", "neighbourSimilarities"].every((k) => Buffer.from(a.arrays[k].buffer).equals(Buffer.from(b.arrays[k].buffer)));
const runs: { threads: number; seconds: number; state: ModelState }[] = [];
for (const threads of [1, 2, 1, 2]) runs.push({ threads, ...(await fit(threads)) });
terminateIdleThreads();
for (const r of runs) console.log(`threads ${r.threads}: ${r.seconds.toFixed(2)} s`);
console.log(`warm speed-up ${(runs[2].seconds / runs[3].seconds).toFixed(2)}×; lists identical: ${runs.every((r) => same(r.state, runs[0].state))}`);
