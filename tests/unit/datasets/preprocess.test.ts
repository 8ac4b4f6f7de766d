import { describe, expect, it } from "vitest";
import { preprocess, preprocessOptionsSchema } from "@/lib/datasets/preprocess";
import type { InteractionTable } from "@/lib/datasets/types";

function rows(spec: [user: number, item: number, rating: number, time: number][]): InteractionTable {
  return {
    users: Int32Array.from(spec, (r) => r[0]),
    items: Int32Array.from(spec, (r) => r[1]),
    ratings: Float32Array.from(spec, (r) => r[2]),
    timestamps: Float64Array.from(spec, (r) => r[3]),
  };
}
const input = (table: InteractionTable, numUsers: number, numItems: number, hasRatings = true) => ({ table, numUsers, numItems, hasRatings });

describe("preprocess", () => {
  const dup = rows([
    [0, 0, 1, 20],
    [0, 0, 2, 10],
    [1, 1, 3, 5],
    [0, 0, 4, 20],
  ]);

  it.each([
    { dedupe: "keep-latest" as const, kept: [3, 4], times: [5, 20] },
    { dedupe: "keep-first" as const, kept: [2, 3], times: [10, 5] },
    { dedupe: "none" as const, kept: [1, 2, 3, 4], times: [20, 10, 5, 20] },
  ])("dedupe $dedupe", ({ dedupe, kept, times }) => {
    const r = preprocess(input(dup, 2, 2), { dedupe });
    expect(Array.from(r.table.ratings).sort()).toEqual(kept.map((k) => [1, 2, 3, 4][k - 1]).sort());
    expect(Array.from(r.table.timestamps).sort((a, b) => a - b)).toEqual([...times].sort((a, b) => a - b));
    expect(r.dropped.duplicates).toBe(4 - kept.length);
  });

  it("keeps the later row when the latest timestamps tie", () => {
    const r = preprocess(input(dup, 2, 2));
    expect(Array.from(r.table.ratings)).toEqual([3, 4]);
  });

  it("drops rows with missing ids and re-encodes ids densely in first-seen order", () => {
    const r = preprocess(input(rows([[-1, 0, 1, 0], [2, 3, 1, 0], [0, -1, 1, 0], [0, 3, 1, 0], [2, 1, 1, 0]]), 3, 4));
    expect(r.dropped.missingIds).toBe(2);
    expect(Array.from(r.table.users)).toEqual([0, 1, 0]);
    expect(Array.from(r.table.items)).toEqual([0, 0, 1]);
    expect(Array.from(r.userIndex)).toEqual([2, 0]);
    expect(Array.from(r.itemIndex)).toEqual([3, 1]);
    expect(r).toMatchObject({ numUsers: 2, numItems: 2, rowsRead: 5, rowsKept: 3 });
  });

  it("refuses missing ids when dropMissingIds is false", () => {
    expect(() => preprocess(input(rows([[0, 0, 1, 0], [-1, 0, 1, 0]]), 1, 1), { dropMissingIds: false })).toThrow(
      "row 2 has an empty user or item id",
    );
  });

  it("clips or drops out-of-range ratings", () => {
    const t = rows([[0, 0, 0, 0], [0, 1, 3, 0], [0, 2, 9, 0]]);
    const clip = preprocess(input(t, 1, 3), { ratingRange: { min: 1, max: 5, action: "clip" } });
    expect(Array.from(clip.table.ratings)).toEqual([1, 3, 5]);
    expect(clip.clipped).toBe(2);
    const drop = preprocess(input(t, 1, 3), { ratingRange: { min: 1, max: 5, action: "drop" } });
    expect(Array.from(drop.table.ratings)).toEqual([3]);
    expect(drop.dropped.outOfRange).toBe(2);
    expect(t.ratings[0]).toBe(0); // input untouched
  });

  it("thresholds to implicit feedback after de-duplication", () => {
    const r = preprocess(input(dup, 2, 2), { implicitThreshold: 3.5 });
    // keep-latest leaves (0,0)=4 and (1,1)=3; 3 < 3.5 is dropped.
    expect(r.feedback).toBe("implicit");
    expect(Array.from(r.table.ratings)).toEqual([1]);
    expect(r.dropped.belowThreshold).toBe(1);
  });

  it("iterates k-core to a fixed point", () => {
    // Items 0,1 are rated by users 0,1,2; item 2 only by user 3, who also rated item 0.
    // 2-core: item 2 (1 rating) goes, then user 3 has 1 row and goes; then item 0 still has 3.
    const t = rows([[0, 0, 1, 0], [0, 1, 1, 0], [1, 0, 1, 0], [1, 1, 1, 0], [2, 0, 1, 0], [2, 1, 1, 0], [3, 2, 1, 0], [3, 0, 1, 0]]);
    const r = preprocess(input(t, 4, 3), { kCore: { users: 2, items: 2 } });
    expect(r.dropped.kCore).toBe(2);
    expect(r.numUsers).toBe(3);
    expect(r.numItems).toBe(2);
    expect(r.notes).toEqual(["k-core (users >= 2, items >= 2) reached a fixed point after 3 rounds"]);
  });

  it("data without ratings is implicit and refuses an implicit threshold", () => {
    const t = rows([[0, 0, 1, 0]]);
    expect(preprocess(input(t, 1, 1, false)).feedback).toBe("implicit");
    expect(() => preprocess(input(t, 1, 1, false), { implicitThreshold: 4 })).toThrow("implicitThreshold needs a rating column, and the data has none");
  });

  it("has described options with defaults", () => {
    expect(preprocessOptionsSchema.parse({})).toEqual({ dedupe: "keep-latest", dropMissingIds: true });
    expect(preprocessOptionsSchema.shape.kCore.description).toMatch(/drop users and items/);
    expect(preprocessOptionsSchema.safeParse({ kCore: { users: 0, items: 1 } }).success).toBe(false);
  });
});
