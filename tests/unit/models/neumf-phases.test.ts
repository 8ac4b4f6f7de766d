import { describe, expect, it } from "vitest";
import { neumfDefinition, neumfTrainingPhases } from "@/lib/models/neumf";

describe("NeuMF's training phases (marked on the run page's curves)", () => {
  it("with the defaults, the towers pre-train for 12 epochs and are fused from epoch 13", () => {
    const phases = neumfDefinition.trainingPhases!(neumfDefinition.paramsSchema.parse({}));
    expect(phases.map(({ fromEpoch, label }) => ({ fromEpoch, label }))).toEqual([{ fromEpoch: 13, label: "towers fused" }]);
    expect(phases[0].detail).toContain("Epochs 1–12 pre-train the GMF and MLP towers separately");
    expect(phases[0].detail).toContain("from epoch 13 the fused NeuMF is fine-tuned");
  });

  it("has one phase when training is end to end, or when the run ends before fusion", () => {
    expect(neumfTrainingPhases({ pretrainEpochs: 0, epochs: 60 })).toEqual([]);
    expect(neumfTrainingPhases({ pretrainEpochs: 12, epochs: 12 })).toEqual([]);
    expect(neumfTrainingPhases({ pretrainEpochs: 12, epochs: 8 })).toEqual([]);
    expect(neumfTrainingPhases({ pretrainEpochs: 2, epochs: 4 }).map((p) => p.fromEpoch)).toEqual([3]);
  });
});
