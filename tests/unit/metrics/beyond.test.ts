import { describe, expect, it } from "vitest";
import {
  auc,
  averagePopularity,
  catalogueCoverage,
  coverage,
  exposureCounts,
  exposureEntropyBits,
  giniIndex,
  headExposureShare,
  intraListDiversity,
  itemCategories,
  longTailShare,
  miscalibration,
  noveltyBits,
  popularityOrder,
  serendipity,
  shortHead,
} from "@/lib/metrics/beyond";
import { buildBeyondContext, itemIdRanks } from "@/lib/metrics/beyond-context";
import { buildCsr } from "@/lib/datasets/csr";

const ints = (xs: number[]) => Int32Array.from(xs);
const NOT_IN_PRIMITIVE = 0x7fffffff;

describe("catalogue coverage", () => {
  const lists = [ints([0, 1, 2]), ints([2, 3])];
  const cases = [
    { label: "K = 1: items 0 and 2", k: 1, expected: 2 / 6 },
    { label: "K = 2: items 0..3", k: 2, expected: 4 / 6 },
    { label: "K longer than every list", k: 5, expected: 4 / 6 },
  ];
  for (const c of cases) {
    it(c.label, () => expect(catalogueCoverage(lists, 6, c.k)).toBeCloseTo(c.expected, 12));
  }
  it("is 0 without lists", () => expect(catalogueCoverage([], 6, 10)).toBe(0));
  it("is 0 for an empty catalogue", () => expect(coverage(new Float64Array(0))).toBe(0));
});

describe("exposure counts", () => {
  const lists = [ints([0, 1, 2]), ints([2, 3])];
  const cases = [
    { label: "K = 2", k: 2, expected: [1, 1, 1, 1, 0, 0] },
    { label: "K = 3", k: 3, expected: [1, 1, 2, 1, 0, 0] },
    { label: "K longer than every list", k: 10, expected: [1, 1, 2, 1, 0, 0] },
  ];
  for (const c of cases) it(c.label, () => expect(Array.from(exposureCounts(lists, 6, c.k))).toEqual(c.expected));
});

describe("catalogue-level metrics over exposure counts", () => {
  // c = [1, 1, 2, 1, 0, 0]: sorted 0 0 1 1 1 2, weights 2i − n − 1 = −5 −3 −1 1 3 5, Σc = 5.
  const counts = Float64Array.from([1, 1, 2, 1, 0, 0]);
  const cases = [
    { label: "Gini, hand case: 13 / (6·5)", value: () => giniIndex(counts), expected: 13 / 30 },
    { label: "Gini, uniform exposure", value: () => giniIndex([2, 2, 2]), expected: 0 },
    { label: "Gini, one item of four takes all: (n−1)/n", value: () => giniIndex([0, 0, 0, 4]), expected: 0.75 },
    { label: "Gini, a single item", value: () => giniIndex([5]), expected: 0 },
    { label: "entropy, hand case: 0.6·log2 5 + 0.4·log2 2.5", value: () => exposureEntropyBits(counts), expected: 0.6 * Math.log2(5) + 0.4 * Math.log2(2.5) },
    { label: "entropy, uniform over four items: 2 bits", value: () => exposureEntropyBits([3, 3, 3, 3]), expected: 2 },
    { label: "entropy, a single exposed item", value: () => exposureEntropyBits([0, 7, 0]), expected: 0 },
    { label: "head exposure share: item 2 holds 2 of 5", value: () => headExposureShare(counts, Uint8Array.from([0, 0, 1, 0, 0, 0])), expected: 2 / 5 },
    { label: "head exposure share, empty head", value: () => headExposureShare(counts, new Uint8Array(6)), expected: 0 },
    { label: "coverage: 4 of 6 items exposed", value: () => coverage(counts), expected: 4 / 6 },
  ];
  for (const c of cases) it(c.label, () => expect(c.value()).toBeCloseTo(c.expected, 12));

  const undefinedCases = [
    { label: "Gini of no items", value: () => giniIndex([]) },
    { label: "Gini without exposure", value: () => giniIndex([0, 0]) },
    { label: "entropy without exposure", value: () => exposureEntropyBits([]) },
    { label: "head share without exposure", value: () => headExposureShare([0, 0], Uint8Array.from([1, 0])) },
  ];
  for (const c of undefinedCases) it(`${c.label} is NaN`, () => expect(c.value()).toBeNaN());
});

describe("popularity order and short head", () => {
  const pop = [3, 5, 3, 0, 5]; // Σ = 16
  const cases = [
    { label: "ties to the lower index", order: () => popularityOrder(pop), expected: [1, 4, 0, 2, 3] },
    { label: "ties to the lower tie rank", order: () => popularityOrder(pop, [4, 3, 2, 1, 0]), expected: [4, 1, 2, 0, 3] },
    { label: "an empty catalogue", order: () => popularityOrder([]), expected: [] },
  ];
  for (const c of cases) it(`orders by popularity, ${c.label}`, () => expect(Array.from(c.order())).toEqual(c.expected));

  const heads = [
    { label: "20% of 16 = 3.2: the first item (5) is enough", pop, order: [1, 4, 0, 2, 3], share: 0.2, expected: [0, 1, 0, 0, 0] },
    { label: "the tie goes the way of the order", pop, order: [4, 1, 2, 0, 3], share: 0.2, expected: [0, 0, 0, 0, 1] },
    { label: "50% = 8 needs two items", pop, order: [1, 4, 0, 2, 3], share: 0.5, expected: [0, 1, 0, 0, 1] },
    { label: "exactly 20% is enough (≥)", pop: [1, 1, 1, 1, 1], order: [0, 1, 2, 3, 4], share: 0.2, expected: [1, 0, 0, 0, 0] },
    { label: "no interactions: no head", pop: [0, 0], order: [0, 1], share: 0.2, expected: [0, 0] },
  ];
  for (const c of heads) it(`short head: ${c.label}`, () => expect(Array.from(shortHead(c.pop, ints(c.order), c.share))).toEqual(c.expected));
});

describe("per-list popularity metrics", () => {
  const pop = Float64Array.from([3, 5, 3, 0, 5]);
  const head = Uint8Array.from([0, 1, 0, 0, 0]);
  const numUsers = 10;
  const cases = [
    { label: "ARP: (5 + 5) / 2", value: () => averagePopularity(ints([1, 4]), 2, pop), expected: 5 },
    { label: "ARP of a single item", value: () => averagePopularity(ints([3]), 1, pop), expected: 0 },
    { label: "ARP reads only the first `length` items", value: () => averagePopularity(ints([0, 1, 4]), 1, pop), expected: 3 },
    { label: "APLT: items 4 and 3 of 3 are tail", value: () => longTailShare(ints([1, 4, 3]), 3, 3, head), expected: 2 / 3 },
    { label: "APLT with K longer than the list divides by K", value: () => longTailShare(ints([1, 4, 3]), 3, 5, head), expected: 2 / 5 },
    { label: "APLT of an empty list", value: () => longTailShare(ints([]), 0, 10, head), expected: 0 },
    { label: "novelty: −log2(5/10) = 1 and −log2(max(0,1)/10)", value: () => noveltyBits(ints([1, 3]), 2, pop, numUsers), expected: (1 + Math.log2(10)) / 2 },
    { label: "novelty of an item every user has seen", value: () => noveltyBits(ints([0]), 1, Float64Array.from([10]), numUsers), expected: 0 },
  ];
  for (const c of cases) it(c.label, () => expect(c.value()).toBeCloseTo(c.expected, 12));
  it("ARP and novelty of an empty list are NaN", () => {
    expect(averagePopularity(ints([]), 0, pop)).toBeNaN();
    expect(noveltyBits(ints([]), 0, pop, numUsers)).toBeNaN();
  });
});

describe("item categories", () => {
  // A = 0, B = 1, C = 2, and (none) = 3 for items 2 and 4, which have no category.
  const categories = itemCategories([["A", "B"], ["B"], [], ["C", "C"], undefined], 5)!;

  it("numbers categories in order of appearance and gives uncategorised items their own", () => {
    expect(categories.numCategories).toBe(4);
    expect(Array.from(categories.indptr)).toEqual([0, 2, 3, 4, 5, 6]);
    expect(Array.from(categories.indices)).toEqual([0, 1, 1, 3, 2, 3]);
  });

  it("is null when no item has a category (the category metrics are then absent)", () => {
    expect(itemCategories([[], undefined, null], 3)).toBeNull();
    expect(itemCategories([], 0)).toBeNull();
  });

  const ild = [
    { label: "A,B vs B: cos = 1/√2", list: [0, 1], expected: 1 - 1 / Math.SQRT2 },
    { label: "three items: (1 − 1/√2) + 1 + 1 over 3 pairs", list: [0, 1, 3], expected: (3 - 1 / Math.SQRT2) / 3 },
    { label: "two uncategorised items are alike", list: [2, 4], expected: 0 },
    { label: "an uncategorised item against a categorised one", list: [2, 1], expected: 1 },
  ];
  for (const c of ild) it(`ILD: ${c.label}`, () => expect(intraListDiversity(ints(c.list), c.list.length, categories)).toBeCloseTo(c.expected, 12));
  it("ILD of a single-item or empty list is NaN", () => {
    expect(intraListDiversity(ints([0]), 1, categories)).toBeNaN();
    expect(intraListDiversity(ints([]), 0, categories)).toBeNaN();
  });

  // History {0, 1}: p(·|0) = A .5, B .5; p(·|1) = B 1, so p_u = A .25, B .75.
  const kl = [
    { label: "list {1}: q = B 1", list: [1], history: [0, 1], expected: 0.25 * Math.log(0.25 / (0.01 * 0.25)) + 0.75 * Math.log(0.75 / (0.99 + 0.01 * 0.75)) },
    { label: "the list's mix equals the history's", list: [1, 0], history: [0, 1], expected: 0 },
    { label: "uncategorised history and list", list: [4], history: [2], expected: 0 },
    { label: "disjoint categories: ln(1 / 0.01)", list: [3], history: [2], expected: Math.log(100) },
    { label: "only the first `length` items count", list: [1, 3, 3], history: [0, 1], length: 1, expected: 0.9374083398217763 },
  ];
  for (const c of kl) {
    it(`miscalibration: ${c.label}`, () => {
      const value = () => miscalibration(ints(c.list), c.length ?? c.list.length, ints(c.history), categories);
      expect(value()).toBeCloseTo(c.expected, 12);
      expect(value()).toBeCloseTo(c.expected, 12); // the shared scratch is clean after a call
    });
  }
  it("miscalibration of an empty list or history is NaN", () => {
    expect(miscalibration(ints([]), 0, ints([0]), categories)).toBeNaN();
    expect(miscalibration(ints([0]), 1, ints([]), categories)).toBeNaN();
  });
});

describe("serendipity", () => {
  const cases = [
    { label: "one relevant item outside Popularity's top 4", relevant: [1, 0, 1, 1], primitive: [0, NOT_IN_PRIMITIVE, 5, 2], k: 4, expected: 1 / 4 },
    { label: "at K = 2 the hit at rank 0 is Popularity's own", relevant: [1, 0, 1, 1], primitive: [0, NOT_IN_PRIMITIVE, 5, 2], k: 2, expected: 0 },
    { label: "an item ranked 5th by Popularity is expected at K = 10", relevant: [1, 0, 1, 1], primitive: [0, NOT_IN_PRIMITIVE, 5, 2], k: 10, expected: 0 },
    { label: "K longer than the list divides by K", relevant: [1, 1], primitive: [NOT_IN_PRIMITIVE, NOT_IN_PRIMITIVE], k: 10, expected: 2 / 10 },
    { label: "no hits", relevant: [0, 0], primitive: [NOT_IN_PRIMITIVE, NOT_IN_PRIMITIVE], k: 2, expected: 0 },
    { label: "an empty list", relevant: [], primitive: [], k: 5, expected: 0 },
  ];
  for (const c of cases) {
    it(c.label, () => expect(serendipity(Uint8Array.from(c.relevant), ints(c.primitive), c.relevant.length, c.k)).toBeCloseTo(c.expected, 12));
  }
});

describe("AUC over a full ranking", () => {
  // Item 3 is masked; item 1 (.5) ties item 2.
  const scores = Float32Array.from([0.9, 0.5, 0.5, -Infinity, 0.1]);
  const cases = [
    { label: "one positive: loses to 0, ties 2, beats 4", positives: [1], expected: 1.5 / 3 },
    { label: "two positives against 0 and 2: 1/2 + 0 of 2 × 2 pairs", positives: [1, 4], expected: 0.5 / 4 },
    { label: "duplicate positives count once", positives: [4, 1, 4], expected: 0.5 / 4 },
    { label: "a perfect ranking", positives: [0], expected: 1 },
    { label: "the worst ranking", positives: [4], expected: 0 },
    { label: "a masked positive is left out", positives: [3, 0], expected: 1 },
  ];
  for (const c of cases) it(c.label, () => expect(auc(scores, 0, 5, ints(c.positives))).toBeCloseTo(c.expected, 12));

  it("reads one row of a score block", () => {
    const block = Float32Array.from([1, 1, 1, 0.2, 0.9, 0.4]);
    expect(auc(block, 3, 3, ints([1]))).toBeCloseTo(1, 12);
  });

  it("all tied is 1/2", () => expect(auc(Float32Array.from([0.3, 0.3, 0.3]), 0, 3, ints([2]))).toBeCloseTo(0.5, 12));

  const undefinedCases = [
    { label: "no positive", positives: [] },
    { label: "only masked positives", positives: [3] },
    { label: "no negative", positives: [0, 1, 2, 4] },
  ];
  for (const c of undefinedCases) it(`is NaN with ${c.label}`, () => expect(auc(scores, 0, 5, ints(c.positives))).toBeNaN());
});

describe("beyond-accuracy context", () => {
  // 3 users × 4 items; pop = [1, 3, 0, 3] (Σ 7, 20% = 1.4: item 1 alone, the lower index of a tie).
  const train = buildCsr(3, 4, ints([0, 0, 1, 1, 2, 2, 2]), ints([1, 3, 0, 1, 1, 3, 3]));

  it("counts interactions per item, orders by popularity and takes the short head", () => {
    const ctx = buildBeyondContext({ train });
    expect(Array.from(ctx.popularity)).toEqual([1, 3, 0, 3]);
    expect(Array.from(ctx.popularityOrder)).toEqual([1, 3, 0, 2]);
    expect(Array.from(ctx.head)).toEqual([0, 1, 0, 0]);
    expect(ctx.numUsers).toBe(3);
    expect(ctx.categories).toBeNull();
  });

  it("breaks popularity ties by original item id, numerically", () => {
    const tied = buildCsr(1, 3, ints([0, 0, 0]), ints([0, 1, 2]));
    expect(Array.from(buildBeyondContext({ train: tied, itemIds: ["10", "9", "100"] }).popularityOrder)).toEqual([1, 0, 2]);
  });

  const ranks = [
    { label: "numeric ids", ids: ["10", "9", "100"], expected: [1, 0, 2] },
    { label: "text ids", ids: ["b", "a", "c"], expected: [1, 0, 2] },
    { label: "mixed ids compare as text", ids: ["10", "a", "9"], expected: [0, 2, 1] },
  ];
  for (const c of ranks) it(`ranks ${c.label}`, () => expect(Array.from(itemIdRanks(c.ids))).toEqual(c.expected));
});

describe("intra-list diversity over training-user vectors (datasets without categories)", () => {
  it("is 1 − cosine of the items' user sets, an item without users being similar to nothing", () => {
    // user 0: item 0; user 1: items 0 and 1; item 2 has no training users.
    const train = buildCsr(2, 3, Int32Array.from([0, 1, 1]), Int32Array.from([0, 0, 1]));
    const context = buildBeyondContext({ train });
    expect(context.diversityBasis).toBe("interactions");
    // pairs: (0,1) 1 − 1/√2; (0,2) 1; (1,2) 1
    expect(intraListDiversity(Int32Array.from([0, 1, 2]), 3, context.diversityVectors)).toBeCloseTo((1 - 1 / Math.SQRT2 + 2) / 3, 12);
  });

  it("equals 1 − |U_a ∩ U_b| / √(|U_a||U_b|) over sets for rows of very different lengths, asked once or again", () => {
    // Item i has every user u with (u * (i + 1)) % m < share_i: a few heads of ~2,000 users, tails of 1-50.
    const numUsers = 6000;
    const shares = [2000, 1500, 1200, 700, 300, 50, 12, 3, 1, 0];
    const users: number[] = [], items: number[] = [];
    shares.forEach((share, i) => {
      for (let u = 0; u < numUsers; u++) if ((u * (i + 7)) % 3001 < share) users.push(u), items.push(i);
    });
    const train = buildCsr(numUsers, shares.length, Int32Array.from(users), Int32Array.from(items));
    const vectors = buildBeyondContext({ train }).diversityVectors;
    const sets = shares.map((_, i) => new Set(Array.from(vectors.indices.subarray(vectors.indptr[i], vectors.indptr[i + 1]))));
    const list = Int32Array.from([3, 0, 9, 5, 1, 7, 2, 8, 4, 6]);
    let sum = 0;
    for (let a = 0; a < list.length; a++)
      for (let b = a + 1; b < list.length; b++) {
        const [sa, sb] = [sets[list[a]], sets[list[b]]];
        const shared = [...sa].filter((u) => sb.has(u)).length;
        sum += sa.size * sb.size === 0 ? 1 : 1 - shared / Math.sqrt(sa.size * sb.size);
      }
    const expected = sum / 45;
    expect(sets[0].size).toBeGreaterThan(1000);
    expect(intraListDiversity(list, 10, vectors)).toBeCloseTo(expected, 12);
    expect(intraListDiversity(list, 10, vectors)).toBeCloseTo(expected, 12); // remembered pairs
    expect(intraListDiversity(list.slice().reverse(), 10, vectors)).toBeCloseTo(expected, 12); // pairs in the other order
  });
});
