// TEMPORARY dev tuning on a holdout of u1.base..u5.base (deleted before hand-off).
import { importDataset } from "../../lib/datasets/import";
import { tableToCsr, selectRows } from "../../lib/datasets/csr";
import { evaluateRating } from "../../lib/metrics/evaluate";
import { mfDefinition } from "../../lib/models/mf";
import { trainModel } from "../../lib/training/train-model";
import { Rng } from "../../lib/util/rng";
const grid = JSON.parse(process.argv[2]) as Record<string, unknown>[];
const folds = (process.argv[3] ?? "1").split(",");
const sets = [] as any[];
for (const f of folds) {
  const { dataset } = await importDataset({ format: "movielens-100k", files: { ratings: `/work/shared/data/ml-100k/u${f}.base` } });
  const n = dataset.table.users.length;
  const perm = new Rng(5).shuffle(Int32Array.from({ length: n }, (_, i) => i));
  const cut = Math.round(n * 0.9);
  const tr = selectRows(dataset.table, perm.slice(0, cut).sort()), va = selectRows(dataset.table, perm.slice(cut));
  sets.push({ dataset, tr, va });
}
for (const g of grid) {
  const params = mfDefinition.paramsSchema.parse(g);
  const rm: number[] = [];
  for (const { dataset, tr, va } of sets) {
    const res = await trainModel({ definition: mfDefinition, params, seed: 42, data: { numUsers: dataset.numUsers, numItems: dataset.numItems, feedback: "explicit", train: tableToCsr(tr, dataset.numUsers, dataset.numItems, false), trainTable: tr } });
    rm.push(evaluateRating((u, i) => res.model.predict!(u, i), va).summary.rmse);
  }
  console.log(JSON.stringify(g), rm.map((x) => x.toFixed(4)).join(" "), "mean", (rm.reduce((a, b) => a + b) / rm.length).toFixed(4));
}
