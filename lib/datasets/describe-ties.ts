import type { SplitTies } from "./types";

/** The data-quality warning of a time-based split whose held-out rows tie in time. */
export function describeTies(ties: SplitTies): string {
  const share = ties.users > 0 ? ties.tiedUsers / ties.users : 0;
  const who = share >= 0.995 ? "every user" : `${(share * 100).toFixed(share < 0.1 ? 1 : 0)}% of users`;
  return (
    `For ${who} (${ties.tiedUsers.toLocaleString("en-US")} of ${ties.users.toLocaleString("en-US")}) the held-out items tie in time with earlier ones, ` +
    "so time alone does not say which came last: ties were broken by a seeded shuffle of (user, item), not by file order. " +
    "Results on this split say less about predicting the next item than the split's name suggests."
  );
}
