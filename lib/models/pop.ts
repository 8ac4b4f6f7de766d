// Popularity: recommends the items with the most training interactions to everyone.
// The standard non-personalised baseline, e.g. Cremonesi, Koren & Turrin, "Performance of
// recommender algorithms on top-N recommendation tasks", RecSys 2010.
import { z } from "zod";
import type { ModelDefinition, ModelState, Recommender, TrainingData } from "./types";
import { notFitted, readFloat32 } from "./shared/state";

export const popParamsSchema = z.object({});

export type PopParams = z.infer<typeof popParamsSchema>;

class Popularity implements Recommender {
  private counts: Float32Array | null = null;

  constructor(private readonly numItems: number) {}

  async fit(data: TrainingData): Promise<void> {
    const counts = new Float32Array(this.numItems);
    const items = data.train.indices;
    for (let p = 0; p < items.length; p++) counts[items[p]]++;
    this.counts = counts;
  }

  score(users: Int32Array, out: Float32Array): void {
    const counts = this.counts;
    if (!counts) throw notFitted("Popularity");
    for (let r = 0; r < users.length; r++) out.set(counts, r * this.numItems);
  }

  save(): ModelState {
    if (!this.counts) throw notFitted("Popularity");
    return { json: {}, arrays: { counts: this.counts } };
  }

  load(state: ModelState): void {
    this.counts = readFloat32(state, "counts", this.numItems);
  }
}

export const popDefinition: ModelDefinition<typeof popParamsSchema> = {
  id: "pop",
  displayName: "Popularity",
  summary: "Ranks items by how many training interactions they have; the same list for every user.",
  feedback: "implicit",
  input: "matrix",
  training: "closed-form",
  engine: "js",
  scoresAnyUser: true,
  paramsSchema: popParamsSchema,
  create: (_params, _numUsers, numItems) => new Popularity(numItems),
};
