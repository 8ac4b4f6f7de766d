import { beforeEach, describe, expect, it } from "vitest";
import { clearSharedReads, sharedRead, sharedReadKey, sharedReadTtlMs } from "@/lib/server/shared-reads";

/** A read that counts its calls and resolves when told to. */
function countedRead<T>(value: T) {
  let calls = 0;
  const pending: (() => void)[] = [];
  const load = () => {
    calls++;
    return new Promise<T>((resolve) => pending.push(() => resolve(value)));
  };
  return { load, calls: () => calls, settle: () => pending.splice(0).forEach((f) => f()) };
}

describe("sharedRead", () => {
  let clock = 0;
  const now = () => clock;
  beforeEach(() => {
    clearSharedReads();
    clock = 1_000;
  });

  it("joins concurrent reads of one key and reuses the result until the interval passes", async () => {
    const read = countedRead({ rows: 3 });
    const a = sharedRead("k", read.load, 1_000, now);
    const b = sharedRead("k", read.load, 1_000, now);
    read.settle();
    expect(await a).toBe(await b);
    clock += 999;
    await sharedRead("k", read.load, 1_000, now);
    expect(read.calls()).toBe(1);
    clock += 1;
    const c = sharedRead("k", read.load, 1_000, now);
    read.settle();
    await c;
    expect(read.calls()).toBe(2);
  });

  it("keeps keys apart", async () => {
    const read = countedRead(1);
    const reads = [sharedRead(sharedReadKey("runs", "team-a", null), read.load, 1_000, now), sharedRead(sharedReadKey("runs", "team-b", null), read.load, 1_000, now)];
    read.settle();
    await Promise.all(reads);
    expect(read.calls()).toBe(2);
  });

  it("does not keep a failed read", async () => {
    let calls = 0;
    const failing = () => (++calls === 1 ? Promise.reject(new Error("database down")) : Promise.resolve("ok"));
    await expect(sharedRead("k", failing, 1_000, now)).rejects.toThrow("database down");
    expect(await sharedRead("k", failing, 1_000, now)).toBe("ok");
    expect(calls).toBe(2);
  });

  it("reads afresh after clearSharedReads, even while an older read is in flight", async () => {
    const read = countedRead("before");
    const old = sharedRead("k", read.load, 1_000, now);
    clearSharedReads();
    const fresh = sharedRead("k", read.load, 1_000, now);
    read.settle();
    await Promise.all([old, fresh]);
    expect(read.calls()).toBe(2);
  });

  it("reads every time with an interval of 0", async () => {
    let calls = 0;
    const load = async () => ++calls;
    await sharedRead("k", load, 0, now);
    await sharedRead("k", load, 0, now);
    expect(calls).toBe(2);
  });
});

describe("sharedReadTtlMs", () => {
  it("defaults to one second and reads RECLAB_LIST_CACHE_MS", () => {
    expect(sharedReadTtlMs({})).toBe(1_000);
    expect(sharedReadTtlMs({ RECLAB_LIST_CACHE_MS: "0" })).toBe(0);
    expect(sharedReadTtlMs({ RECLAB_LIST_CACHE_MS: "250" })).toBe(250);
  });

  it("refuses a value that is not a number of milliseconds up to a minute", () => {
    for (const bad of ["-1", "abc", "60001", "1.5"]) expect(() => sharedReadTtlMs({ RECLAB_LIST_CACHE_MS: bad })).toThrow(/RECLAB_LIST_CACHE_MS/);
  });
});
