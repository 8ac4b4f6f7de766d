import type { Dataset } from "../datasets/types";
import { badInput } from "../errors";
import { itemIdRanks } from "../metrics/beyond-context";
import type { PerUser } from "../metrics/per-user";
import { getMetricOrThrow, isHigherBetter, metricLabel, parseMetricKey } from "../metrics/registry";
import {
  exposureVsRelevance,
  genreCalibration,
  longTailExposure,
  lorenzCurve,
  popularityGroups,
  slotCounts,
  type CurvePoint,
  type GenreShare,
  type ItemGroupShare,
  type LongTailPoint,
} from "./exposure-report";
import { groupMetrics, type GroupGap, type GroupMetrics } from "./group-metrics";
import type { RunLists } from "./run-lists";
import { groupsByActivity, groupsByAttribute } from "./user-groups";

/**
 * The bias and diversity report of one run, assembled from stored facts only: the run's
 * per-user test metrics, its stored top-K lists (runs evaluated before lists were stored have
 * none: exposure is then missing, with the reason) and the dataset's user and item attributes.
 */

export interface BiasReportInput {
  run: { id: string; name: string; modelName: string; test: Record<string, number> };
  dataset: Pick<Dataset, "numUsers" | "numItems" | "users" | "items" | "itemIds">;
  perUser: PerUser;
  lists: RunLists | null;
  /** A user attribute name or "activity"; default the first attribute, else "activity". */
  groupBy?: string;
  minSize?: number;
  permutations?: number;
}

export interface BeyondRow {
  key: string;
  label: string;
  value: number;
  higherIsBetter: boolean;
}

export interface BiasReport {
  runId: string;
  runName: string;
  modelName: string;
  /** Grouping attributes this dataset offers ("activity" needs the stored lists). */
  groupOptions: string[];
  groupBy: string;
  /** Headline accuracy metric of the gap chart and sentences. */
  headline: string;
  groupMetrics: GroupMetrics;
  exposure: {
    k: number;
    popularity: ItemGroupShare[];
    categories: ItemGroupShare[] | null;
    longTail: LongTailPoint[];
    lorenz: CurvePoint[];
    calibration: GenreShare[] | null;
  } | null;
  beyond: BeyondRow[];
  verdicts: string[];
  /** What is missing and why, in words. */
  missing: string[];
}

const ACTIVITY = "activity";

function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}

function fmtP(p: number): string {
  return p < 0.001 ? "p < 0.001" : `p = ${p < 0.01 ? p.toFixed(3) : p.toFixed(2)}`;
}

/** "NDCG@10 differs between F and M by 0.018 (p = 0.28, not significant)". */
export function gapVerdict(gap: GroupGap): string {
  const size = Math.abs(gap.gap);
  const higher = gap.gap >= 0 ? gap.a : gap.b;
  const significance = gap.significant ? `significant after Holm correction; higher for ${higher}` : "not significant";
  return `${metricLabel(gap.key)} differs between ${gap.a} and ${gap.b} by ${size.toFixed(3)} (${fmtP(gap.pHolm)}, ${significance}).`;
}

/** "EASE gives long-tail items 39% of its slots against 20% of training interactions (25% of test interactions)." */
export function exposureVerdict(modelName: string, share: ItemGroupShare): string {
  return `${modelName} gives ${share.group.replace(/ /g, "-")} items ${pct(share.exposure)} of its slots against ${pct(share.training)} of training interactions (${pct(share.relevance)} of test interactions).`;
}

/** The headline metric: NDCG at 10 when evaluated, else NDCG at the smallest K, else the first key. */
export function headlineMetric(keys: string[]): string {
  if (keys.includes("ndcg@10")) return "ndcg@10";
  const ndcg = keys.filter((k) => k.startsWith("ndcg@")).sort((a, b) => parseMetricKey(a).k! - parseMetricKey(b).k!);
  return ndcg[0] ?? keys[0];
}

export function buildBiasReport(input: BiasReportInput): BiasReport {
  const { run, dataset, perUser, lists } = input;
  const attributes = Object.keys(dataset.users ?? {});
  const groupOptions = lists ? [...attributes, ACTIVITY] : attributes;
  const groupBy = input.groupBy ?? attributes[0] ?? (lists ? ACTIVITY : "");
  if (groupBy !== "" && !groupOptions.includes(groupBy)) {
    throw badInput(
      attributes.length === 0
        ? `unknown group attribute "${groupBy}": this dataset has no user attributes; group by "activity"`
        : `unknown group attribute "${groupBy}"; choose one of ${groupOptions.join(", ")}`,
      { groupBy, options: groupOptions },
    );
  }
  const missing: string[] = [];
  if (attributes.length === 0) {
    missing.push(`The dataset has no user attributes (gender, age, occupation, ...): ${lists ? "only activity groups are shown" : "no user groups can be formed, so no group gaps are shown"}.`);
  }
  if (!lists) missing.push("This run has no stored top-K lists (it finished before they were kept, or had more than 10 million list slots): re-run to see exposure, the long tail, the Lorenz curve and calibration.");
  const genres = dataset.items?.genres;
  const hasCategories = !!genres && genres.some((g) => g && g.length > 0);
  if (!hasCategories) missing.push("The items have no genres or categories: calibration and exposure by category are not shown, and intra-list diversity is measured over the items' training users (co-interaction cosine) instead of genres.");

  // Activity counts training interactions, stored with the lists; with neither, one group of everyone.
  let userLabels: (string | null)[];
  if (groupBy === ACTIVITY && lists) userLabels = groupsByActivity(lists.activity).labels;
  else if (groupBy !== "") userLabels = groupsByAttribute(groupBy, dataset.users![groupBy]).labels;
  else userLabels = Array.from({ length: dataset.numUsers }, () => "all users");
  const labels = Array.from(perUser.users, (u) => userLabels[u] ?? null);
  const expected = [...new Set(userLabels.filter((l): l is string => l !== null))];

  const accuracyKeys = Object.keys(perUser.values).filter((k) => {
    const { id } = parseMetricKey(k);
    return getMetricOrThrow(id).kind === "ranking" || id === "auc";
  });
  const headline = headlineMetric(accuracyKeys);
  const headK = parseMetricKey(headline).k;
  const gapKeys = accuracyKeys.filter((k) => parseMetricKey(k).k === headK);
  const values = Object.fromEntries(accuracyKeys.map((k) => [k, perUser.values[k]]));
  const gm = groupMetrics({ values, labels, gapKeys, groups: expected, minSize: input.minSize, permutations: input.permutations });

  const verdicts: string[] = [];
  for (const g of gm.groups) {
    if (g.status === "empty") verdicts.push(`Group ${g.group} has no evaluated users.`);
    else if (g.status === "too-small") verdicts.push(`Group ${g.group} has ${g.n} evaluated users, under the minimum of ${gm.minSize}: not estimated or tested.`);
  }
  const headGaps = gm.gaps.filter((g) => g.key === headline);
  for (const g of headGaps.slice(0, 8)) verdicts.push(gapVerdict(g));
  if (headGaps.length > 8) verdicts.push(`${headGaps.length - 8} more ${metricLabel(headline)} gaps are in the table (${headGaps.filter((g) => g.significant).length} significant in all).`);
  const otherSignificant = gm.gaps.filter((g) => g.key !== headline && g.significant).length;
  const otherTested = gm.gaps.filter((g) => g.key !== headline).length;
  if (otherTested > 0) verdicts.push(`${otherSignificant} of ${otherTested} gaps on the other accuracy metrics at K = ${headK ?? "–"} are significant after Holm correction.`);

  let exposure: BiasReport["exposure"] = null;
  if (lists) {
    const numItems = lists.popularity.length;
    const slots = slotCounts(lists.items, numItems);
    const ties = dataset.itemIds.length === numItems ? itemIdRanks(dataset.itemIds) : undefined;
    const popularity = exposureVsRelevance(popularityGroups(lists.popularity, ties), slots, lists.relevance, lists.popularity);
    const categories = hasCategories
      ? exposureVsRelevance(Array.from({ length: numItems }, (_, i) => genres![i] ?? []), slots, lists.relevance, lists.popularity)
      : null;
    exposure = {
      k: lists.k,
      popularity,
      categories,
      longTail: longTailExposure(lists.popularity, slots, 40, ties),
      lorenz: lorenzCurve(slots),
      calibration: hasCategories ? genreCalibration(genres!, lists.popularity, slots) : null,
    };
    const tail = popularity.find((g) => g.group === "long tail");
    if (tail) verdicts.unshift(exposureVerdict(run.modelName, tail));
  }

  const beyond = Object.entries(run.test)
    .filter(([key]) => {
      try {
        return getMetricOrThrow(parseMetricKey(key).id).kind === "beyond";
      } catch {
        return false;
      }
    })
    .map(([key, value]) => ({ key, label: metricLabel(key), value, higherIsBetter: isHigherBetter(key) }));

  return { runId: run.id, runName: run.name, modelName: run.modelName, groupOptions, groupBy, headline, groupMetrics: gm, exposure, beyond, verdicts, missing };
}
