import { formatTable } from "./table";

/** "1-10,42" → [1, …, 10, 42]: seeds of a multi-split benchmark. */
export function parseSeedList(text: string): number[] {
  const seeds: number[] = [];
  for (const part of text.split(",").map((p) => p.trim()).filter(Boolean)) {
    const range = /^(-?\d+)-(-?\d+)$/.exec(part);
    const [from, to] = range ? [Number(range[1]), Number(range[2])] : [Number(part), Number(part)];
    if (!Number.isInteger(from) || !Number.isInteger(to) || to < from) throw new Error(`--seeds: "${part}" is not a seed or an ascending range like 1-10`);
    for (let s = from; s <= to; s++) seeds.push(s);
  }
  if (seeds.length === 0) throw new Error("--seeds: give at least one seed");
  return seeds;
}

/**
 * One row per model: the metric on every seed's split, then mean ± sample sd over seeds — the
 * split-to-split spread that a single-seed comparison against a reference hides.
 */
export function formatSeedTable(metric: string, seeds: number[], rows: { model: string; values: number[] }[]): string {
  const header = ["model", ...seeds.map((s) => `seed ${s}`), "mean", "sd"];
  const body = rows.map(({ model, values }) => {
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = values.length > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1)) : 0;
    return [model, ...values.map((v) => v.toFixed(4)), mean.toFixed(4), sd.toFixed(4)];
  });
  return `${metric} per split seed\n${formatTable(header, body)}`;
}
