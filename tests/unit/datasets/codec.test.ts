import { describe, expect, it } from "vitest";
import { decodeDataset, encodeDataset } from "@/lib/datasets/codec";
import { generateSynthetic } from "@/lib/datasets/synthetic";
import type { Dataset } from "@/lib/datasets/types";

const meta = (d: Dataset) => ({ numUsers: d.numUsers, numItems: d.numItems, feedback: d.feedback, hasTimestamps: d.hasTimestamps });

/** Copies each blob into a Node Buffer at an odd offset, as a database driver may hand it back. */
function misaligned(blobs: ReturnType<typeof encodeDataset>) {
  return blobs.map((b) => {
    const pool = Buffer.alloc(b.data.length + 3);
    pool.set(b.data, 1);
    return { ...b, data: pool.subarray(1, 1 + b.data.length) };
  });
}

describe("dataset codec", () => {
  it("round-trips columns, ids and attributes, even from misaligned buffers in any order", () => {
    const { truth: _t, ...d } = generateSynthetic({ numUsers: 40, numItems: 30 });
    const blobs = encodeDataset(d);
    expect(blobs.map((b) => b.kind)).toEqual(["users", "items", "ratings", "timestamps", "user-ids", "item-ids", "item-attributes", "user-attributes"]);
    expect(blobs[0].data.byteLength).toBe(d.table.users.length * 4);
    const back = decodeDataset(misaligned(blobs).reverse(), meta(d));
    expect(back).toEqual(d);
  });

  it("stores raw little-endian bytes", () => {
    const { truth: _t, ...d } = generateSynthetic({ numUsers: 10, numItems: 10 });
    const users = encodeDataset(d).find((b) => b.kind === "users")!;
    const view = new DataView(users.data.buffer, users.data.byteOffset, users.data.byteLength);
    expect(view.getInt32(4 * 7, true)).toBe(d.table.users[7]);
  });

  it("chunks every kind into parts of at most the part size", () => {
    const { truth: _t, ...d } = generateSynthetic({ numUsers: 40, numItems: 30 });
    const blobs = encodeDataset(d, { maxPartBytes: 1000 });
    for (const b of blobs) expect(b.data.byteLength).toBeLessThanOrEqual(1000);
    const users = blobs.filter((b) => b.kind === "users");
    expect(users.map((b) => b.part)).toEqual(users.map((_, i) => i));
    expect(users.length).toBe(Math.ceil((d.table.users.length * 4) / 1000));
    expect(decodeDataset(misaligned(blobs), meta(d))).toEqual(d);
  });

  it("omits implicit ratings and absent timestamps and fills them back", () => {
    const d: Dataset = {
      numUsers: 2,
      numItems: 2,
      table: { users: Int32Array.from([0, 1]), items: Int32Array.from([1, 0]), ratings: Float32Array.from([1, 1]), timestamps: new Float64Array(2) },
      userIds: ["a", "b"],
      itemIds: ["x", "y"],
      feedback: "implicit",
      hasTimestamps: false,
    };
    const blobs = encodeDataset(d);
    expect(blobs.map((b) => b.kind)).toEqual(["users", "items", "user-ids", "item-ids"]);
    expect(decodeDataset(blobs, meta(d))).toEqual(d);
  });

  it("refuses a column whose length does not match", () => {
    const { truth: _t, ...d } = generateSynthetic({ numUsers: 10, numItems: 10 });
    const blobs = encodeDataset(d).map((b) => (b.kind === "items" ? { ...b, data: b.data.subarray(0, 8) } : b));
    expect(() => decodeDataset(blobs, meta(d))).toThrow(`the stored 'items' column has 2 rows, expected ${d.table.users.length}`);
  });
});
