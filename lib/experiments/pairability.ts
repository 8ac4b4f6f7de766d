import { splitConfigSchema } from "../datasets/splits";
import type { PerUser } from "../metrics/per-user";
import { metricLabel } from "../metrics/registry";

/** What decides whether two runs were scored on the same test set. */
export interface EvaluationSetting {
  name: string;
  datasetId: string;
  datasetName: string;
  /** The resolved split config stored on the run; null when the row has none that parses. */
  split: unknown;
  perUser: PerUser | null;
}

type ParsedSplit = ReturnType<typeof splitConfigSchema.parse>;

const parseSplit = (split: unknown): ParsedSplit | null => {
  const parsed = splitConfigSchema.safeParse(split);
  return parsed.success ? parsed.data : null;
};

/** "8:1:1" for tenths, else "70/15/15" in percent. */
function ratioText(ratios: readonly number[]): string {
  const tenths = ratios.map((r) => r * 10);
  if (tenths.every((t) => Math.abs(t - Math.round(t)) < 1e-9)) return tenths.map((t) => Math.round(t)).join(":");
  return ratios.map((r) => String(Math.round(r * 1000) / 10)).join("/");
}

/**
 * The split in a sentence: "a random 8:1:1 split", "a leave-one-out split", "fold 2 of a
 * 5-fold split". `detailed` adds the seed and other settings, for two splits of the same shape.
 */
export function splitPhrase(split: ParsedSplit, detailed = false): string {
  const seed = "seed" in split && detailed ? ` with seed ${split.seed}` : "";
  switch (split.kind) {
    case "random":
      return `a random ${ratioText(split.ratios)} split${seed}${detailed && split.shuffle === "numpy" ? " (NumPy shuffle)" : ""}`;
    case "temporal":
      return `a global temporal ${ratioText(split.ratios)} split`;
    case "leave-one-out":
      return "a leave-one-out split";
    case "k-fold":
      return `fold ${split.fold + 1} of a ${split.folds}-fold split${seed}${detailed ? `, ${Math.round(split.validationRatio * 100)}% validation` : ""}`;
    case "item-cold-start":
      return `an item cold-start ${ratioText(split.ratios)} split${seed}`;
    case "user-cold-start":
      return `a user cold-start ${ratioText(split.ratios)} split${seed}${detailed ? `, ${Math.round(split.foldInRatio * 100)}% fold-in` : ""}`;
  }
}

/** The split as a noun phrase with its seed: "random 8:1:1 split with seed 42", "leave-one-out split". */
export function splitText(split: unknown): string {
  const parsed = parseSplit(split);
  return parsed ? splitPhrase(parsed, true).replace(/^an? /, "") : "split not recorded";
}

const sameUsers = (a: Int32Array, b: Int32Array) => {
  if (a.length !== b.length) return false;
  const sortedA = Int32Array.from(a).sort();
  const sortedB = Int32Array.from(b).sort();
  return sortedA.every((u, i) => u === sortedB[i]);
};

const NO_PAIRED_TEST = "their test sets differ, so no paired test is shown";

/**
 * Why runs `a` and `b` cannot be compared with a paired test on `metric`, or null when they can.
 * Paired tests need the same users and the same held-out items behind every pair of values:
 * the same dataset, the same resolved split (kind, ratios, seed…) and the same evaluated users.
 */
export function unpairedReason(a: EvaluationSetting, b: EvaluationSetting, metric: string): string | null {
  if (a.datasetId !== b.datasetId) return `${a.name} was evaluated on dataset ${a.datasetName}, ${b.name} on ${b.datasetName}: ${NO_PAIRED_TEST}`;
  const [sa, sb] = [parseSplit(a.split), parseSplit(b.split)];
  const unknown = !sa ? a : !sb ? b : null;
  if (unknown) return `${unknown.name} has no recorded split, so it cannot be paired with ${unknown === a ? b.name : a.name}`;
  if (JSON.stringify(sa) !== JSON.stringify(sb)) {
    const detailed = splitPhrase(sa!) === splitPhrase(sb!);
    return `${a.name} was evaluated on ${splitPhrase(sa!, detailed)}, ${b.name} on ${splitPhrase(sb!, detailed)}: ${NO_PAIRED_TEST}`;
  }
  const missing = [a, b].find((r) => !r.perUser?.values[metric]);
  if (missing) return `${missing.name} has no per-user values for ${metricLabel(metric)}, so it cannot be paired`;
  if (!sameUsers(a.perUser!.users, b.perUser!.users)) {
    return `${a.name} was evaluated on ${a.perUser!.users.length} users, ${b.name} on ${b.perUser!.users.length} (not the same users): ${NO_PAIRED_TEST}`;
  }
  return null;
}
