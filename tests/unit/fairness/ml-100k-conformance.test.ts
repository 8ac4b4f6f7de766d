import { existsSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { minimumProtected } from "@/lib/fairness/exposure-constraint";
import { rerankAll } from "@/lib/fairness/registry";
import { tradeOffCurve } from "@/lib/fairness/trade-off";
import { prepareRerankBench, REFERENCE_CURVES, REFERENCE_LAMBDAS as LAMBDAS, type RerankBench } from "@/scripts/bench/rerank-protocol";

// MovieLens may not be redistributed: it is read from the shared data folder beside the repo.
const ML100K = path.resolve(import.meta.dirname, "../../../../shared/data/ml-100k");
const present = existsSync(path.join(ML100K, "u.data")) && existsSync(path.join(ML100K, "u.item"));

const TOLERANCE = 0.005;

describe("re-rankers on real MovieLens 100K against refs/ref_rerank.py", () => {
  if (!present) it.skip(`skipped: MovieLens 100K (u.data, u.item) not found at ${ML100K} (see ../shared/data/README.md)`, () => {});

  let bench: RerankBench;
  beforeAll(async () => {
    if (present) bench = await prepareRerankBench(ML100K);
  });
  const curve = (id: string, lambdas: number[]) =>
    tradeOffCurve(id, lambdas, { ctx: bench.ctx, candidates: bench.candidates, history: bench.history, truth: bench.truth, k: bench.k });

  for (const [id, reference] of Object.entries(REFERENCE_CURVES)) {
    it.skipIf(!present)(`${id}: ${Object.keys(reference).join(" and ")} within ±${TOLERANCE} at every λ`, () => {
      expect(bench.candidates.users.length).toBe(943);
      const points = curve(id, LAMBDAS);
      for (const [metric, expected] of Object.entries(reference)) {
        const got = points.map((p) => (metric === "ndcg" ? p.accuracy.ndcg : p.beyond[metric as "ild" | "kl" | "aplt"]!));
        got.forEach((value, i) => expect(Math.abs(value - expected![i]), `${id} ${metric} at λ=${LAMBDAS[i]}: ${value}`).toBeLessThanOrEqual(TOLERANCE));
      }
    });
  }

  it.skipIf(!present)("popularity penalty: APLT rises with λ up to 0.6, then saturates at 1, at a cost in NDCG", () => {
    const points = curve("popularity-penalty", [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]);
    const aplt = points.map((p) => p.beyond.aplt!);
    for (let i = 1; i <= 6; i++) expect(aplt[i], `APLT ${aplt.join(", ")}`).toBeGreaterThan(aplt[i - 1]);
    for (let i = 7; i < aplt.length; i++) expect(aplt[i]).toBeGreaterThanOrEqual(aplt[i - 1]);
    expect(aplt[6]).toBeGreaterThan(0.8);
    expect(points[6].accuracy.ndcg).toBeLessThan(points[0].accuracy.ndcg);
  });

  it.skipIf(!present)("exposure constraint: every list meets its minimum tail share (in every prefix with scope prefix)", () => {
    const { candidates, ctx, history, k } = bench;
    const tail = ctx.tail!;
    const violations: string[] = [];
    for (const [p, scope] of [[0.2, "prefix"], [0.5, "prefix"], [0.8, "prefix"], [0.5, "list"]] as const) {
      const lists = rerankAll("exposure-constraint", { lambda: p, scope }, ctx, candidates, history, k);
      for (let r = 0; r < lists.users.length; r++) {
        let available = 0;
        for (let c = 0; c < candidates.counts[r]; c++) available += tail[candidates.items[r * candidates.size + c]];
        let held = 0;
        for (let j = 0; j < lists.counts[r]; j++) {
          held += tail[lists.items[r * k + j]];
          const prefix = scope === "prefix" || j + 1 === lists.counts[r];
          if (prefix && held < Math.min(minimumProtected(p, j + 1), available)) violations.push(`p=${p} ${scope} user ${lists.users[r]} prefix ${j + 1}`);
        }
        if (lists.counts[r] !== k) violations.push(`p=${p} user ${lists.users[r]}: ${lists.counts[r]} items`);
      }
    }
    expect(violations).toEqual([]);
  });
});
