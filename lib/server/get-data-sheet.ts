import "server-only";
import type { Principal } from "../auth/principal";
import { getDatasetOrThrow } from "./get-dataset-or-throw";
import type { DatasetDetail } from "./dto";

export interface DataSheet {
  dataset: DatasetDetail;
  /** Preprocessing steps as recorded at import, one line each. */
  preprocessing: string[];
  personalData: string[];
  /** Fairness analyses the attributes allow, and the ones they do not. */
  fairness: string[];
}

/**
 * A data sheet (after Gebru et al., "Datasheets for Datasets", CACM 2021) from the stored facts
 * of a dataset: composition, preprocessing applied, attributes and personal-data handling.
 */
export async function getDataSheet(id: string, principal: Principal): Promise<DataSheet> {
  const dataset = await getDatasetOrThrow(id, principal);
  const { stats } = dataset;
  const preprocessing = [...dataset.cleaning, ...describePreprocessing(dataset.preprocessing)];
  const personalData = dataset.personalData
    ? ["Marked as personal data at import: user ids were pseudonymised.", "Deleting the dataset purges every run, artefact and report derived from it."]
    : ["Not marked as personal data at import: user ids are kept as given.", "Deleting the dataset purges every run, artefact and report derived from it."];
  const userAttributes = stats.userAttributes ?? [];
  if (userAttributes.length > 0) personalData.push(`User attributes kept for fairness groups: ${userAttributes.map((a) => a.name).join(", ")}. Reports show them only as group aggregates.`);
  const fairness = [
    userAttributes.length > 0
      ? `User groups: by ${userAttributes.map((a) => a.name).join(", ")}, and by activity quartiles.`
      : "No user attributes: fairness reports can group users by activity only; gaps by gender, age or occupation cannot be measured.",
    stats.itemAttributes && stats.itemAttributes.withGenres > 0
      ? `Item genres or categories on ${stats.itemAttributes.withGenres} of ${stats.numItems} items: calibration, intra-list diversity and exposure by category are available.`
      : "No item genres or categories: calibration, intra-list diversity and exposure by category are not available.",
    `The 20% most popular items hold ${Math.round(stats.topItemsShare * 100)}% of interactions.`,
  ];
  return { dataset, preprocessing, personalData, fairness };
}

function describePreprocessing(recorded: unknown): string[] {
  if (!recorded || typeof recorded !== "object" || Object.keys(recorded).length === 0) return ["None recorded."];
  return Object.entries(recorded as Record<string, unknown>).map(([step, value]) => `${step}: ${typeof value === "object" ? JSON.stringify(value) : String(value)}`);
}
