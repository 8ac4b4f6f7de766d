import { describe, expect, it } from "vitest";
import { appendRows, buildSessions, buildUserSequences, buildWindows, fillRecentWindow, pickEpochWindows } from "@/lib/models/sequential/sequences";
import { Rng } from "@/lib/util/rng";

const table = (rows: [number, number, number][]) => ({
  users: Int32Array.from(rows.map((r) => r[0])),
  items: Int32Array.from(rows.map((r) => r[1])),
  ratings: new Float32Array(rows.length).fill(1),
  timestamps: Float64Array.from(rows.map((r) => r[2])),
});

describe("sequence building", () => {
  // user 0: items by time 5(t=1), 7(t=2, row 1), 3(t=2, row 3: tie keeps row order), 9(t=10)
  const seqs = buildUserSequences(table([[0, 9, 10], [0, 7, 2], [1, 4, 0], [0, 3, 2], [0, 5, 1]]), 3);

  it("orders each user's items by time, ties by row order", () => {
    expect(Array.from(seqs.indptr)).toEqual([0, 4, 5, 5]);
    expect(Array.from(seqs.items.subarray(0, 4))).toEqual([5, 7, 3, 9]);
    expect(Array.from(seqs.items.subarray(4))).toEqual([4]);
  });

  it.each([
    { label: "truncates to the most recent maxLen", user: 0, maxLen: 3, want: [8, 4, 10] },
    { label: "left-pads short histories with 0", user: 1, maxLen: 3, want: [0, 0, 5] },
    { label: "an empty history is all padding", user: 2, maxLen: 2, want: [0, 0] },
  ])("window: $label", ({ user, maxLen, want }) => {
    const out = new Int32Array(maxLen + 1).fill(-1);
    fillRecentWindow(seqs, user, maxLen, out, 1);
    expect(Array.from(out.subarray(1))).toEqual(want);
    expect(out[0]).toBe(-1);
  });

  it("builds next-item windows, newest first, every item a target once", () => {
    const windows = buildWindows(seqs, 2);
    expect(windows.count).toBe(2); // user 1 has a single item: no target
    expect(Array.from(windows.users)).toEqual([0, 0]);
    expect(Array.from(windows.inputs)).toEqual([8, 4, 0, 6]);
    expect(Array.from(windows.targets)).toEqual([4, 10, 0, 8]);
  });

  describe("windows an epoch trains on", () => {
    // user 0: 8 items -> windows of 2 targets: newest [6,7], then [4,5], [2,3], [1]; user 1: [1]
    const long = buildUserSequences(table([...Array.from({ length: 8 }, (_, t): [number, number, number] => [0, t, t]), [1, 0, 0], [1, 1, 1]]), 2);
    const windows = buildWindows(long, 2);

    it("all: every window; latest: each user's newest", () => {
      expect(Array.from(windows.users)).toEqual([0, 0, 0, 0, 1]);
      expect(Array.from(pickEpochWindows(windows, "all", new Rng(1)))).toEqual([0, 1, 2, 3, 4]);
      expect(Array.from(pickEpochWindows(windows, "latest", new Rng(1)))).toEqual([0, 4]);
    });

    it("sampled: one window per user, each of a user's windows about equally often", () => {
      const rng = new Rng(7);
      const seen = new Array(windows.count).fill(0);
      for (let epoch = 0; epoch < 4000; epoch++) {
        const picked = pickEpochWindows(windows, "sampled", rng);
        expect(Array.from(picked, (w) => windows.users[w])).toEqual([0, 1]);
        for (const w of picked) seen[w]++;
      }
      for (const w of [0, 1, 2, 3]) expect(seen[w] / 4000).toBeCloseTo(0.25, 1);
      expect(seen[4]).toBe(4000);
    });
  });

  it("cuts sessions at time gaps; gap 0 keeps one session per user", () => {
    expect(Array.from(buildSessions(seqs, 0).starts)).toEqual([0]);
    const cut = buildSessions(seqs, 5); // 5 -> 7 -> 3 | 9 (gap 8 > 5); the lone 9 is dropped
    expect(Array.from(cut.starts)).toEqual([0]);
    expect(Array.from(cut.ends)).toEqual([3]);
  });

  it("appends observed rows after each user's history, in time order among themselves", () => {
    const more = appendRows(seqs, table([[2, 8, 5], [0, 6, 12], [0, 1, 11]]));
    expect(Array.from(more.indptr)).toEqual([0, 6, 7, 8]);
    expect(Array.from(more.items)).toEqual([5, 7, 3, 9, 1, 6, 4, 8]);
  });
});
