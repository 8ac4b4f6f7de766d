import { z } from "zod";
import { Rng } from "../util/rng";
import { groupRows } from "./group-rows";
import type { InteractionTable, Split } from "./types";

const ratiosSchema = z
  .tuple([z.number().min(0).max(1), z.number().min(0).max(1), z.number().min(0).max(1)])
  .refine((r) => Math.abs(r[0] + r[1] + r[2] - 1) < 1e-6, { message: "train, validation and test ratios must add up to 1" })
  .default([0.8, 0.1, 0.1])
  .describe("Shares of train, validation and test");

export const splitConfigSchema = z.discriminatedUnion("kind", [
  z
    .object({
      kind: z.literal("random"),
      ratios: ratiosSchema,
      seed: z.number().int().default(42).describe("Seed of the per-user shuffle"),
    })
    .describe("Per-user random holdout: each user's rows shuffled and cut by the ratios"),
  z
    .object({ kind: z.literal("temporal"), ratios: ratiosSchema })
    .describe("Global temporal: all rows sorted by time, the earliest for training and the latest for test"),
  z
    .object({ kind: z.literal("leave-one-out") })
    .describe("Per user by time: last item test, second-to-last validation, the rest train (users with < 3 rows: all train)"),
]);

export type SplitConfig = z.input<typeof splitConfigSchema>;

/**
 * Splits a table's rows into train / validation / test (row indices, each sorted ascending).
 * Every row lands in exactly one part; the same config gives the same split.
 */
export function splitDataset(table: InteractionTable, numUsers: number, config: SplitConfig): Split {
  const c = splitConfigSchema.parse(config);
  const n = table.users.length;
  const part = new Uint8Array(n); // 0 train, 1 validation, 2 test
  if (c.kind === "temporal") {
    const order = byTime(table, Int32Array.from({ length: n }, (_, i) => i));
    const [ntrain, nval] = cutSizes(n, c.ratios);
    for (let p = ntrain; p < n; p++) part[order[p]] = p < ntrain + nval ? 1 : 2;
  } else {
    const { start, order } = groupRows(table.users, numUsers);
    const rng = new Rng(c.kind === "random" ? c.seed : 0);
    for (let u = 0; u < numUsers; u++) {
      const rows = order.subarray(start[u], start[u + 1]);
      const m = rows.length;
      if (c.kind === "random") {
        rng.shuffle(rows);
        const [ntrain, nval] = cutSizes(m, c.ratios);
        for (let p = ntrain; p < m; p++) part[rows[p]] = p < ntrain + nval ? 1 : 2;
      } else if (m >= 3) {
        const sorted = byTime(table, rows);
        part[sorted[m - 2]] = 1;
        part[sorted[m - 1]] = 2;
      }
    }
  }
  return collect(part);
}

/** A short human label, e.g. "per-user random 80/10/10, seed 42". */
export function describeSplit(config: SplitConfig): string {
  const c = splitConfigSchema.parse(config);
  const pct = (r: number[]) => r.map((x) => String(Math.round(x * 1000) / 10)).join("/");
  switch (c.kind) {
    case "random":
      return `per-user random ${pct(c.ratios)}, seed ${c.seed}`;
    case "temporal":
      return `global temporal ${pct(c.ratios)}`;
    case "leave-one-out":
      return "per-user leave-one-out by time (last item test, second-to-last validation)";
  }
}

/** Python's round (half to even), so counts match the reference split in refs/ref_ranking.py. */
function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

function cutSizes(n: number, ratios: [number, number, number]): [number, number] {
  const ntrain = Math.min(n, roundHalfEven(n * ratios[0]));
  const nval = Math.min(n - ntrain, roundHalfEven(n * ratios[1]));
  return [ntrain, nval];
}

/** A copy of `rows` sorted by timestamp, ties by row index. */
function byTime(table: InteractionTable, rows: Int32Array): Int32Array {
  const ts = table.timestamps;
  return Int32Array.from(rows).sort((a, b) => ts[a] - ts[b] || a - b);
}

function collect(part: Uint8Array): Split {
  const counts = [0, 0, 0];
  for (let i = 0; i < part.length; i++) counts[part[i]]++;
  const out = counts.map((c) => new Int32Array(c));
  const at = [0, 0, 0];
  for (let i = 0; i < part.length; i++) out[part[i]][at[part[i]]++] = i;
  return { train: out[0], validation: out[1], test: out[2] };
}
