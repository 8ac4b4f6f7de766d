import { existsSync } from "node:fs";
import path from "node:path";
import { importDataset } from "../../lib/datasets/import";
import type { Dataset, InteractionTable } from "../../lib/datasets/types";
import { tableToCsr } from "../../lib/datasets/csr";
import { evaluateRating } from "../../lib/metrics/evaluate";
import { getModelDefinition } from "../../lib/models/registry";
import { trainModel } from "../../lib/training/train-model";

export interface FoldResult {
  fold: string;
  rmse: number;
  mae: number;
  fitSeconds: number;
  epochs: number;
}

/**
 * Rating prediction on the official MovieLens 100K five folds (u1..u5 .base / .test): train on
 * the base file with the model's default hyperparameters (no validation, so every epoch runs),
 * RMSE on the test file. Ids are encoded once from u.data so base and test agree.
 */
export async function benchRatingSplits(dir: string, modelId: string, seed: number): Promise<FoldResult[]> {
  const { dataset: full } = await importDataset({ format: "movielens-100k", files: { ratings: path.join(dir, "u.data") } });
  const definition = getModelDefinition(modelId);
  const params = definition.paramsSchema.parse({});
  const results: FoldResult[] = [];
  for (let fold = 1; fold <= 5; fold++) {
    const base = path.join(dir, `u${fold}.base`), test = path.join(dir, `u${fold}.test`);
    if (!existsSync(base) || !existsSync(test)) throw new Error(`missing ${base} or ${test}`);
    const trainTable = await readInFullEncoding(base, full);
    const testTable = await readInFullEncoding(test, full);
    const trained = await trainModel({
      definition,
      params,
      seed,
      data: {
        numUsers: full.numUsers,
        numItems: full.numItems,
        feedback: "explicit",
        train: tableToCsr(trainTable, full.numUsers, full.numItems, false),
        trainTable,
      },
    });
    const rating = evaluateRating((u, i) => trained.model.predict!(u, i), testTable);
    results.push({ fold: `u${fold}`, rmse: rating.summary.rmse, mae: rating.summary.mae, fitSeconds: trained.fitSeconds, epochs: trained.epochsRun });
  }
  return results;
}

/** Reads a MovieLens 100K ratings file and re-encodes its users and items as in `full`. */
async function readInFullEncoding(file: string, full: Dataset): Promise<InteractionTable> {
  const { dataset } = await importDataset({ format: "movielens-100k", files: { ratings: file } });
  const userIndex = new Map(full.userIds.map((id, u) => [id, u]));
  const itemIndex = new Map(full.itemIds.map((id, i) => [id, i]));
  const { table } = dataset;
  const users = Int32Array.from(table.users, (u) => userIndex.get(dataset.userIds[u]) ?? -1);
  const items = Int32Array.from(table.items, (i) => itemIndex.get(dataset.itemIds[i]) ?? -1);
  if (users.includes(-1) || items.includes(-1)) throw new Error(`${file} has ids that u.data does not`);
  return { users, items, ratings: table.ratings, timestamps: table.timestamps };
}
