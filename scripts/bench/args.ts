import { parseArgs } from "node:util";
import type { ImportFormat } from "../../lib/datasets/import";

export interface BenchArgs {
  dataset?: string;
  format: ImportFormat;
  models: string[];
  k: number;
  seed: number;
  out?: string;
  ratingSplits?: string;
}

/** Benchmark file formats (as ref_ranking.py names them) -> RecLab importers. */
const FORMATS: Record<string, ImportFormat> = {
  "u.data": "movielens-100k",
  dat: "movielens-dat",
  csv: "movielens-latest",
};

export const USAGE = `usage: npx tsx scripts/bench.ts --dataset PATH --format u.data|dat|csv [--models pop,item-knn,mf,bpr]
       [--k 10] [--seed 42] [--out bench-results/x.json] [--rating-splits DIR_WITH_u1..u5]`;

export function parseBenchArgs(argv: string[]): BenchArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      dataset: { type: "string" },
      format: { type: "string", default: "u.data" },
      models: { type: "string", default: "pop,item-knn,mf,bpr" },
      k: { type: "string", default: "10" },
      seed: { type: "string", default: "42" },
      out: { type: "string" },
      "rating-splits": { type: "string" },
    },
  });
  const format = FORMATS[values.format!];
  if (!format) throw new Error(`unknown --format "${values.format}"; use one of ${Object.keys(FORMATS).join(", ")}\n${USAGE}`);
  const k = Number(values.k), seed = Number(values.seed);
  if (!Number.isInteger(k) || k < 1) throw new Error(`--k must be a positive integer\n${USAGE}`);
  if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer\n${USAGE}`);
  if (!values.dataset && !values["rating-splits"]) throw new Error(`give --dataset and/or --rating-splits\n${USAGE}`);
  return {
    dataset: values.dataset,
    format,
    models: values.models!.split(",").map((m) => m.trim()).filter(Boolean),
    k,
    seed,
    out: values.out,
    ratingSplits: values["rating-splits"],
  };
}
