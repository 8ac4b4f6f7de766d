import { describe, expect, it } from "vitest";
import { minimumProtected } from "@/lib/fairness/exposure-constraint";
import { createReranker } from "@/lib/fairness/registry";
import { Rng } from "@/lib/util/rng";
import { tinyContext, user } from "./fixtures";

const rerank = (lambda: number, items: number[], k: number, scope = "prefix") => {
  const out = new Int32Array(k);
  const n = createReranker("exposure-constraint", { lambda, scope }, tinyContext)(user(items, items.map((_, i) => 1 - i / items.length)), k, out);
  return Array.from(out.subarray(0, n));
};

describe("exposure constraint (FA*IR-style minimum tail share)", () => {
  // Tail items: 2, 3, 4. Candidates in base order: 0, 1, 5 (head), 2, 3 (tail).
  it.each([
    { label: "p = .5: ⌈.5⌉ = 1, 1, ⌈1.5⌉ = 2, 2", p: 0.5, list: [2, 0, 3, 1] },
    { label: "p = .3: 1, 1, 1, ⌈1.2⌉ = 2", p: 0.3, list: [2, 0, 1, 3] },
    { label: "p = 1: every tail item first", p: 1, list: [2, 3, 0, 1] },
    { label: "p = 0: base order", p: 0, list: [0, 1, 5, 2] },
  ])("$label", ({ p, list }) => {
    expect(rerank(p, [0, 1, 5, 2, 3], 4)).toEqual(list);
  });

  it.each([
    { label: "p = .5: ⌈.5·4⌉ = 2 tail items in the last two slots", p: 0.5, list: [0, 1, 2, 3] },
    { label: "p = .25: one, in the last slot", p: 0.25, list: [0, 1, 5, 2] },
    { label: "p = 2/3, k = 3: two tail items, placed last", p: 2 / 3, k: 3, list: [0, 2, 3] },
    { label: "p = 1, k = 3: only two tail candidates, so both at once", p: 1, k: 3, list: [2, 3, 0] },
  ])("scope list, $label", ({ p, k = 4, list }) => {
    expect(rerank(p, [0, 1, 5, 2, 3], k, "list")).toEqual(list);
  });

  it("too few tail candidates: all of them, as early as asked, then base order", () => {
    expect(rerank(1, [0, 1, 5, 2], 3)).toEqual([2, 0, 1]);
    expect(rerank(0.9, [0, 1, 5], 3)).toEqual([0, 1, 5]);
  });

  it("⌈p·k⌉ survives rounding: .3·10 is 3, not 4", () => {
    expect(minimumProtected(0.3, 10)).toBe(3);
    expect(minimumProtected(0.7, 10)).toBe(7);
    expect(minimumProtected(0.1, 1)).toBe(1);
    expect(minimumProtected(0, 10)).toBe(0);
  });

  it.each(["prefix", "list"])("scope %s: every list (every prefix) meets ⌈p·k⌉, or holds every tail candidate (random lists)", (scope) => {
    const numItems = 200;
    const rng = new Rng(3);
    const tail = Uint8Array.from({ length: numItems }, () => (rng.next() < 0.3 ? 1 : 0));
    const ctx = { numItems, tail };
    for (let trial = 0; trial < 300; trial++) {
      const p = Math.round(rng.next() * 100) / 100;
      const c = 1 + rng.int(60);
      const k = 1 + rng.int(20);
      const items = rng.shuffle(Int32Array.from({ length: numItems }, (_, i) => i)).slice(0, c);
      const scores = Float32Array.from(items, () => rng.next());
      const out = new Int32Array(k);
      const n = createReranker("exposure-constraint", { lambda: p, scope }, ctx)({ items, scores, history: new Int32Array(0) }, k, out);
      expect(n).toBe(Math.min(k, c));
      let available = 0;
      for (const i of items) available += tail[i];
      let held = 0;
      for (let j = 0; j < n; j++) {
        held += tail[out[j]];
        if (scope === "prefix") expect(held).toBeGreaterThanOrEqual(Math.min(minimumProtected(p, j + 1), available));
      }
      expect(held).toBeGreaterThanOrEqual(Math.min(minimumProtected(p, n), available));
    }
  });
});
