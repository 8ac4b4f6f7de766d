import { describe, expect, it } from "vitest";
import { topK } from "@/lib/metrics/top-k";
import { Rng } from "@/lib/util/rng";

function run(scores: number[], k: number, offset = 0, length = scores.length - offset): number[] {
  const out = new Int32Array(Math.max(k, 1)).fill(-7);
  const n = topK(Float32Array.from(scores), offset, length, k, out);
  return Array.from(out.subarray(0, n));
}

/** Reference: full stable sort by score descending, then index ascending. */
function naive(scores: Float32Array, offset: number, length: number, k: number): number[] {
  const items: number[] = [];
  for (let i = 0; i < length; i++) {
    const s = scores[offset + i];
    if (s !== -Infinity && !Number.isNaN(s)) items.push(i);
  }
  items.sort((a, b) => scores[offset + b] - scores[offset + a] || a - b);
  return items.slice(0, k);
}

describe("topK", () => {
  const cases = [
    { label: "highest first, tie to the lower index", scores: [0.1, 0.9, 0.5, 0.9, 0.3], k: 3, expected: [1, 3, 2] },
    { label: "skips -Infinity and NaN", scores: [0.1, 0.9, 0.5, 0.9, -Infinity, NaN, 0.3], k: 10, expected: [1, 3, 2, 6, 0] },
    { label: "all tied", scores: [2, 2, 2, 2], k: 3, expected: [0, 1, 2] },
    { label: "ties at the cut-off keep the lower index", scores: [1, 5, 3, 3, 3], k: 2, expected: [1, 2] },
    { label: "+Infinity ranks first", scores: [1, Infinity, 2], k: 2, expected: [1, 2] },
    { label: "everything masked", scores: [-Infinity, NaN], k: 2, expected: [] },
    { label: "k = 0", scores: [1, 2], k: 0, expected: [] },
    { label: "negative scores", scores: [-3, -1, -2], k: 2, expected: [1, 2] },
  ];
  for (const c of cases) it(c.label, () => expect(run(c.scores, c.k)).toEqual(c.expected));

  it("reads only its row and returns indices within it", () => {
    // Row 1 of a 2 × 4 matrix.
    expect(run([9, 9, 9, 9, 0.2, 0.8, 0.4, 0.6], 2, 4, 4)).toEqual([1, 3]);
  });

  it("matches a full sort on random rows with many ties", () => {
    const rng = new Rng(7);
    for (let trial = 0; trial < 300; trial++) {
      const length = 1 + rng.int(200);
      const offset = rng.int(5);
      const scores = new Float32Array(offset + length + 3);
      for (let i = 0; i < scores.length; i++) {
        const r = rng.next();
        scores[i] = r < 0.1 ? -Infinity : r < 0.12 ? NaN : rng.int(20) / 4; // quantised: many ties
      }
      const k = 1 + rng.int(trial % 3 === 0 ? 300 : 25);
      const out = new Int32Array(k);
      const n = topK(scores, offset, length, k, out);
      expect(Array.from(out.subarray(0, n))).toEqual(naive(scores, offset, length, k));
    }
  });
});
