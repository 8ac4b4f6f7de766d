import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as runs from "@/app/api/runs/route";
import * as baseline from "@/app/api/runs/[id]/baseline/route";
import type { Db } from "@/lib/db/client";
import { DbJobQueue } from "@/lib/queue/db-queue";
import { createSyntheticDataset } from "@/lib/storage/create-synthetic-dataset";
import { jobHandlers } from "@/workers/handlers";
import { Worker } from "@/workers/worker";
import { call, setDefaultToken, useTeamDatabase } from "./support/api";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "./support/databases";

/**
 * Issue 15, item 6: a ranking run's page says how it compares with the strongest simple
 * baseline on its dataset and split (paired test), or offers the baseline to launch.
 */
describe.each(PROVIDERS)("a run against its simple baseline on %s", (provider) => {
  let database: TestDatabase;
  let db: Db;
  let analyst: string;
  let otherTeam: string;
  let datasetId: string;
  const SPLIT = { kind: "random", ratios: [0.8, 0.1, 0.1], seed: 7 };

  async function trainedRun(modelId: string, split: unknown = SPLIT): Promise<string> {
    const launched = await call(runs.POST, { method: "POST", json: { datasetId, config: { modelId, split, params: modelId === "bpr" ? { epochs: 5, factors: 8 } : {} } } });
    expect(launched.status).toBe(201);
    expect(await new Worker({ workerId: "baseline-test", queue: new DbJobQueue(db), handlers: jobHandlers }).runOnce()).toBe(true);
    return launched.body.id;
  }
  const get = (id: string, token = analyst) => call(baseline.GET, { params: { id }, token });

  beforeAll(async () => {
    database = await createTestDatabase(provider);
    ({ db, analyst, otherTeam } = await useTeamDatabase(database.handle));
    ({ id: datasetId } = await createSyntheticDataset(db, { name: "baseline synthetic", options: { numUsers: 150, numItems: 90, seed: 11 } }));
  }, 60_000);
  afterAll(async () => {
    setDefaultToken(null);
    await database?.drop();
  });

  it("offers EASE on the same split while the dataset has no ItemKNN or EASE run", async () => {
    const pop = await trainedRun("pop");
    const { status, body } = await get(pop);
    expect(status).toBe(200);
    expect(body.baseline).toMatchObject({ metric: "ndcg@10", unavailable: null, baseline: null, suggestion: { modelId: "ease", modelName: "EASE" } });
    expect(body.baseline.runValue).toBeGreaterThan(0);
  });

  it("picks the best baseline on the same split and states the paired test over the same users", async () => {
    const bpr = await trainedRun("bpr");
    const knn = await trainedRun("item-knn");
    const ease = await trainedRun("ease");
    // A better-looking baseline on another split must not win over the paired ones.
    await trainedRun("ease", { ...SPLIT, seed: 8 });
    const rows = await db.run.findMany({ where: { id: { in: [knn, ease] } }, select: { id: true, metrics: true } });
    const ndcg = (id: string) => JSON.parse(rows.find((r) => r.id === id)!.metrics!).test["ndcg@10"] as number;
    const best = ndcg(ease) >= ndcg(knn) ? ease : knn;

    const { status, body } = await get(bpr);
    expect(status).toBe(200);
    const view = body.baseline;
    expect(view.baseline).toMatchObject({ runId: best, sameSplit: true, value: ndcg(best) });
    expect(view.sentence).toMatch(/paired t-test p [=<] [\d.]+, Wilcoxon p [=<] [\d.]+; \d+ users/);
    expect(typeof view.significant).toBe("boolean");
    expect(view.suggestion).toBeNull();
  }, 120_000);

  it("answers 404 for a run of another team and for an unknown run", async () => {
    const pop = (await db.run.findFirstOrThrow({ where: { modelId: "pop" } })).id;
    expect((await get(pop, otherTeam)).status).toBe(404);
    expect((await get("no-such-run")).status).toBe(404);
  });
});
