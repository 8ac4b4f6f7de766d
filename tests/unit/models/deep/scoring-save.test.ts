import { describe, expect, it } from "vitest";
import { TRAINING_STATE_PREFIX } from "@/lib/training/model-state";
import { trainModel } from "@/lib/training/train-model";
import { tinyTrainingData } from "../fixtures";
import { quickDeepParams, tfjsModels } from "./helpers";

// A best-epoch snapshot asks for the scoring state only, so a model need not copy its optimizer's
// moments just for them to be dropped (at 17,000 items, two copies of CDAE's 82 MB of weights).
describe.each(tfjsModels().map((d) => [d.id, d] as const))("%s saved for scoring", (_id, definition) => {
  it("leaves out the training-only arrays and keeps every other array as save() has it", async () => {
    const data = tinyTrainingData("implicit", 16, 10);
    const { model } = await trainModel({ definition, params: quickDeepParams(definition, { epochs: 2, pretrainEpochs: 1, batchSize: 8 }), data, seed: 3 });
    const full = model.save();
    const scoring = model.save({ scoring: true });
    const trainingOnly = (name: string) => name.startsWith(TRAINING_STATE_PREFIX);
    expect(Object.keys(scoring.arrays).filter(trainingOnly)).toEqual([]);
    expect(Object.keys(scoring.arrays).sort()).toEqual(Object.keys(full.arrays).filter((name) => !trainingOnly(name)).sort());
    for (const [name, values] of Object.entries(scoring.arrays)) expect(values, name).toEqual(full.arrays[name]);
    expect(scoring.json).toEqual(full.json);
  });
});

it("the models with an optimizer keep its moments in a full save (what a resumable checkpoint needs)", async () => {
  const definition = tfjsModels().find((d) => d.id === "mult-dae")!;
  const data = tinyTrainingData("implicit", 16, 10);
  const { model } = await trainModel({ definition, params: quickDeepParams(definition, { epochs: 1, batchSize: 8 }), data, seed: 3 });
  expect(Object.keys(model.save().arrays).some((name) => name.startsWith(TRAINING_STATE_PREFIX))).toBe(true);
});
