import { describe, expect, it } from "vitest";
import { getModelDefinition } from "@/lib/models/registry";
import { trainModel } from "@/lib/training/train-model";
import { tinyTrainingData } from "../fixtures";
import { quickDeepParams, scoreAll } from "./helpers";

// CDAE's scores recomputed by hand from its saved weights: tanh(s · Σ_{i ∈ I_u} W_i + b + V_u) · D + d,
// with s = 1/√|I_u| when the input row is L2-normalised and 1 for the paper's binary input.
describe("CDAE's input row", () => {
  it.each([true, false])("normalizeInput %s: the encoder reads the row scaled by 1/√|I_u| (or unscaled)", async (normalizeInput) => {
    const definition = getModelDefinition("cdae");
    const data = tinyTrainingData("implicit", 20, 15);
    const params = quickDeepParams(definition, { epochs: 2, batchSize: 8, hidden: 6, normalizeInput });
    const { model } = await trainModel({ definition, params, data, seed: 3 });
    const scores = scoreAll(model, data.numUsers, data.numItems);
    const w = model.save().arrays;
    const k = 6, I = data.numItems;
    const { indptr, indices } = data.train;
    let worst = 0;
    for (let u = 0; u < data.numUsers; u++) {
      const count = indptr[u + 1] - indptr[u];
      const scale = normalizeInput ? 1 / Math.sqrt(count) : 1;
      const h = Array.from({ length: k }, (_, j) => {
        let pre = w.encB[j] + w.userV[u * k + j];
        for (let p = indptr[u]; p < indptr[u + 1]; p++) pre += scale * w.encW[indices[p] * k + j];
        return Math.tanh(pre);
      });
      for (let i = 0; i < I; i++) {
        let logit = w.decB[i];
        for (let j = 0; j < k; j++) logit += h[j] * w.decW[j * I + i];
        worst = Math.max(worst, Math.abs(logit - scores[u * I + i]));
      }
    }
    expect(worst).toBeLessThan(1e-4);
  });
});
