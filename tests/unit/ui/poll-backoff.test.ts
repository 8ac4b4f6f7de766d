import { describe, expect, it } from "vitest";
import { pollWithBackoff } from "@/app/_components/ui/poll-backoff";

type Data = { status: string; epoch: number };

/** Replays fetches on one query object the way react-query does: same reference when the JSON is equal. */
function fetches(policy: ReturnType<typeof pollWithBackoff<Data>>, results: Data[]) {
  const query: { state: { data?: Data; dataUpdateCount: number } } = { state: { data: undefined, dataUpdateCount: 0 } };
  return results.map((next) => {
    const previous = query.state.data;
    query.state = { data: previous && JSON.stringify(previous) === JSON.stringify(next) ? previous : next, dataUpdateCount: query.state.dataUpdateCount + 1 };
    policy(query); // evaluated again on a state change without a fetch: must not count
    return policy(query);
  });
}

const running = (epoch: number): Data => ({ status: "RUNNING", epoch });
const open = (d: Data) => d.status === "RUNNING";

describe("pollWithBackoff", () => {
  it("doubles from 1 s while nothing changes, caps at 30 s and resets on a change", () => {
    const same = Array.from({ length: 8 }, () => running(1));
    expect(fetches(pollWithBackoff({ open }), [...same, running(2), running(2)])).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000, 1000, 2000]);
  });

  it("stops (or idles) once nothing is open, and starts over from base when it reopens", () => {
    expect(fetches(pollWithBackoff({ open }), [running(1), running(1), { status: "SUCCEEDED", epoch: 1 }])).toEqual([1000, 2000, false]);
    expect(fetches(pollWithBackoff({ open, idle: 15_000, base: 2000 }), [running(1), { status: "SUCCEEDED", epoch: 1 }, running(1), running(1)])).toEqual([2000, 15_000, 2000, 4000]);
  });

  it("polls at base without backing off while an awaited outcome is eager (a cancel in flight)", () => {
    const eager = (d: Data) => d.epoch < 0; // the test's stand-in for "cancel requested"
    const same = Array.from({ length: 4 }, () => running(1));
    const cancelling = Array.from({ length: 4 }, () => running(-1));
    expect(fetches(pollWithBackoff({ open, eager }), [...same, ...cancelling])).toEqual([1000, 2000, 4000, 8000, 1000, 1000, 1000, 1000]);
  });

  it("polls at base before the first data arrives", () => {
    expect(pollWithBackoff<Data>({ base: 1500 })({ state: { data: undefined, dataUpdateCount: 0 } })).toBe(1500);
  });
});
