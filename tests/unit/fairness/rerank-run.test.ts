import { describe, expect, it } from "vitest";
import { generateSynthetic } from "@/lib/datasets/synthetic";
import { resolveRunConfig, runExperiment } from "@/lib/experiments/run-experiment";
import { decodeCandidates, encodeCandidates, RERANK_CANDIDATES } from "@/lib/fairness/candidates";
import { listRerankers } from "@/lib/fairness/registry";
import { checkSweepParams, evaluateReranked, prepareRerankSetting, rerankRun, sweepRerank } from "@/lib/fairness/rerank-run";
import { AppError } from "@/lib/errors";

async function easeRun() {
  const dataset = generateSynthetic({ numUsers: 120, numItems: 150, interactionsPerUser: 25, seed: 3 });
  const config = resolveRunConfig({ modelId: "ease", params: { lambda: 50, lambdaSearch: "off" }, feedback: "implicit", seed: 7 });
  return { dataset, config, result: await runExperiment(dataset, config) };
}

describe("re-ranking a finished run from its stored candidates", () => {
  let shared: ReturnType<typeof easeRun> | null = null;
  const run = () => (shared ??= easeRun());

  it("keeps every evaluated test user's top C with scores, and the codec round-trips them", async () => {
    const { result } = await run();
    const c = result.candidates!;
    expect(c.size).toBe(RERANK_CANDIDATES);
    expect(Array.from(c.users)).toEqual(Array.from(result.test.perUser.users));
    const back = decodeCandidates(encodeCandidates(c));
    expect(back).toEqual(c);
    expect(() => decodeCandidates(new Uint8Array(16))).toThrow(AppError);
  });

  it("λ = 0 reproduces the run's test metrics, per user too", async () => {
    const { dataset, config, result } = await run();
    const setting = prepareRerankSetting(dataset, config, decodeCandidates(encodeCandidates(result.candidates!)), 10);
    for (const id of ["mmr", "popularity-penalty"]) {
      const evaluated = evaluateReranked(setting, rerankRun(setting, id, { lambda: 0 }));
      for (const key of ["ndcg@10", "precision@5", "recall@20", "ild@10", "aplt@10", "serendipity@10", "coverage@10"]) {
        expect(evaluated.summary[key], `${id} ${key}`).toBeCloseTo(result.test.summary[key], 6);
      }
      expect(Array.from(evaluated.perUser.values["ndcg@10"])).toEqual(Array.from(result.test.perUser.values["ndcg@10"]));
    }
  });

  it("sweeps every re-ranker: one point per λ, axes named by its objective", async () => {
    const { dataset, config, result } = await run();
    const setting = prepareRerankSetting(dataset, config, result.candidates!, 10);
    for (const definition of listRerankers()) {
      const curve = await sweepRerank(setting, { rerankerId: definition.id, lambdas: [0, 0.5, 0.9], params: {}, k: 10 });
      expect(curve.points.map((p) => p.lambda)).toEqual([0, 0.5, 0.9]);
      expect(curve.y).toBe("ndcg@10");
      for (const p of curve.points) expect(Number.isFinite(p.metrics[curve.x]), `${definition.id} ${curve.x}`).toBe(true);
    }
  });

  it("refuses λ outside [0, 1] naming the re-ranker", () => {
    expect(() => checkSweepParams("mmr", [0.2, 1.5], {})).toThrow(/MMR, λ = 1.5: lambda: λ must be a number between 0 and 1/);
  });
});
