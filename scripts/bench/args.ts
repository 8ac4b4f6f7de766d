import { parseArgs } from "node:util";
import type { ImportFormat } from "../../lib/datasets/import";
import { parseSeedList } from "./seeds";

export interface BenchArgs {
  dataset?: string;
  format: ImportFormat;
  models: string[];
  k: number;
  seed: number;
  out?: string;
  ratingSplits?: string;
  /** Hyperparameter overrides for every listed model (tuning). */
  params: Record<string, unknown>;
  /** Split seeds for a multi-seed run (--seeds 1-10); else just `seed`. */
  seeds?: number[];
  /**
   * The random split's shuffle: NumPy's (default: the reference script's rows exactly, so a
   * side-by-side difference is a model difference, not split noise) or RecLab's own.
   */
  shuffle: "reclab" | "numpy";
  /** Log every epoch's loss and validation metric. */
  verbose: boolean;
  /** The models' static schema defaults, not the dataset-adaptive "auto" ones (the product's default). */
  staticDefaults: boolean;
}

/** Benchmark file formats (as ref_ranking.py names them) -> RecLab importers. */
const FORMATS: Record<string, ImportFormat> = {
  "u.data": "movielens-100k",
  dat: "movielens-dat",
  csv: "movielens-latest",
};

export const USAGE = `usage: npx tsx scripts/bench.ts --dataset PATH --format u.data|dat|csv [--models pop,item-knn,mf,bpr]
       [--k 10] [--seed 42 | --seeds 1-10,42] [--shuffle numpy|reclab] [--params JSON] [--verbose] [--static-defaults] [--out bench-results/x.json] [--rating-splits DIR_WITH_u1..u5]`;

export function parseBenchArgs(argv: string[]): BenchArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      dataset: { type: "string" },
      format: { type: "string", default: "u.data" },
      models: { type: "string", default: "pop,item-knn,mf,bpr" },
      k: { type: "string", default: "10" },
      seed: { type: "string", default: "42" },
      seeds: { type: "string" },
      shuffle: { type: "string", default: "numpy" },
      params: { type: "string", default: "{}" },
      verbose: { type: "boolean", default: false },
      "static-defaults": { type: "boolean", default: false },
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
    params: parseParams(values.params!),
    shuffle: parseShuffle(values.shuffle!),
    ...(values.seeds ? { seeds: parseSeedList(values.seeds) } : {}),
    verbose: values.verbose!,
    staticDefaults: values["static-defaults"]!,
  };
}

function parseParams(text: string): Record<string, unknown> {
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error(`--params must be a JSON object\n${USAGE}`);
  return parsed as Record<string, unknown>;
}

function parseShuffle(text: string): "reclab" | "numpy" {
  if (text === "reclab" || text === "numpy") return text;
  throw new Error(`--shuffle must be numpy or reclab, got "${text}"\n${USAGE}`);
}
