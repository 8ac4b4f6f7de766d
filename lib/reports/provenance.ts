import { splitText } from "../experiments/pairability";
import { RECLAB_VERSION } from "../version";

/** Where a report's numbers come from; several runs give several values, listed once each. */
export interface ProvenanceFacts {
  /** Dataset names, e.g. ["ML-100K"]. */
  datasets: string[];
  /** Resolved split configs as stored on the runs. */
  splits: unknown[];
  seeds: number[];
  backends: (string | null)[];
  generatedAt: Date;
}

const distinct = <T>(values: T[]) => [...new Set(values)];

/**
 * Label/value pairs shown first in every report: dataset, split (kind, ratios and seed, as the
 * compare page words it), model seed, RecLab version, compute backend and the generation date.
 */
export function provenance(facts: ProvenanceFacts): { label: string; value: string }[] {
  const orNone = (values: string[], none: string) => (values.length > 0 ? values.join("; ") : none);
  const datasets = distinct(facts.datasets);
  return [
    { label: datasets.length > 1 ? "Datasets" : "Dataset", value: orNone(datasets, "–") },
    { label: "Split", value: orNone(distinct(facts.splits.map(splitText)), "not applicable") },
    { label: "Seed", value: orNone(distinct(facts.seeds).map(String), "not applicable") },
    { label: "RecLab version", value: RECLAB_VERSION },
    { label: "Backend", value: orNone(distinct(facts.backends.filter((b): b is string => !!b)), "not recorded") },
    { label: "Generated at", value: facts.generatedAt.toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC") },
  ];
}
