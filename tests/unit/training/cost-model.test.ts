import { describe, expect, it } from "vitest";
import { calibration, epochWork, estimateEpochCost, estimateRunTime } from "@/lib/training/cost-model";
import { TrainingEta } from "@/lib/training/eta";

const ML100K = { numUsers: 943, numItems: 1682, numInteractions: 100_000 };

describe("cost model", () => {
  it("counts BPR's epoch as one update per training interaction times the factors", () => {
    // 80,000 training interactions (8:1:1) × 64 factors × 4 multiply-adds.
    expect(epochWork("bpr", { factors: 64 }, ML100K)).toEqual({ ops: 80_000 * 64 * 4, steps: 0 });
    expect(epochWork("bpr", { factors: 128 }, ML100K).ops).toBe(2 * epochWork("bpr", { factors: 64 }, ML100K).ops);
  });

  it("scales EASE with the cube of the catalogue and runs it once", () => {
    const small = estimateEpochCost("ease", {}, { ...ML100K, numItems: 1000 });
    const large = estimateEpochCost("ease", {}, { ...ML100K, numItems: 2000 });
    expect(small.maxEpochs).toBe(1);
    expect(small.closedForm).toBe(true);
    expect(epochWork("ease", {}, { ...ML100K, numItems: 2000 }).ops / epochWork("ease", {}, { ...ML100K, numItems: 1000 }).ops).toBe(8);
    expect(large.secondsPerEpoch).toBeGreaterThan(small.secondsPerEpoch);
  });

  it("puts SASRec's defaults on ml-100k at seconds an epoch (measured: 2.5–3.5 s), under an hour at most over 200 epochs", () => {
    const e = estimateRunTime("sasrec", { factors: 64, maxLen: 50, blocks: 2, batchSize: 16, epochs: 200 }, ML100K, { patience: 5 });
    expect(e.maxEpochs).toBe(200);
    expect(e.secondsPerEpoch).toBeGreaterThan(2);
    expect(e.secondsPerEpoch).toBeLessThan(20);
    expect(e.atMostSeconds).toBeLessThan(3600);
    expect(e.atMostSeconds).toBeCloseTo(200 * e.secondsPerEpoch, 6);
    // Earliest stop: epoch 1 plus 5 evaluations without improvement.
    expect(e.earliestStopSeconds).toBeCloseTo(6 * e.secondsPerEpoch, 6);
  });

  it("calibrates by the median ratio of measured to estimated seconds of earlier runs", () => {
    expect(calibration([])).toEqual({ factor: 1, runs: 0 });
    const past = [
      { secondsPerEpoch: 2, estimatedSecondsPerEpoch: 1 },
      { secondsPerEpoch: 9, estimatedSecondsPerEpoch: 3 },
      { secondsPerEpoch: 40, estimatedSecondsPerEpoch: 4 }, // an outlier the median ignores
    ];
    expect(calibration(past)).toEqual({ factor: 3, runs: 3 });
    const plain = estimateRunTime("bpr", { factors: 64, epochs: 10 }, ML100K);
    const calibrated = estimateRunTime("bpr", { factors: 64, epochs: 10 }, ML100K, { past });
    expect(calibrated.secondsPerEpoch).toBeCloseTo(3 * plain.secondsPerEpoch, 9);
    expect(calibrated.calibratedOn).toBe(3);
  });
});

describe("training ETA", () => {
  it("smooths the per-epoch time so one slow epoch does not make it jump", () => {
    const eta = new TrainingEta({ patience: 100, evalEvery: 1, higherIsBetter: true, alpha: 0.3 });
    eta.observe({ elapsedSeconds: 10 }); // 10 s
    eta.observe({ elapsedSeconds: 20 }); // 10 s
    expect(eta.remaining(2, 12).atMost).toBeCloseTo(100, 9);
    eta.observe({ elapsedSeconds: 50 }); // one 30 s epoch: 0.3 × 30 + 0.7 × 10 = 16 s per epoch
    expect(eta.remaining(3, 12).atMost).toBeCloseTo(9 * 16, 9);
  });

  it("bounds the remaining time by the remaining patience when validation stops improving", () => {
    const eta = new TrainingEta({ patience: 3, evalEvery: 1, higherIsBetter: true });
    eta.observe({ elapsedSeconds: 5, monitor: 0.2 });
    eta.observe({ elapsedSeconds: 10, monitor: 0.3 });
    eta.observe({ elapsedSeconds: 15, monitor: 0.25 }); // one evaluation without improvement
    const r = eta.remaining(3, 200);
    expect(r.atMost).toBeCloseTo(197 * 5, 9);
    expect(r.ifNoImprovement).toBeCloseTo(2 * 5, 9); // two more evaluations and it stops
    expect(eta.message(3, 200, "NDCG@10")).toBe("ETA at most 16 min 25 s (early stopping: ~10 s if NDCG@10 does not improve)");
  });

  it("reads a lower-is-better monitor the right way round", () => {
    const eta = new TrainingEta({ patience: 2, evalEvery: 1, higherIsBetter: false });
    eta.observe({ elapsedSeconds: 1, monitor: 1.0 });
    eta.observe({ elapsedSeconds: 2, monitor: 0.9 }); // RMSE fell: an improvement
    expect(eta.remaining(2, 10).ifNoImprovement).toBeCloseTo(2, 9);
  });
});
