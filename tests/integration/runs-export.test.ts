import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as runsExport from "@/app/api/runs/export/route";
import { computeStats } from "@/lib/datasets/stats";
import { generateSynthetic } from "@/lib/datasets/synthetic";
import { EXPORT_PAGE_SIZE } from "@/lib/db/keyset-pages";
import { saveDataset } from "@/lib/storage/dataset-repository";
import { call, tokenFor, useDatabase } from "./support/api";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "./support/databases";

// More runs than two export pages, most created in the same millisecond as others: every run is
// exported exactly once (the keyset's id tie-break), with a column for every metric any run has.
const RUNS = 2 * EXPORT_PAGE_SIZE + 37;
const TIMES = [new Date("2026-01-01T00:00:00.000Z"), new Date("2026-01-02T00:00:00.000Z"), new Date("2026-01-03T00:00:00.000Z")];

function metricsOf(i: number): string | null {
  if (i % 10 === 0) return null; // queued or failed: no metrics
  const test = i % 2 === 0 ? { "ndcg@10": i / 10_000 } : { rmse: 1 + i / 10_000 };
  return JSON.stringify({ test, validation: { "secret@10": 1 } });
}

function parseCsv(text: string): string[][] {
  return text.trimEnd().split("\r\n").map((line) => line.split(","));
}

describe.each(PROVIDERS)("GET /api/runs/export (%s)", (provider) => {
  let database: TestDatabase;
  let analyst: string;
  let outsider: string;
  let mine: string;
  let other: string;

  beforeAll(async () => {
    database = await createTestDatabase(provider);
    const db = useDatabase(database.handle);
    const dataset = generateSynthetic({ numUsers: 20, numItems: 15, interactionsPerUser: 5, seed: 1 });
    const stats = computeStats(dataset);
    mine = (await saveDataset(db, { name: "mine", source: "test", dataset, stats, preprocessing: {} })).id;
    other = (await saveDataset(db, { name: "other", source: "test", dataset, stats, preprocessing: {} })).id;
    const theirs = (await saveDataset(db, { name: "theirs", source: "test", dataset, stats, preprocessing: {}, teamId: "elsewhere" })).id;
    await db.run.createMany({
      data: Array.from({ length: RUNS }, (_, i) => ({
        name: `run-${i}`,
        status: i % 10 === 0 ? "QUEUED" : "SUCCEEDED",
        datasetId: i % 3 === 0 ? other : mine,
        modelId: "pop",
        config: "{}",
        metrics: metricsOf(i),
        createdAt: TIMES[i % TIMES.length],
      })),
    });
    await db.run.create({ data: { name: "their-run", status: "SUCCEEDED", datasetId: theirs, teamId: "elsewhere", modelId: "pop", config: "{}", metrics: JSON.stringify({ test: { "hidden@5": 1 } }) } });
    analyst = await tokenFor(db, "analyst");
    outsider = await tokenFor(db, "analyst", { teamId: "elsewhere" });
  }, 120_000);
  afterAll(() => database?.drop());

  it("exports every run of the team once, newest first, with a column per test metric", async () => {
    const response = await call(runsExport.GET, { token: analyst, url: "http://localhost/api/runs/export" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/csv");
    const [header, ...rows] = parseCsv(response.body);
    expect(header).toEqual(["run_id", "name", "model", "dataset", "status", "created_at", "ndcg@10", "rmse"]);
    expect(rows).toHaveLength(RUNS);
    expect(new Set(rows.map((r) => r[1])).size).toBe(RUNS);
    const created = rows.map((r) => r[5]);
    expect(created).toEqual([...created].sort().reverse());
    const row = (name: string) => rows.find((r) => r[1] === name)!;
    expect(row("run-2").slice(6)).toEqual(["0.0002", ""]);
    expect(row("run-3").slice(6)).toEqual(["", "1.0003"]);
    expect(row("run-10").slice(4)).toEqual(["QUEUED", TIMES[1].toISOString(), "", ""]);
    const audit = await database.handle.db.auditEvent.findFirst({ where: { action: "export", target: "runs.csv" }, orderBy: { at: "desc" } });
    expect(audit?.detail).toBe(`${RUNS} runs`);
  });

  it("keeps to one dataset with ?datasetId= and to the caller's team", async () => {
    const one = await call(runsExport.GET, { token: analyst, url: `http://localhost/api/runs/export?datasetId=${other}` });
    const rows = parseCsv(one.body).slice(1);
    expect(rows).toHaveLength(Math.ceil(RUNS / 3));
    expect(rows.every((r) => r[3] === "other")).toBe(true);
    const theirs = parseCsv((await call(runsExport.GET, { token: outsider, url: "http://localhost/api/runs/export" })).body);
    expect(theirs).toEqual([["run_id", "name", "model", "dataset", "status", "created_at", "hidden@5"], [expect.any(String), "their-run", "Popularity", "theirs", "SUCCEEDED", expect.any(String), "1"]]);
  });

  it("refuses a malformed filter, naming it", async () => {
    const bad = await call(runsExport.GET, { token: analyst, url: `http://localhost/api/runs/export?datasetId=${"x".repeat(201)}` });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain("datasetId");
  });
});
