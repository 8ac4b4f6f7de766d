import { describe, expect, it } from "vitest";
import { generateSynthetic } from "@/lib/datasets/synthetic";
import { resolveRunConfig, runExperiment } from "@/lib/experiments/run-experiment";
import { CANDIDATES_ARTIFACT, decodeCandidates, encodeCandidates, RERANK_CANDIDATES } from "@/lib/fairness/candidates";
import { listRerankers } from "@/lib/fairness/registry";
import { checkSweepParams, evaluateReranked, prepareRerankSetting, rerankRun, sweepRerank } from "@/lib/fairness/rerank-run";
import { AppError } from "@/lib/errors";
import type { JobRecord } from "@/lib/queue/types";
import { MemoryTrackingStore } from "@/lib/tracking/memory-store";
import { executeRerankSweep } from "@/workers/handlers/rerank-sweep";
import { JobCancelledError } from "@/workers/worker";

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

describe("the rerank-sweep job handler", () => {
  async function finishedRun() {
    const dataset = generateSynthetic({ numUsers: 80, numItems: 100, interactionsPerUser: 20, seed: 5 });
    const result = await runExperiment(dataset, resolveRunConfig({ modelId: "ease", params: { lambda: 50, lambdaSearch: "off" }, feedback: "implicit", seed: 7 }));
    const tracking = new MemoryTrackingStore();
    const run = await tracking.createRun({ name: "EASE", datasetId: "d", modelId: "ease", config: result.config as unknown as Record<string, unknown> });
    await tracking.saveArtifact(run.id, CANDIDATES_ARTIFACT, encodeCandidates(result.candidates!));
    await tracking.finishRun(run.id, { test: result.test.summary, validation: {}, fit: result.fit, evaluation: { seconds: 0, users: result.test.numUsers } });
    return { runId: run.id, deps: { tracking, loadDataset: async () => dataset } };
  }
  const payload = (runId: string) => ({ runId, rerankerId: "xquad", lambdas: [0, 0.5, 0.9], k: 10, owner: { teamId: "default", createdById: null } });

  it("reports progress per λ and stores the curve with the run", async () => {
    const { runId, deps } = await finishedRun();
    const progress: string[] = [];
    const ctx = { job: { id: "j1" } as JobRecord, workerId: "w", reportProgress: async (_: number, m: string) => void progress.push(m), isCancelled: () => false };
    expect(await executeRerankSweep(payload(runId), ctx, deps)).toMatchObject({ runId, rerankerId: "xquad", points: 3 });
    expect(progress.slice(-3)).toEqual(["λ 1 / 3 (λ = 0 done)", "λ 2 / 3 (λ = 0.5 done)", "λ 3 / 3 (λ = 0.9 done)"]);
    const stored = JSON.parse(new TextDecoder().decode((await deps.tracking.getArtifact(runId, "rerank-sweep:xquad"))!));
    expect(stored).toMatchObject({ rerankerId: "xquad", x: "aplt@10", y: "ndcg@10", jobId: "j1" });
  });

  it("stops after the current λ once cancelled, storing nothing", async () => {
    const { runId, deps } = await finishedRun();
    let points = 0;
    const ctx = { job: { id: "j2" } as JobRecord, workerId: "w", reportProgress: async (_: number, m: string) => void (m.includes("done") && points++), isCancelled: () => points >= 1 };
    await expect(executeRerankSweep(payload(runId), ctx, deps)).rejects.toBeInstanceOf(JobCancelledError);
    expect(points).toBe(1); // cancelled after the first λ: the second is checked and not reported
    expect(await deps.tracking.getArtifact(runId, "rerank-sweep:xquad")).toBeNull();
  });

  it("says to re-run a run that kept no candidates", async () => {
    const { runId, deps } = await finishedRun();
    const tracking = new MemoryTrackingStore();
    const old = await tracking.createRun({ name: "old", datasetId: "d", modelId: "ease", config: (await deps.tracking.getRun(runId))!.config });
    await tracking.finishRun(old.id, { test: {}, validation: {}, fit: { seconds: 0, bestEpoch: 0, epochsRun: 0, stoppedEarly: false }, evaluation: { seconds: 0, users: 0 } });
    const ctx = { job: { id: "j3" } as JobRecord, workerId: "w", reportProgress: async () => undefined, isCancelled: () => false };
    await expect(executeRerankSweep(payload(old.id), ctx, { ...deps, tracking })).rejects.toThrow(/re-run it to enable re-ranking/);
  });
});
