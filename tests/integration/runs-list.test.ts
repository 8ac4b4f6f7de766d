import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as experiments from "@/app/api/experiments/route";
import * as runs from "@/app/api/runs/route";
import { DbJobQueue } from "@/lib/queue/db-queue";
import { clearSharedReads } from "@/lib/server/shared-reads";
import { createSyntheticDataset } from "@/lib/storage/create-synthetic-dataset";
import { jobHandlers } from "@/workers/handlers";
import { Worker } from "@/workers/worker";
import { call, setDefaultToken, tokenFor, useTeamDatabase } from "./support/api";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "./support/databases";

// GET /api/runs: one folded row per experiment, filters and paging on the server, 400 naming a bad parameter.
describe.each(PROVIDERS)("runs list API on %s", (provider) => {
  let database: TestDatabase;
  let tokens: { analyst: string; viewer: string; otherTeam: string; colleague: string };
  let datasetId: string;
  let gridId: string;
  let cvId: string;
  const standalone: string[] = [];
  const list = async (query = "", token?: string) => call(runs.GET, { url: `http://localhost/api/runs${query ? `?${query}` : ""}`, token });

  beforeAll(async () => {
    database = await createTestDatabase(provider);
    const team = await useTeamDatabase(database.handle);
    tokens = { ...team, colleague: await tokenFor(team.db, "analyst") };
    ({ id: datasetId } = await createSyntheticDataset(team.db, { name: "runs-list", options: { numUsers: 80, numItems: 50, seed: 9 } }));
    const launchRun = async (config: unknown, name: string) => (await call(runs.POST, { method: "POST", json: { datasetId, name, config } })).body.id as string;
    standalone.push(await launchRun({ modelId: "pop" }, "a pop random"));
    standalone.push(await launchRun({ modelId: "pop", split: { kind: "leave-one-out" } }, "b pop loo"));
    const grid = await call(experiments.POST, {
      method: "POST",
      json: { datasetId, name: "c knn grid", base: { modelId: "item-knn", ks: [10] }, spec: { kind: "grid", space: { neighbours: { type: "values", values: [5, 10, 20] }, shrinkage: { type: "values", values: [0, 10] } } } },
    });
    expect(grid.status).toBe(201);
    gridId = grid.body.id;
    const cv = await call(experiments.POST, { method: "POST", json: { datasetId, name: "d pop cv", base: { modelId: "pop", ks: [10] }, spec: { kind: "cv", folds: 3 } } });
    cvId = cv.body.id;
    // A colleague's run in the same team: listed under "team", not under "mine".
    await call(runs.POST, { method: "POST", json: { datasetId, name: "e colleague", config: { modelId: "pop" } }, token: tokens.colleague });
    const worker = new Worker({ workerId: "runs-list", queue: new DbJobQueue(team.db), handlers: jobHandlers });
    while (await worker.runOnce());
  }, 120_000);
  afterAll(async () => {
    setDefaultToken(null);
    await database?.drop();
  });

  it("folds experiment members into one row each and lists only the caller's runs by default", async () => {
    const page = await list();
    expect(page.status).toBe(200);
    // 2 standalone runs + 2 experiments (6 grid trials and 3 folds folded away), newest first.
    expect(page.body.items.map((i: { type: string; name: string }) => `${i.type}:${i.name}`)).toEqual(["experiment:d pop cv", "experiment:c knn grid", "run:b pop loo", "run:a pop random"]);
    expect(page.body.nextCursor).toBeNull();
    const grid = page.body.items.find((i: { id: string }) => i.id === gridId);
    expect(grid).toMatchObject({ kind: "grid", totalRuns: 6, statusCounts: { SUCCEEDED: 6 }, status: "SUCCEEDED", splitKind: "random", modelName: "ItemKNN" });
    expect(grid.best).toMatchObject({ metric: "ndcg@10", split: "test", label: "selected configuration" });
    const cv = page.body.items.find((i: { id: string }) => i.id === cvId);
    expect(cv).toMatchObject({ kind: "cv", totalRuns: 3, splitKind: "k-fold" });
    expect(cv.best.label).toBe("mean of 3 folds");
    expect(cv.best.sd).toBeGreaterThanOrEqual(0);
    // No configs or per-user data in a list row.
    expect(JSON.stringify(page.body)).not.toMatch(/"config"|perUser|"params"/);

    const everyone = await list("scope=team");
    expect(everyone.body.items.map((i: { name: string }) => i.name)).toContain("e colleague");
    expect((await list("", tokens.viewer)).body.items).toHaveLength(5); // viewers see the team by default
    expect((await list("scope=team", tokens.otherTeam)).body.items).toEqual([]);
  });

  it("lists an experiment's members unfolded; search trials carry their validation metrics", async () => {
    const members = (await list(`experiment=${gridId}&limit=100`)).body.items;
    expect(members).toHaveLength(7); // 6 trials and the final run
    const trials = members.filter((m: { role: string }) => m.role === "trial");
    expect(trials).toHaveLength(6);
    for (const trial of trials) {
      expect(trial).toMatchObject({ type: "run", status: "SUCCEEDED", metricsSplit: "validation", experimentId: gridId });
      expect(trial.metrics["ndcg@10"]).toBeGreaterThanOrEqual(0);
    }
    expect(members.find((m: { role: string }) => m.role === "final")).toMatchObject({ metricsSplit: "test" });
  });

  it("filters by split, model, dataset and status on the server", async () => {
    const names = async (query: string) => (await list(query)).body.items.map((i: { name: string }) => i.name);
    expect(await names("split=leave-one-out")).toEqual(["b pop loo"]);
    expect(await names("split=k-fold")).toEqual(["d pop cv"]);
    expect(await names("model=item-knn")).toEqual(["c knn grid"]);
    expect(await names("split=random&model=pop")).toEqual(["a pop random"]);
    expect(await names(`dataset=${datasetId}&status=succeeded&sort=name&order=desc`)).toEqual(["d pop cv", "c knn grid", "b pop loo", "a pop random"]);
    expect(await names("status=FAILED")).toEqual([]);
    expect(await names("dataset=missing")).toEqual([]);
  });

  it("pages with a cursor: every row once, in order, at most `limit` per page", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { body: { items: { name: string }[]; nextCursor: string | null } } = await list(`sort=name&limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.body.items.map((i) => i.name));
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(2);
    expect(seen).toEqual(["a pop random", "b pop loo", "c knn grid", "d pop cv"]);
  });

  it("refuses bad query values with 400 naming the parameter", async () => {
    for (const [query, field] of [
      ["limit=0", "limit"],
      ["limit=101", "limit"],
      ["limit=ten", "limit"],
      ["split=diagonal", "split"],
      ["status=done", "status"],
      ["sort=colour", "sort"],
      ["order=up", "order"],
      ["scope=everyone", "scope"],
      ["model=no-such-model", "model"],
      ["cursor=not-a-cursor", "cursor"],
    ]) {
      const response = await list(query);
      expect(response.status, query).toBe(400);
      expect(response.body.error.message.startsWith(`${field}: `), response.body.error.message).toBe(true);
      expect(response.body.error.details.field).toBe(field);
    }
  });

  it("shows an open search's best trial so far from its row, kept as trials finish", async () => {
    const launched = await call(experiments.POST, {
      method: "POST",
      json: { datasetId, name: "f open grid", base: { modelId: "item-knn", ks: [10] }, spec: { kind: "grid", space: { neighbours: { type: "values", values: [3, 8, 30] } } } },
    });
    expect(launched.status).toBe(201);
    const id = launched.body.id as string;
    const openRow = async () => (await list(`model=item-knn&status=running`)).body.items.find((i: { id: string }) => i.id === id);
    const worker = new Worker({ workerId: "runs-list-open", queue: new DbJobQueue(database.handle.db), handlers: jobHandlers });
    await worker.runOnce();
    await worker.runOnce();
    const trials = (await list(`experiment=${id}&limit=100`)).body.items.filter((m: { status: string }) => m.status === "SUCCEEDED");
    expect(trials).toHaveLength(2);
    const best = Math.max(...trials.map((t: { metrics: Record<string, number> }) => t.metrics["ndcg@10"]));
    expect(await openRow()).toMatchObject({ status: "RUNNING", statusCounts: { SUCCEEDED: 2, QUEUED: 1 }, best: { metric: "ndcg@10", value: best, split: "validation", label: "best trial so far" } });
    while (await worker.runOnce());
    const done = (await list(`model=item-knn`)).body.items.find((i: { id: string }) => i.id === id);
    expect(done).toMatchObject({ status: "SUCCEEDED", best: { split: "test", label: "selected configuration" } });
  });

  it("with the shared-read interval on, pollers share one read, and a change made through the API shows at once", async () => {
    const before = process.env.RECLAB_LIST_CACHE_MS;
    process.env.RECLAB_LIST_CACHE_MS = "60000";
    try {
      const first = await list("scope=team&model=pop&limit=100");
      // A worker's write (here straight into the database) waits for the interval...
      await database.handle.db.run.updateMany({ where: { id: standalone[0] }, data: { name: "renamed by a worker" } });
      const polled = await list("scope=team&model=pop&limit=100");
      expect(polled.body).toEqual(first.body);
      // ...another team's reader has a key of its own...
      expect((await list("scope=team&model=pop&limit=100", tokens.otherTeam)).body.items).toEqual([]);
      // ...and a write through the API clears it: the next read sees both changes.
      const launched = await call(runs.POST, { method: "POST", json: { datasetId, name: "g launched", config: { modelId: "pop" } } });
      expect(launched.status).toBe(201);
      const names = (await list("scope=team&model=pop&limit=100")).body.items.map((i: { name: string }) => i.name);
      expect(names).toContain("g launched");
      expect(names).toContain("renamed by a worker");
    } finally {
      process.env.RECLAB_LIST_CACHE_MS = before;
      clearSharedReads();
    }
  });
});
