import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as bias from "@/app/api/runs/[id]/bias/route";
import * as compareBias from "@/app/api/compare/bias/route";
import * as runs from "@/app/api/runs/route";
import { computeStats } from "@/lib/datasets/stats";
import { generateSyntheticCooperatively } from "@/lib/datasets/synthetic";
import { saveDataset } from "@/lib/storage/dataset-repository";
import { createSyntheticDataset } from "@/lib/storage/create-synthetic-dataset";
import { call, setDefaultToken, tokenFor, useDatabase } from "./support/api";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "./support/databases";
import { startWorkerProcess, stopProcess, waitFor } from "./support/worker-process";

describe.each(PROVIDERS)("bias reports of runs trained by a worker on %s", (provider) => {
  let database: TestDatabase;
  let withAttributes: string;
  let withoutAttributes: string;
  let viewer: string;
  let otherTeam: string;
  const runIds: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(provider);
    const db = useDatabase(database.handle);
    setDefaultToken(await tokenFor(db, "analyst"));
    viewer = await tokenFor(db, "viewer");
    otherTeam = await tokenFor(db, "analyst", { teamId: "elsewhere" });
    const options = { numUsers: 240, numItems: 120, seed: 5 };
    ({ id: withAttributes } = await createSyntheticDataset(db, { name: "with attributes", options }));
    const { truth: _truth, users: _users, ...bare } = await generateSyntheticCooperatively({ ...options, numUsers: 200 } as never, () => undefined);
    ({ id: withoutAttributes } = await saveDataset(db, { name: "no attributes", source: "synthetic", dataset: bare, stats: computeStats(bare), preprocessing: {} }));
    for (const datasetId of [withAttributes, withoutAttributes, withAttributes]) {
      const created = await call(runs.POST, { method: "POST", json: { datasetId, config: { modelId: datasetId === withAttributes && runIds.length === 2 ? "pop" : "item-knn", ks: [5, 10] } } });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      runIds.push(created.body.id ?? created.body.run?.id);
    }
    const worker = startWorkerProcess(database.url);
    try {
      await waitFor(async () => ((await db.run.count({ where: { id: { in: runIds }, status: "SUCCEEDED" } })) === runIds.length ? true : undefined), 120_000, "the runs to finish");
    } finally {
      await stopProcess(worker);
    }
  }, 180_000);
  afterAll(async () => {
    setDefaultToken(null);
    await database?.drop();
  });

  const report = (id: string, query = "", token?: string | null) =>
    call(bias.GET, { url: `http://localhost/api/runs/${id}/bias${query}`, params: { id }, ...(token !== undefined ? { token } : {}) });

  it("reports groups with CIs, Holm-corrected p-values, exposure and verdicts", async () => {
    const { status, body } = await report(runIds[0], "?groupBy=gender");
    expect(status, JSON.stringify(body)).toBe(200);
    const r = body.report;
    expect(r.groupBy).toBe("gender");
    expect(r.groupOptions).toEqual(expect.arrayContaining(["gender", "ageBand", "activity"]));
    const ok = r.groupMetrics.groups.filter((g: { status: string }) => g.status === "ok");
    expect(ok.length).toBeGreaterThanOrEqual(2);
    for (const g of ok) {
      const ci = g.metrics["ndcg@10"];
      expect(ci.low).toBeLessThanOrEqual(ci.estimate);
      expect(ci.high).toBeGreaterThanOrEqual(ci.estimate);
    }
    const gaps = r.groupMetrics.gaps.filter((g: { key: string }) => g.key === "ndcg@10");
    expect(gaps.length).toBeGreaterThan(0);
    for (const g of gaps) {
      expect(g.p).toBeGreaterThan(0);
      expect(g.pHolm).toBeGreaterThanOrEqual(g.p);
    }
    expect(r.verdicts.some((v: string) => /^NDCG@10 differs between .+ by [0-9.]+ \(p [=<] [0-9.]+, (not significant|significant after Holm correction)/.test(v))).toBe(true);
    expect(r.verdicts.some((v: string) => /gives long-tail items \d+% of its slots against \d+% of training interactions/.test(v))).toBe(true);
    const shares = r.exposure.popularity.map((g: { exposure: number }) => g.exposure);
    expect(shares.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 6);
    expect(r.exposure.k).toBe(10);
    expect(r.missing).toEqual([]);
  });

  it("groups by activity quartiles", async () => {
    const { status, body } = await report(runIds[0], "?groupBy=activity");
    expect(status).toBe(200);
    expect(body.report.groupMetrics.groups.map((g: { group: string }) => g.group[1])).toEqual(["1", "2", "3", "4"]);
  });

  it("explains what a dataset without user attributes cannot show", async () => {
    const { status, body } = await report(runIds[1]);
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.report.groupBy).toBe("activity");
    expect(body.report.missing.join(" ")).toMatch(/no user attributes/);
  });

  it("refuses an unknown group attribute with 400 and the options", async () => {
    const { status, body } = await report(runIds[0], "?groupBy=shoe-size");
    expect(status).toBe(400);
    expect(JSON.stringify(body)).toMatch(/unknown group attribute \\"shoe-size\\"; choose one of gender/);
  });

  it("lets a viewer read the report, and hides it from another team", async () => {
    expect((await report(runIds[0], "", viewer)).status).toBe(200);
    expect((await report(runIds[0], "", otherTeam)).status).toBe(404);
  });

  it("sets 2 runs side by side, grouped the same way", async () => {
    const { status, body } = await call(compareBias.GET, { url: `http://localhost/api/compare/bias?runs=${runIds[0]},${runIds[2]}&groupBy=gender` });
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.reports.map((r: { groupBy: string }) => r.groupBy)).toEqual(["gender", "gender"]);
    expect(body.reports.map((r: { modelName: string }) => r.modelName)).toEqual(["ItemKNN", "Popularity"]);
  });
});
