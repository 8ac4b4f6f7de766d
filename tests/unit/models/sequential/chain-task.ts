import { buildCsr } from "@/lib/datasets/csr";
import type { TrainingData } from "@/lib/models/types";
import { Rng } from "@/lib/util/rng";

/**
 * Users walk item chains: each next item is (previous + 1) mod numItems most of the time, so the
 * last item predicts the next one; popularity is flat. Returns training rows and each user's
 * held-out next item (a leave-one-out test).
 */
export function chainTask(numUsers = 60, numItems = 20, length = 8, seed = 3) {
  const rng = new Rng(seed);
  const users: number[] = [], items: number[] = [], times: number[] = [], test: number[] = [];
  for (let u = 0; u < numUsers; u++) {
    let item = rng.int(numItems);
    for (let t = 0; t < length; t++) {
      users.push(u);
      items.push(item);
      times.push(t);
      item = rng.next() < 0.9 ? (item + 1) % numItems : rng.int(numItems);
    }
    test.push(item);
  }
  const table = { users: Int32Array.from(users), items: Int32Array.from(items), ratings: new Float32Array(users.length).fill(1), timestamps: Float64Array.from(times) };
  const data: TrainingData = { numUsers, numItems, feedback: "implicit", train: buildCsr(numUsers, numItems, table.users, table.items, table.ratings), trainTable: table };
  const truth = buildCsr(numUsers, numItems, Int32Array.from({ length: numUsers }, (_, u) => u), Int32Array.from(test), new Float32Array(numUsers).fill(1));
  return { data, truth };
}

