import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as experiments from "@/app/api/experiments/route";
import * as runs from "@/app/api/runs/route";
import * as schemaRoute from "@/app/api/reports/schema.json/route";
import type { Principal } from "@/lib/auth/principal";
import type { Db } from "@/lib/db/client";
import { DbJobQueue } from "@/lib/queue/db-queue";
import type { ReportDocument, ReportTable } from "@/lib/reports/document";
import { MAX_COMPARED_RUNS } from "@/lib/reports/document";
import { renderReport } from "@/lib/reports/render";
import { reportDocumentSchema } from "@/lib/reports/schema";
import { buildReport } from "@/lib/server/build-report";
import { createSyntheticDataset } from "@/lib/storage/create-synthetic-dataset";
import { jobHandlers } from "@/workers/handlers";
import { Worker } from "@/workers/worker";
import { parseCsv } from "../unit/reports/csv-parse";
import { extractPdfPages, squash } from "../unit/reports/extract-pdf";
import { validateJsonSchema } from "../unit/reports/json-schema-check";
import { pdfText } from "@/lib/reports/render/pdf-text";
import { call, setDefaultToken, useTeamDatabase } from "./support/api";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "./support/databases";

const HOSTILE = "<script>alert(1)</script>";
const principal = (teamId = "default"): Principal => ({ userId: null, email: "reports@example.test", role: "analyst", teamId, via: "token" });
const tables = (doc: ReportDocument) => doc.sections.flatMap((s) => s.blocks.filter((b): b is ReportTable => b.type === "table"));
const texts = (doc: ReportDocument) => doc.sections.flatMap((s) => s.blocks.flatMap((b) => (b.type === "text" ? [b.text] : [])));

/** Issue 12: reports built from stored facts of real runs, trained by the worker code path. */
describe.each(PROVIDERS)("reports of finished runs on %s", (provider) => {
  let database: TestDatabase;
  let db: Db;
  let datasetId: string;
  let experimentId: string;
  const runIds: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(provider);
    ({ db } = await useTeamDatabase(database.handle));
    ({ id: datasetId } = await createSyntheticDataset(db, { name: HOSTILE, options: { numUsers: 150, numItems: 120, interactionsPerUser: 20, seed: 4 } }));
    const configs = [
      { name: HOSTILE, config: { modelId: "ease", params: { lambda: 50, lambdaSearch: "off" }, ks: [5, 10] } },
      { name: "popularity", config: { modelId: "pop", ks: [5, 10] } },
      { name: "knn", config: { modelId: "item-knn", ks: [5, 10] } },
    ];
    for (const { name, config } of configs) {
      const created = await call(runs.POST, { method: "POST", json: { datasetId, name, config } });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      runIds.push(created.body.id);
    }
    const launched = await call(experiments.POST, { method: "POST", json: { datasetId, base: { modelId: "pop", ks: [5, 10] }, spec: { kind: "cv", folds: 2 } } });
    expect(launched.status, JSON.stringify(launched.body)).toBe(201);
    experimentId = launched.body.id ?? launched.body.experiment?.id;
    const worker = new Worker({ workerId: "reports-test", queue: new DbJobQueue(db), handlers: jobHandlers });
    for (let i = 0; i < 20 && (await worker.runOnce()); i++);
    expect(await db.run.count({ where: { id: { in: runIds }, status: "SUCCEEDED" } })).toBe(3);
  }, 240_000);
  afterAll(async () => {
    setDefaultToken(null);
    await database?.drop();
  });

  it("a run report tables the stored test metrics under their UI labels", async () => {
    const doc = await buildReport({ kind: "run", runId: runIds[1] }, principal());
    const row = await db.run.findUniqueOrThrow({ where: { id: runIds[1] } });
    const stored = JSON.parse(row.metrics!).test as Record<string, number>;
    const metrics = tables(doc).find((t) => t.id === "test-metrics")!;
    expect(Object.fromEntries(metrics.rows.map((r) => [r[0], r[1]]))).toMatchObject({ "NDCG@10": stored["ndcg@10"], "Recall@5": stored["recall@5"] });
    expect(doc.provenance.map((p) => p.label)).toEqual(["Dataset", "Split", "Seed", "RecLab version", "Backend", "Generated at"]);
    expect(doc.provenance[0].value).toBe(HOSTILE);
    expect(doc.provenance[1].value).toBe("random 8:1:1 split with seed 42");
    expect(reportDocumentSchema.safeParse(doc).success).toBe(true);
  });

  it("a comparison report carries the metric table and the compare page's significance sentences; PDF, HTML, CSV and JSON agree", async () => {
    const doc = await buildReport({ kind: "comparison", runIds }, principal());
    const metrics = tables(doc).find((t) => t.id === "metrics")!;
    expect(metrics.rows.map((r) => r[0])).toEqual([HOSTILE, "popularity", "knn"]);
    // A shared report shows nothing to navigate by: no run or dataset ids.
    for (const id of [...runIds, datasetId]) expect(JSON.stringify(doc)).not.toContain(id);
    const sentences = texts(doc).filter((t) => / beats | No significant difference /.test(t));
    expect(sentences).toHaveLength(3); // same dataset, split and users: every pair is tested
    expect(sentences.every((s) => /Holm-corrected over 3 pairs; \d+ users\)\.$/.test(s))).toBe(true);

    const html = new TextDecoder().decode((await renderReport(doc, "html")).body);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toMatch(/<svg /);
    const pdf = squash((await extractPdfPages((await renderReport(doc, "pdf")).body)).join(" "));
    expect(pdf).toContain(squash(pdfText(sentences[0])));
    expect(pdf).toContain(squash(HOSTILE));
    const [header, ...rows] = parseCsv(new TextDecoder().decode((await renderReport(doc, "csv")).body));
    expect(header).toEqual(metrics.columns.map((c) => c.label));
    expect(rows.map((r) => r.map((cell, i) => (metrics.columns[i].numeric ? Number(cell) : cell)))).toEqual(metrics.rows);
    const json = JSON.parse(new TextDecoder().decode((await renderReport(doc, "json")).body));
    const schema = await call(schemaRoute.GET, { token: null });
    expect(schema.status).toBe(200);
    expect(validateJsonSchema(schema.body, json)).toEqual([]);
  });

  it("refuses more than MAX_COMPARED_RUNS runs, unfinished runs and other teams' runs", async () => {
    const many = Array.from({ length: MAX_COMPARED_RUNS + 1 }, (_, i) => `r${i}`);
    await expect(buildReport({ kind: "comparison", runIds: many }, principal())).rejects.toMatchObject({ code: "BAD_INPUT", message: `a comparison report takes at most ${MAX_COMPARED_RUNS} runs; ${MAX_COMPARED_RUNS + 1} were given` });
    await expect(buildReport({ kind: "comparison", runIds }, principal("other-team"))).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(buildReport({ kind: "run", runId: runIds[0] }, principal("other-team"))).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(buildReport({ kind: "dataset", datasetId }, principal("other-team"))).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(buildReport({ kind: "ab-test", abTestId: "x" }, principal())).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("an experiment report gives mean ± sd over the cross-validation folds", async () => {
    const doc = await buildReport({ kind: "experiment", experimentId }, principal());
    const stored = JSON.parse((await db.experiment.findUniqueOrThrow({ where: { id: experimentId } })).summary!) as { metrics: Record<string, { mean: number; std: number }> };
    const folds = tables(doc).find((t) => t.id === "folds")!;
    const ndcg = folds.rows.find((r) => r[0] === "NDCG@10")!;
    expect(ndcg.slice(1, 3)).toEqual([stored.metrics["ndcg@10"].mean, stored.metrics["ndcg@10"].std]);
  });

  it("the dataset's data sheet and a run's bias report escape a hostile name in HTML and PDF", async () => {
    const sheet = await buildReport({ kind: "dataset", datasetId }, principal());
    expect(sheet.title).toBe(`Data sheet: ${HOSTILE}`);
    expect(tables(sheet).find((t) => t.id === "composition")!.rows).toContainEqual(["Users", 150]);
    const bias = await buildReport({ kind: "bias", runId: runIds[0] }, principal());
    expect(bias.title).toBe(`Bias and diversity report: ${HOSTILE}`);
    for (const doc of [sheet, bias]) {
      const html = new TextDecoder().decode((await renderReport(doc, "html")).body);
      expect(html).not.toMatch(/<script/i);
      const pdf = (await extractPdfPages((await renderReport(doc, "pdf")).body))[0];
      expect(squash(pdf)).toContain(squash(doc.title));
    }
  });

  it("no report carries a run, experiment or dataset id (a shared report offers nothing to navigate by)", async () => {
    const experimentRuns = await db.run.findMany({ where: { experimentId }, select: { id: true } });
    const ids = [...runIds, datasetId, experimentId, ...experimentRuns.map((r) => r.id)];
    const docs = await Promise.all([
      buildReport({ kind: "run", runId: runIds[0] }, principal()),
      buildReport({ kind: "experiment", experimentId }, principal()),
      buildReport({ kind: "comparison", runIds }, principal()),
      buildReport({ kind: "dataset", datasetId }, principal()),
      buildReport({ kind: "bias", runId: runIds[0] }, principal()),
    ]);
    for (const doc of docs) for (const id of ids) expect(JSON.stringify(doc), `${doc.kind} report`).not.toContain(id);
  });
});
