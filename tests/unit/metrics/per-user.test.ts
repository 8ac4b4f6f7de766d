import { describe, expect, it } from "vitest";
import { alignPerUser, decodePerUser, encodePerUser, type PerUser } from "@/lib/metrics/per-user";

const run: PerUser = {
  users: Int32Array.from([0, 1, 3, 7]),
  values: {
    "ndcg@10": Float32Array.from([0.5, 0, 1, 0.25]),
    "hit@10": Float32Array.from([1, 0, 1, 1]),
  },
};

describe("encodePerUser / decodePerUser", () => {
  const cases: { label: string; perUser: PerUser }[] = [
    { label: "two metrics", perUser: run },
    { label: "no users", perUser: { users: new Int32Array(0), values: { "ndcg@10": new Float32Array(0) } } },
    { label: "no metrics", perUser: { users: Int32Array.from([5]), values: {} } },
    {
      label: "awkward key lengths and special values",
      perUser: { users: Int32Array.from([2147483647, 0]), values: { "é@1": Float32Array.from([NaN, -Infinity]), a: Float32Array.from([1e-30, 3.4e38]) } },
    },
  ];
  for (const c of cases) {
    it(`round-trips ${c.label}`, () => {
      const bytes = encodePerUser(c.perUser);
      const back = decodePerUser(bytes);
      expect(back).toEqual(c.perUser);
      expect(Object.keys(back.values)).toEqual(Object.keys(c.perUser.values));
    });
  }

  it("is compact: header plus 4 bytes per value", () => {
    const bytes = encodePerUser(run);
    const headerBytes = new DataView(bytes.buffer).getUint32(4, true);
    expect(bytes.byteLength).toBe(8 + headerBytes + 4 * 4 * 3);
  });

  it("decodes from an unaligned view (e.g. a database Buffer)", () => {
    const bytes = encodePerUser(run);
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    expect(decodePerUser(shifted.subarray(3))).toEqual(run);
  });

  it("rejects foreign or damaged bytes", () => {
    const bytes = encodePerUser(run);
    expect(() => decodePerUser(new Uint8Array([1, 2, 3]))).toThrow(/not an encoded/);
    expect(() => decodePerUser(bytes.subarray(0, bytes.length - 4))).toThrow(/wrong size/);
    const broken = bytes.slice();
    broken[8] = 0x7b + 1; // first header byte no longer "{"
    expect(() => decodePerUser(broken)).toThrow(/malformed header/);
  });

  it("rejects vectors of the wrong length", () => {
    expect(() => encodePerUser({ users: Int32Array.from([1, 2]), values: { x: new Float32Array(1) } })).toThrow(/1 values for 2 users/);
  });
});

describe("alignPerUser", () => {
  it("pairs values over the users both runs evaluated, in the first run's order", () => {
    const other: PerUser = {
      users: Int32Array.from([3, 0, 2]),
      values: { "ndcg@10": Float32Array.from([0.75, 0.125, 1]) },
    };
    const aligned = alignPerUser(run, other, "ndcg@10");
    expect(Array.from(aligned.users)).toEqual([0, 3]);
    expect(Array.from(aligned.a)).toEqual([0.5, 1]);
    expect(Array.from(aligned.b)).toEqual([0.125, 0.75]);
    expect(aligned.a).toBeInstanceOf(Float64Array);
  });

  it("rejects a key missing from either run", () => {
    expect(() => alignPerUser(run, run, "mrr@10")).toThrow(/missing from the first run/);
    expect(() => alignPerUser(run, { users: run.users, values: {} }, "hit@10")).toThrow(/missing from the second run/);
  });
});
