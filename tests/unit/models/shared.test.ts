import { describe, expect, it } from "vitest";
import { dot, scoreAllItems } from "@/lib/models/shared/factors";
import { TopK } from "@/lib/models/shared/top-k";
import { Rng } from "@/lib/util/rng";

describe("scoreAllItems", () => {
  it.each([
    ["blocked sizes", 8, 6, 4],
    ["leftover users and an odd item count", 7, 5, 3],
    ["a single user", 1, 3, 2],
  ])("matches plain dot products plus biases (%s)", (_label, numUsers, numItems, dim) => {
    const rng = new Rng(1);
    const rand = (n: number) => Float32Array.from({ length: n }, () => rng.normal());
    const model = {
      dim,
      numItems,
      userFactors: rand(numUsers * dim),
      itemFactors: rand(numItems * dim),
      userBias: rand(numUsers),
      itemBias: rand(numItems),
      globalBias: 3.5,
    };
    const users = Int32Array.from({ length: numUsers }, (_, r) => numUsers - 1 - r);
    const out = new Float32Array(numUsers * numItems);
    scoreAllItems(model, users, out);
    for (let r = 0; r < numUsers; r++) {
      const u = users[r];
      for (let i = 0; i < numItems; i++) {
        const expected = 3.5 + model.userBias[u] + model.itemBias[i] + dot(model.userFactors, u * dim, model.itemFactors, i * dim, dim);
        expect(out[r * numItems + i]).toBeCloseTo(expected, 4);
      }
    }
  });
});

describe("TopK", () => {
  it("keeps the K largest values, largest first", () => {
    const top = new TopK(3);
    [5, 1, 9, 7, 3, 8].forEach((v, i) => top.push(i, v));
    const indices = new Int32Array(3), values = new Float32Array(3);
    expect(top.drainDescending(indices, values, 0)).toBe(3);
    expect(Array.from(values)).toEqual([9, 8, 7]);
    expect(Array.from(indices)).toEqual([2, 5, 3]);
    expect(top.length).toBe(0);
  });

  it("returns fewer than K when fewer were pushed", () => {
    const top = new TopK(5);
    top.push(4, 0.5);
    top.push(2, 0.25);
    const indices = new Int32Array(5), values = new Float32Array(5);
    expect(top.drainDescending(indices, values, 1)).toBe(2);
    expect(Array.from(indices.subarray(1, 3))).toEqual([4, 2]);
  });
});
