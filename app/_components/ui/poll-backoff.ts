/**
 * One polling policy for every live view (react-query `refetchInterval`): while the data is
 * "open" (something still runs), poll after `base` ms and double the wait after each fetch that
 * brought nothing new, up to `max`; any change resets it to `base`. Closed data polls at `idle`
 * (false: not at all). A dashboard left open on a long grid thus settles at one request per
 * `max` per view instead of one per second, and still reacts within `base` once things move.
 *
 * "Nothing new" is react-query's structural sharing at work: a fetch whose JSON equals the
 * previous one keeps the same `data` reference while `dataUpdateCount` still advances.
 */
export interface PollBackoffOptions<T> {
  /** Whether the data can still change (a job queued or running); default: always. */
  open?: (data: T) => boolean;
  /** First interval, and the interval right after a change (ms). */
  base?: number;
  /** Longest interval (ms). */
  max?: number;
  /** Interval once nothing is open (ms), or false to stop polling. */
  idle?: number | false;
  /** While true, poll at `base` without backing off: an outcome the user is waiting for (a cancel in flight). */
  eager?: (data: T) => boolean;
}

/** The part of a react-query Query this policy reads. */
export interface PolledQuery<T> {
  state: { data?: T; dataUpdateCount: number };
}

interface Streak {
  data: unknown;
  count: number;
  unchanged: number;
}

export const POLL_BASE_MS = 1000;
export const POLL_MAX_MS = 30_000;

export function pollWithBackoff<T>({ open = () => true, base = POLL_BASE_MS, max = POLL_MAX_MS, idle = false, eager = () => false }: PollBackoffOptions<T> = {}) {
  // Keyed by query, so one options object can serve many queries (one per page of a list).
  const streaks = new WeakMap<object, Streak>();
  return (query: PolledQuery<T>): number | false => {
    const { data, dataUpdateCount } = query.state;
    if (data === undefined) return base;
    if (!open(data)) {
      streaks.delete(query);
      return idle;
    }
    if (eager(data)) return base;
    const streak = streaks.get(query);
    if (!streak) streaks.set(query, { data, count: dataUpdateCount, unchanged: 0 });
    else if (streak.count !== dataUpdateCount) {
      // refetchInterval is also evaluated on other state changes; count fetches, not calls.
      streak.unchanged = streak.data === data ? streak.unchanged + 1 : 0;
      streak.data = data;
      streak.count = dataUpdateCount;
    }
    return Math.min(max, base * 2 ** (streaks.get(query)?.unchanged ?? 0));
  };
}
