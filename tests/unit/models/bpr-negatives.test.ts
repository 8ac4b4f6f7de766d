import { describe, expect, it } from "vitest";
import { negativePicker, type BprHyper } from "@/lib/models/shared/bpr-step";
import { Rng } from "@/lib/util/rng";

// One user (row 0) with positives {0, 2}; 1-d factors so item j's score is q[j] + bias[j].
const p = Float32Array.of(1);
const q = Float32Array.of(9, 0.1, 9, 0.3, 0.2, 0.5);
const bias = new Float32Array(6);
const positives = Int32Array.of(0, 2);
const hyper = (negativeCandidates: number): BprHyper => ({ dim: 1, numItems: 6, useBias: true, reg: 0, biasReg: 0, negativeCandidates });

describe("negativePicker", () => {
  it("with 1 candidate draws exactly what uniform sampling draws", () => {
    const a = new Rng(3), b = new Rng(3);
    for (let t = 0; t < 50; t++) {
      const j = negativePicker(hyper(1), p, q, bias)(0, positives, 0, 2, a);
      let k = b.int(6);
      while (k === 0 || k === 2) k = b.int(6);
      expect(j).toBe(k);
    }
  });

  it("with c candidates returns the best-scored of c uniform non-positive draws", () => {
    const rng = new Rng(7), replay = new Rng(7);
    for (let t = 0; t < 50; t++) {
      const j = negativePicker(hyper(3), p, q, bias)(0, positives, 0, 2, rng);
      const draws = [0, 1, 2].map(() => {
        let k = replay.int(6);
        while (k === 0 || k === 2) k = replay.int(6);
        return k;
      });
      expect(j).toBe(draws.reduce((best, k) => (q[k] > q[best] ? k : best)));
      expect([0, 2]).not.toContain(j);
    }
  });

  it("finds the hardest negative (item 5, score 0.5) more often with more candidates", () => {
    const share = (c: number) => {
      const rng = new Rng(11);
      let hits = 0;
      for (let t = 0; t < 2000; t++) if (negativePicker(hyper(c), p, q, bias)(0, positives, 0, 2, rng) === 5) hits++;
      return hits / 2000;
    };
    expect(share(1)).toBeCloseTo(0.25, 1);
    expect(share(4)).toBeGreaterThan(0.6); // 1 − 0.75⁴ = 0.68
  });
});
