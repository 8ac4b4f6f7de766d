import { selectRows, tableToCsr } from "../datasets/csr";
import { badInput } from "../errors";
import { splitDataset } from "../datasets/splits";
import type { Csr, Dataset, Feedback, InteractionTable, Split } from "../datasets/types";
import type { RunConfig } from "./run-config";
import { historiesByUser } from "../models/history-scorer";
import type { ItemLists, TrainingData } from "../models/types";

/** A split turned into what training and evaluation read. */
export interface PreparedSplit {
  train: TrainingData;
  validation: Csr;
  test: Csr;
  /** Test rows with their ratings as given (for rating error of explicit models). */
  testRows: InteractionTable;
  /** User cold start: held-out users' fold-in rows, as histories to score from and as a mask. */
  foldIn?: { histories: ItemLists; matrix: Csr };
}

/**
 * Builds the training data and the validation / test matrices of a split. With implicit
 * feedback every value becomes 1, in the matrices and in the training table alike.
 */
export function prepareSplit(dataset: Dataset, split: Split, feedback: Feedback): PreparedSplit {
  const implicit = feedback === "implicit";
  const { numUsers, numItems } = dataset;
  const trainTable = selectRows(dataset.table, split.train);
  const testRows = selectRows(dataset.table, split.test);
  const matrix = (table: InteractionTable) => tableToCsr(table, numUsers, numItems, implicit);
  const train: TrainingData = {
    numUsers,
    numItems,
    feedback,
    train: matrix(trainTable),
    trainTable: implicit ? { ...trainTable, ratings: new Float32Array(trainTable.ratings.length).fill(1) } : trainTable,
    ...(dataset.items ? { items: dataset.items } : {}),
    ...(dataset.users ? { users: dataset.users } : {}),
  };
  const foldIn = split.foldIn
    ? { foldIn: { histories: historiesByUser(dataset.table, split.foldIn, numUsers), matrix: matrix(selectRows(dataset.table, split.foldIn)) } }
    : {};
  return { train, validation: matrix(selectRows(dataset.table, split.validation)), test: matrix(testRows), testRows, ...foldIn };
}

/**
 * The rows a run trains and is tested on, from its resolved config: `rows` as the split cut them,
 * `split` with validation merged into train when the run refits on train + validation. Same
 * dataset and config, same rows: re-ranking a finished run rebuilds its test part with this.
 */
export function splitForRun(dataset: Dataset, config: Pick<RunConfig, "split" | "fitOn">): { rows: Split; split: Split; refit: boolean } {
  requireTimestampsFor(config.split, dataset.hasTimestamps);
  const ids = { userIds: dataset.userIds, itemIds: dataset.itemIds };
  const rows = splitDataset(dataset.table, dataset.numUsers, config.split, dataset.numItems, ids);
  const refit = config.fitOn === "train+validation";
  const split = refit ? { ...rows, train: mergeSorted(rows.train, rows.validation), validation: new Int32Array(0) } : rows;
  return { rows, split, refit };
}

/** Refuses a split that orders rows by time on a dataset without timestamps (checked at launch and in the worker). */
export function requireTimestampsFor(split: { kind: string }, hasTimestamps: boolean): void {
  if (split.kind === "temporal" && !hasTimestamps) {
    throw badInput("a temporal split needs timestamps, and this dataset has none: choose a random, k-fold or cold-start split", { field: "split.kind" });
  }
}

/** Union of two ascending row-index lists, ascending. */
function mergeSorted(a: Int32Array, b: Int32Array): Int32Array {
  const out = new Int32Array(a.length + b.length);
  let i = 0, j = 0, k = 0;
  while (i < a.length || j < b.length) out[k++] = j >= b.length || (i < a.length && a[i] < b[j]) ? a[i++] : b[j++];
  return out;
}
