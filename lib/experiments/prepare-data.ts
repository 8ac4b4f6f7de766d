import { selectRows, tableToCsr } from "../datasets/csr";
import type { Csr, Dataset, Feedback, InteractionTable, Split } from "../datasets/types";
import type { TrainingData } from "../models/types";

/** A split turned into what training and evaluation read. */
export interface PreparedSplit {
  train: TrainingData;
  validation: Csr;
  test: Csr;
  /** Test rows with their ratings as given (for rating error of explicit models). */
  testRows: InteractionTable;
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
  return { train, validation: matrix(selectRows(dataset.table, split.validation)), test: matrix(testRows), testRows };
}
