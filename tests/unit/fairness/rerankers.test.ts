import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { calibrationKl, genreVectors } from "@/lib/fairness/genres";
import { itemPopularity, longTail } from "@/lib/metrics/beyond";
import { createReranker, getRerankerDefinition, listRerankers } from "@/lib/fairness/registry";
import type { UserCandidates } from "@/lib/fairness/rerank-base";
import { Rng } from "@/lib/util/rng";
import { describeFields } from "@/lib/util/zod-fields";
import { tinyContext, user } from "./fixtures";

function rerank(id: string, lambda: number, input: UserCandidates, k: number): number[] {
  const out = new Int32Array(k);
  const n = createReranker(id, { lambda }, tinyContext)(input, k, out);
  return Array.from(out.subarray(0, n));
}

describe("every re-ranker in the registry", () => {
  const ids = listRerankers().map((d) => d.id);

  it.each(ids)("%s: λ = 0 returns the base order, ties in candidate order", (id) => {
    expect(rerank(id, 0, user([5, 3, 0, 2, 1, 4], [0.9, 0.8, 0.7, 0.6, 0.5, 0.4], [0, 2]), 4)).toEqual([5, 3, 0, 2]);
    // Equal scores normalise to equal values: candidate order decides.
    expect(rerank(id, 0, user([3, 1, 2], [0.5, 0.5, 0.5], [0]), 3)).toEqual([3, 1, 2]);
  });

  it.each(ids)("%s: a user with fewer candidates than K gets all of them, each once", (id) => {
    const rng = new Rng(7);
    for (const lambda of [0, 0.3, 0.7, 1]) {
      const list = rerank(id, lambda, user([4, 2, 5], [rng.next(), rng.next(), rng.next()], [1, 3]), 10);
      expect([...list].sort()).toEqual([2, 4, 5]);
    }
    expect(rerank(id, 0.5, user([], [], [1]), 10)).toEqual([]);
  });

  it.each(ids)("%s: same input, same list; never a duplicate, never an item outside the candidates", (id) => {
    const rng = new Rng(11);
    for (let trial = 0; trial < 20; trial++) {
      const items = rng.shuffle(Int32Array.from([0, 1, 2, 3, 4, 5]));
      const scores = Array.from(items, () => rng.next());
      const lambda = rng.next();
      const a = rerank(id, lambda, user(Array.from(items), scores, [0, 2, 5]), 4);
      expect(rerank(id, lambda, user(Array.from(items), scores, [0, 2, 5]), 4)).toEqual(a);
      expect(new Set(a).size).toBe(4);
      for (const item of a) expect(Array.from(items)).toContain(item);
    }
  });

  it.each(ids)("%s: λ outside [0, 1] or not a number is refused with a clear error", (id) => {
    const name = getRerankerDefinition(id).displayName;
    for (const lambda of [-0.1, 1.5, Number.NaN, "0.5"]) {
      let error: unknown;
      try {
        createReranker(id, { lambda }, tinyContext);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe("BAD_INPUT");
      expect((error as AppError).message).toBe(`${name}: lambda: λ must be a number between 0 and 1`);
    }
    expect(() => createReranker(id, { lambda: 1 }, tinyContext)).not.toThrow();
  });

  it.each(ids)("%s: every parameter is described; λ is a form field in [0, 1]", (id) => {
    const fields = describeFields(getRerankerDefinition(id).paramsSchema);
    for (const field of fields) expect(field.description?.length).toBeGreaterThan(20);
    expect(fields.find((f) => f.name === "lambda")).toMatchObject({ kind: "number", min: 0, max: 1, default: 0.5 });
  });

  it("refuses a context without what the re-ranker needs, and an unknown id", () => {
    expect(() => createReranker("mmr", { lambda: 0.5 }, { numItems: 6 })).toThrow("MMR needs item genres, which this dataset does not have");
    expect(() => createReranker("xquad", {}, { numItems: 6 })).toThrow("xQuAD needs long-tail membership");
    expect(() => createReranker("nope", {}, tinyContext)).toThrow('unknown re-ranker "nope"');
  });
});

describe("MMR", () => {
  // s = [1, .9, .5, 0]; cos(0,1) = 1, cos(0,2) = 0, cos(0,3) = cos(2,3) = 1/√2.
  const input = user([0, 1, 2, 3], [1, 0.9, 0.5, 0]);

  it("λ = .5: after item 0, B-only item 2 (.25) beats redundant item 1 (.45 − .5) and item 3 (−.354)", () => {
    expect(rerank("mmr", 0.5, input, 4)).toEqual([0, 2, 1, 3]);
  });

  it("λ = 1: first candidate (all values 0), then least redundant: 2 (0), 3 (−.707), 1 (−1)", () => {
    expect(rerank("mmr", 1, input, 4)).toEqual([0, 2, 3, 1]);
  });

  it("an item without genres is never redundant", () => {
    // item 4: .5·.8 − 0 = .4 beats item 1: .5·.9 − .5·1 = −.05.
    expect(rerank("mmr", 0.5, user([0, 1, 4], [1, 0.9, 0.8]), 3)).toEqual([0, 4, 1]);
  });
});

describe("Calibrated", () => {
  // p_u = (A 2/3, B 1/3); candidates 1 (A, s 1), 5 (C, s .5), 2 (B, s 0).
  const input = user([1, 5, 2], [1, 0.5, 0], [0, 1, 2]);

  it("KL with α = .01 by hand", () => {
    const p = Float64Array.from([2 / 3, 1 / 3, 0]);
    expect(calibrationKl(p, Float64Array.from([1, 0, 0]), 3)).toBeCloseTo(1.2669726, 6);
    expect(calibrationKl(p, Float64Array.from([0.5, 0, 0.5]), 3)).toBeCloseTo(1.7246263, 6);
    expect(calibrationKl(p, Float64Array.from([0.5, 0.5, 0]), 3)).toBeCloseTo(0.0555275, 6);
    expect(calibrationKl(new Float64Array(3), Float64Array.from([1, 0, 0]), 3)).toBe(0);
  });

  it("λ = .5: item 1 (.5 − .5·1.267), then item 2 (.5·1 − .5·.0555) over item 5 (.5·1.5 − .5·1.725)", () => {
    expect(rerank("calibrated", 0.5, input, 2)).toEqual([1, 2]);
  });

  it("λ = 1 builds the list closest to the history's genre mix, ignoring scores", () => {
    expect(rerank("calibrated", 1, user([5, 2, 1], [1, 0.5, 0], [0, 1, 2]), 2)).toEqual([1, 2]);
  });

  it("items without genres carry no genre mass", () => {
    // History of genre-less item 4 only: p_u = 0, KL = 0 for every list, scores decide.
    expect(rerank("calibrated", 0.9, user([5, 2, 1], [1, 0.5, 0], [4]), 3)).toEqual([5, 2, 1]);
  });
});

describe("xQuAD over {head, tail}", () => {
  // History 0 (head), 2, 3, 4 (tail): P(head|u) = .25, P(tail|u) = .75.
  const input = user([0, 1, 2, 3], [1, 0.8, 0.3, 0], [0, 2, 3, 4]);

  it("λ = .5: 0 (.625), then tail item 2 (.525 vs covered-head 1 at .4), then 1, 3", () => {
    expect(rerank("xquad", 0.5, input, 4)).toEqual([0, 2, 1, 3]);
  });

  it("λ = 1: best of the heavier group, then of the other, then candidate order", () => {
    expect(rerank("xquad", 1, input, 4)).toEqual([2, 0, 1, 3]);
  });

  it("no history: no group preference, the base order", () => {
    expect(rerank("xquad", 0.8, user([0, 1, 2, 3], [1, 0.8, 0.3, 0]), 4)).toEqual([0, 1, 2, 3]);
  });
});

describe("popularity penalty", () => {
  // Candidates 0, 5, 1: s = 1, .6, 0; pop 100, 50, 10 → π = 1, .444, 0.
  const input = user([0, 5, 1], [1, 0.6, 0]);

  it("λ = .45: item 5 (.33 − .2) passes item 0 (.55 − .45), item 1 last (0)", () => {
    expect(rerank("popularity-penalty", 0.45, input, 3)).toEqual([5, 0, 1]);
  });

  it("λ = 1: least popular first", () => {
    expect(rerank("popularity-penalty", 1, input, 3)).toEqual([1, 5, 0]);
  });
});

describe("long tail and genre vectors", () => {
  it.each([
    { label: "one item holds 20%", pop: [5, 1, 3, 1], share: 0.2, tail: [0, 1, 1, 1] },
    { label: "equal popularity: lower index first", pop: [2, 2, 2, 2, 2], share: 0.2, tail: [0, 1, 1, 1, 1] },
    { label: "ties at the cut stay tail", pop: [1, 3, 3, 3], share: 0.5, tail: [1, 0, 0, 1] },
    { label: "no interactions: all tail", pop: [0, 0], share: 0.2, tail: [1, 1] },
  ])("short head: $label", ({ pop, share, tail }) => {
    expect(Array.from(longTail(Float64Array.from(pop), share))).toEqual(tail);
  });

  it("popularity counts training interactions per item", () => {
    const train = { numRows: 2, numCols: 3, indptr: Int32Array.from([0, 2, 3]), indices: Int32Array.from([0, 2, 2]), values: new Float32Array(3).fill(1) };
    expect(Array.from(itemPopularity(train))).toEqual([1, 0, 2]);
  });

  it("unit rows for cosine, share rows for p(g|i), zero rows for items without genres", () => {
    const v = genreVectors([["A", "B"], [], ["B"]], 3);
    expect(Array.from(v.share)).toEqual([0.5, 0.5, 0, 0, 0, 1]);
    expect(v.unit[0]).toBeCloseTo(Math.SQRT1_2, 12);
    expect(Array.from(v.unit.subarray(2, 4))).toEqual([0, 0]);
  });
});
