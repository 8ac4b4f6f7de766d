import { buildCsr } from "@/lib/datasets/csr";
import type { Feedback } from "@/lib/datasets/types";
import type { TrainingData } from "@/lib/models/types";
import { Rng } from "@/lib/util/rng";

/** A small random explicit dataset (ratings 1..5): enough for every model to fit in milliseconds. */
export function tinyTrainingData(feedback: Feedback, numUsers = 12, numItems = 9, seed = 3): TrainingData {
  const rng = new Rng(seed);
  const users: number[] = [], items: number[] = [], ratings: number[] = [];
  for (let u = 0; u < numUsers; u++) {
    for (let i = 0; i < numItems; i++) {
      if (rng.next() < 0.4 || i === u % numItems) {
        users.push(u);
        items.push(i);
        ratings.push(feedback === "explicit" ? 1 + rng.int(5) : 1);
      }
    }
  }
  const table = {
    users: Int32Array.from(users),
    items: Int32Array.from(items),
    ratings: Float32Array.from(ratings),
    timestamps: new Float64Array(users.length),
  };
  return { numUsers, numItems, feedback, train: buildCsr(numUsers, numItems, table.users, table.items, table.ratings), trainTable: table };
}

export const allUsers = (n: number) => Int32Array.from({ length: n }, (_, u) => u);
