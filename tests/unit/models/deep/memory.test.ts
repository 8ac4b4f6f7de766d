import { describe, expect, it } from "vitest";
import { loadTensorflow } from "@/lib/training/tf-backend";
import { allUsers, tinyTrainingData } from "../fixtures";
import { quickDeepParams, tfjsModels } from "./helpers";

const { tf } = await loadTensorflow();

describe.each(tfjsModels().map((d) => [d.id, d] as const))("%s keeps TensorFlow.js memory flat", (_id, definition) => {
  // Compared with epoch 10, after NeuMF's fusion at epoch 6 (its fine-tuning optimizer may hold fewer moment tensors).
  it("holds as many tensors after epoch 20 as after epoch 10 (training and scoring every epoch)", async () => {
    const data = tinyTrainingData("implicit", 24, 15);
    const model = definition.create(quickDeepParams(definition, { epochs: 20, pretrainEpochs: 5, batchSize: 8 }), data.numUsers, data.numItems);
    const counts: number[] = [];
    const out = new Float32Array(data.numUsers * data.numItems);
    await model.fit(data, {
      seed: 1,
      onEpoch: async () => {
        model.score(allUsers(data.numUsers), out);
        counts.push(tf.memory().numTensors);
      },
    });
    expect(counts).toHaveLength(20);
    expect(counts[19]).toBe(counts[9]);
  });
});
