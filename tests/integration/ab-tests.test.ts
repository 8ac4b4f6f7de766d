import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as abTests from "@/app/api/ab-tests/route";
import * as abTest from "@/app/api/ab-tests/[id]/route";
import * as abImport from "@/app/api/ab-tests/import/route";
import * as abPlan from "@/app/api/ab-tests/plan/route";
import * as dataset from "@/app/api/datasets/[id]/route";
import * as cancelJob from "@/app/api/jobs/[id]/cancel/route";
import * as runs from "@/app/api/runs/route";
import * as exportReport from "@/app/api/reports/export/route";
import type { Db } from "@/lib/db/client";
import { DbJobQueue } from "@/lib/queue/db-queue";
import { createSyntheticDataset } from "@/lib/storage/create-synthetic-dataset";
import { loadDataset } from "@/lib/storage/dataset-repository";
import { refitRunModel } from "@/lib/ab-tests/run-arm-model";
import { abLogLines, deleteAbLogParts, storeAbLogParts } from "@/lib/ab-tests/log-parts";
import { CANDIDATES_ARTIFACT, decodeCandidates } from "@/lib/fairness/candidates";
import { jobHandlers } from "@/workers/handlers";
import { Worker } from "@/workers/worker";
import { call, setDefaultToken, uploadForm, useTeamDatabase } from "./support/api";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "./support/databases";

/**
 * Issue 11: A/B tests through the API. Creating and importing only check and queue (202); the
 * worker simulates or reads the log. The simulated and imported end-to-end cases need the real
 * simulator, statistics and log reader (lib/simulation, lib/stats/ab-tests.ts).
 */
describe.each(PROVIDERS)("A/B tests API on %s", (provider) => {
  let database: TestDatabase;
  let db: Db;
  let analyst: string;
  let viewer: string;
  let otherTeam: string;
  let datasetId: string;
  let otherDatasetId: string;
  let popRunId: string;
  let knnRunId: string;
  let foreignRunId: string;
  let unfinishedRunId: string;
  let uploadDir: string;
  const worker = () => new Worker({ workerId: "ab-test", queue: new DbJobQueue(db), handlers: jobHandlers });
  const create = (json: unknown, token = analyst) => call(abTests.POST, { method: "POST", json, token });
  const get = (id: string, token = analyst) => call(abTest.GET, { params: { id }, token });
  const launchRun = async (datasetId: string, modelId: string, token = analyst) => {
    const launched = await call(runs.POST, { method: "POST", json: { datasetId, config: { modelId, seed: 5 } }, token });
    expect(launched.status).toBe(201);
    return launched.body.id as string;
  };
  const spec = (arms: unknown[], extra: Record<string, unknown> = {}) => ({ name: "pop vs knn", datasetId, arms, users: 200, sessionsPerUser: 3, slateSize: 5, ...extra });
  const runArm = (runId: string) => ({ kind: "run", runId });
  const importLog = (csv: string, fields: Record<string, string> = { name: "imported log" }, token = analyst) =>
    call(abImport.POST, { method: "POST", body: uploadForm(fields, { log: { name: "log.csv", content: csv } }), token });

  beforeAll(async () => {
    uploadDir = fs.mkdtempSync(path.join(os.tmpdir(), "reclab-ab-test-"));
    process.env.RECLAB_UPLOAD_DIR = uploadDir;
    database = await createTestDatabase(provider);
    ({ db, analyst, viewer, otherTeam } = await useTeamDatabase(database.handle));
    datasetId = (await createSyntheticDataset(db, { name: "ab synthetic", options: { numUsers: 150, numItems: 120, interactionsPerUser: 20, seed: 4 } })).id;
    otherDatasetId = (await createSyntheticDataset(db, { name: "other", options: { numUsers: 40, numItems: 30 } })).id;
    popRunId = await launchRun(datasetId, "pop");
    knnRunId = await launchRun(datasetId, "item-knn");
    foreignRunId = await launchRun(otherDatasetId, "pop");
    for (let i = 0; i < 3; i++) expect(await worker().runOnce()).toBe(true);
    unfinishedRunId = await launchRun(datasetId, "pop");
    // It stays unfinished: no worker may pick its training up.
    await db.job.deleteMany({ where: { name: "train-run", status: "QUEUED" } });
  }, 120_000);
  afterAll(async () => {
    setDefaultToken(null);
    delete process.env.RECLAB_UPLOAD_DIR;
    fs.rmSync(uploadDir, { recursive: true, force: true });
    await database?.drop();
  });

  it("refuses a wrong number of arms, arms of another dataset or team, unfinished runs and sizes past the limits, queueing nothing", async () => {
    const jobsBefore = await db.job.count();
    const one = await create(spec([runArm(popRunId)]));
    expect(one.status).toBe(400);
    expect(one.body.error.message).toContain("an A/B test needs 2 to 4 arms");
    const five = await create(spec(Array.from({ length: 5 }, () => runArm(popRunId))));
    expect(five.status).toBe(400);
    expect(five.body.error.message).toContain("2 to 4 arms");
    const foreign = await create(spec([runArm(popRunId), runArm(foreignRunId)]));
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.message).toMatch(/arm B: run .* was trained on another dataset/);
    const unfinished = await create(spec([runArm(popRunId), runArm(unfinishedRunId)]));
    expect(unfinished.status).toBe(400);
    expect(unfinished.body.error.message).toContain("has not finished");
    const otherTeamRun = await launchRun(otherDatasetId, "pop");
    await db.run.update({ where: { id: otherTeamRun }, data: { teamId: "other-team", status: "SUCCEEDED" } });
    const stolen = await create(spec([runArm(popRunId), runArm(otherTeamRun)]));
    expect(stolen.status).toBe(400);
    expect(stolen.body.error.message).toBe(`arm B: run ${otherTeamRun} does not exist`);
    const tooMany = await create(spec([runArm(popRunId), runArm(knnRunId)], { users: 50_001 }));
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.message).toContain("users may be at most 50,000");
    const visits = await create(spec([runArm(popRunId), runArm(knnRunId)], { users: 50_000, sessionsPerUser: 11 }));
    expect(visits.status).toBe(400);
    expect(visits.body.error.message).toContain("users × sessions per user may be at most 500,000");
    const ratio = await create(spec([runArm(popRunId), runArm(knnRunId)], { ratio: [1, 1, 1] }));
    expect(ratio.status).toBe(400);
    expect(ratio.body.error.message).toContain("give one ratio weight per arm (2 arms, 3 weights)");
    const slate = await create(spec([runArm(popRunId), runArm(knnRunId)], { slateSize: 21 }));
    expect(slate.status).toBe(400);
    expect(slate.body.error.message).toContain("slate size may be at most 20");
    expect(await db.job.count()).toBe(jobsBefore + 1); // only the other team's run's training job
    await db.job.deleteMany({ where: { name: "train-run", status: "QUEUED" } });
    expect(await db.abTest.count()).toBe(0);
  });

  it("viewers read but may not create, import or delete; another team sees nothing", async () => {
    const created = await create(spec([runArm(popRunId), runArm(knnRunId)], { name: "visibility" }));
    expect(created.status).toBe(202);
    expect((await create(spec([runArm(popRunId), runArm(knnRunId)]), viewer)).status).toBe(403);
    expect((await importLog("user,arm\n", { name: "x" }, viewer)).status).toBe(403);
    expect((await call(abTest.DELETE, { method: "DELETE", params: { id: created.body.id }, token: viewer })).status).toBe(403);
    const seen = await get(created.body.id, viewer);
    expect(seen.status).toBe(200);
    expect(seen.body.abTest).toMatchObject({ name: "visibility", source: "simulated", status: "QUEUED", arms: [{ armId: "A" }, { armId: "B" }] });
    expect((await get(created.body.id, otherTeam)).status).toBe(404);
    expect((await call(abTest.DELETE, { method: "DELETE", params: { id: created.body.id }, token: otherTeam })).status).toBe(404);
    const theirs = await call(abTests.GET, { token: otherTeam });
    expect(theirs.body.abTests).toEqual([]);
    const deleted = await call(abTest.DELETE, { method: "DELETE", params: { id: created.body.id } });
    expect(deleted.status).toBe(200);
    expect((await get(created.body.id)).status).toBe(404);
    // Its queued job is cancelled with it.
    expect((await db.job.findUniqueOrThrow({ where: { id: created.body.jobId } })).status).toBe("CANCELLED");
  });

  it("a test whose queued job is cancelled is cancelled too, and its stored log is removed", async () => {
    const simulated = await create(spec([runArm(popRunId), runArm(knnRunId)], { name: "cancelled" }));
    expect((await call(cancelJob.POST, { method: "POST", params: { id: simulated.body.jobId } })).status).toBe(200);
    expect((await get(simulated.body.id)).body.abTest.status).toBe("CANCELLED");
    const imported = await importLog("user,arm,timestamp,impressions,clicks,dwell_seconds,conversion\nu1,A,1,1,0,0,0\n", { name: "cancelled import" });
    // The log waits in the database (a worker on another machine reads it there), not on this disk.
    expect(await db.abTestLogPart.count({ where: { abTestId: imported.body.id } })).toBe(1);
    expect(fs.readdirSync(uploadDir)).toEqual([]);
    expect((await call(cancelJob.POST, { method: "POST", params: { id: imported.body.jobId } })).status).toBe(200);
    expect((await get(imported.body.id)).body.abTest.status).toBe("CANCELLED");
    expect(await db.abTestLogPart.count({ where: { abTestId: imported.body.id } })).toBe(0);
    for (const id of [simulated.body.id, imported.body.id]) await call(abTest.DELETE, { method: "DELETE", params: { id } });
  });

  it("lists tests newest first, a page at a time", async () => {
    const ids: string[] = [];
    for (const name of ["first", "second", "third"]) ids.push((await create(spec([runArm(popRunId), runArm(knnRunId)], { name }))).body.id);
    const page = await call(abTests.GET, { url: "http://localhost/api/ab-tests?limit=2" });
    expect(page.status).toBe(200);
    expect(page.body.abTests.map((t: { name: string }) => t.name)).toEqual(["third", "second"]);
    expect(page.body).toMatchObject({ total: 3, nextOffset: 2 });
    const rest = await call(abTests.GET, { url: "http://localhost/api/ab-tests?limit=2&offset=2" });
    expect(rest.body.abTests.map((t: { name: string }) => t.name)).toEqual(["first"]);
    expect(rest.body.nextOffset).toBeNull();
    expect((await call(abTests.GET, { url: "http://localhost/api/ab-tests?limit=500" })).status).toBe(400);
    for (const id of ids) await call(abTest.DELETE, { method: "DELETE", params: { id } });
    await db.job.deleteMany({ where: { name: "simulate-ab-test" } });
  });

  it("a run arm is the run's own model: refitted from its stored config, it gives the scores the run kept", async () => {
    const run = await db.run.findUniqueOrThrow({ where: { id: knnRunId } });
    const artifact = await db.runArtifact.findUniqueOrThrow({ where: { runId_kind: { runId: knnRunId, kind: CANDIDATES_ARTIFACT } } });
    const candidates = decodeCandidates(new Uint8Array(artifact.data));
    const refitted = await refitRunModel(await loadDataset(db, datasetId), JSON.parse(run.config), () => false);
    const numItems = refitted!.train.numCols;
    const users = candidates.users.subarray(0, 20);
    const scores = new Float32Array(users.length * numItems);
    refitted!.model.score(users, scores);
    for (let r = 0; r < users.length; r++) {
      for (let c = 0; c < candidates.counts[r]; c++) {
        expect(scores[r * numItems + candidates.items[r * candidates.size + c]]).toBeCloseTo(candidates.scores[r * candidates.size + c], 5);
      }
    }
    expect(candidates.counts[0]).toBeGreaterThan(0);
    // A cancelled job stops the refit: no model.
    expect(await refitRunModel(await loadDataset(db, datasetId), JSON.parse(run.config), () => true)).toBeNull();
  });

  it("plans the users a lift needs (two-proportion power formula) and refuses a lift of 0", async () => {
    const plan = await call(abPlan.POST, { method: "POST", json: { baselineRate: 0.05, relativeLift: 0.1 }, token: viewer });
    expect(plan.status).toBe(200);
    // n = (z.975 + z.8)² (p1 q1 + p2 q2) / (p2 − p1)² with p1 = 0.05, p2 = 0.055: 31,231 per arm.
    expect(plan.body.usersPerArm).toBeGreaterThan(30_500);
    expect(plan.body.usersPerArm).toBeLessThan(32_000);
    expect(plan.body.totalUsers).toBe(2 * plan.body.usersPerArm);
    const bad = await call(abPlan.POST, { method: "POST", json: { baselineRate: 0.05, relativeLift: 0 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain("lift must be at least 0.1%");
  });

  // Needs the real simulator, policies and statistics (merged from the other helpers' branches).
  it("simulates a 2-arm test in the worker and stores the analysis, CTR by position and assumptions", async () => {
    const created = await create(spec([runArm(popRunId), { ...runArm(knnRunId), label: "ItemKNN" }], { name: "end to end" }));
    expect(created.status).toBe(202);
    expect(created.body).toEqual({ id: expect.any(String), jobId: expect.any(String) });
    expect(await worker().runOnce()).toBe(true);
    const job = await db.job.findUniqueOrThrow({ where: { id: created.body.jobId } });
    expect(job.error).toBeNull();
    const { body } = await get(created.body.id, viewer);
    expect(body.abTest.status).toBe("SUCCEEDED");
    expect(body.abTest.analysis.arms.map((a: { label: string }) => a.label)).toEqual(["Popularity on ab synthetic", "ItemKNN"]);
    expect(body.abTest.totals.reduce((sum: number, t: { users: number }) => sum + t.users, 0)).toBe(200);
    expect(body.abTest.analysis.metrics.map((m: { metricId: string }) => m.metricId)).toContain("ctr");
    expect(body.abTest.analysis.verdict.length).toBeGreaterThan(0);
    expect(body.abTest.headline).toBe(body.abTest.analysis.verdict[0]);
    expect(body.abTest.positionCtr).toHaveLength(2);
    expect(body.abTest.positionCtr[0].ctr).toHaveLength(5);
    expect(body.abTest.simulation.assumptions.length).toBeGreaterThan(0);

    // The review exports like every report, viewers included: the JSON carries the verdict.
    const exported = await call(exportReport.GET, { url: `http://localhost/api/reports/export?kind=ab-test&id=${created.body.id}&format=json`, token: viewer });
    expect(exported.status).toBe(200);
    expect(exported.body.kind).toBe("ab-test");
    expect(JSON.stringify(exported.body)).toContain(body.abTest.analysis.verdict[0]);
  }, 120_000);

  // Needs the real log reader and statistics.
  it("imports a log: a bad row fails with its line and field and stores nothing; a good log is analysed", async () => {
    const header = "user,arm,timestamp,impressions,clicks,dwell_seconds,conversion\n";
    const bad = await importLog(`${header}u1,A,1700000000,10,1,30,0\nu2,B,1700000001,10,abc,40,0\n`, { name: "bad log" });
    expect(bad.status).toBe(202);
    expect(await worker().runOnce()).toBe(true);
    const failed = await db.abTest.findUniqueOrThrow({ where: { id: bad.body.id } });
    expect(failed.status).toBe("FAILED");
    expect(failed.error).toMatch(/line 3/);
    expect(failed.error).toMatch(/clicks/);
    expect(failed.totals).toBeNull();
    expect(failed.analysis).toBeNull();
    expect(await db.abTestLogPart.count({ where: { abTestId: bad.body.id } })).toBe(0);

    const rows = Array.from({ length: 400 }, (_, i) => `u${i},${i % 2 ? "B" : "A"},${1700000000 + i},10,${i % 2 ? 2 : 1},${20 + (i % 7)},${i % 10 === 0 ? 1 : 0}`);
    const good = await importLog(header + rows.join("\n") + "\n", { name: "good log", ratio: "1,1" });
    expect(good.status).toBe(202);
    expect(await worker().runOnce()).toBe(true);
    const { body } = await get(good.body.id, viewer);
    expect(body.abTest).toMatchObject({ status: "SUCCEEDED", source: "imported" });
    expect(body.abTest.analysis.arms.map((a: { users: number }) => a.users)).toEqual([200, 200]);
    const ctr = body.abTest.analysis.metrics.find((m: { metricId: string }) => m.metricId === "ctr");
    expect(ctr.arms.map((a: { value: number }) => a.value)).toEqual([0.1, 0.2].map((v) => expect.closeTo(v, 10)));
    expect(await db.abTestLogPart.count({ where: { abTestId: good.body.id } })).toBe(0);
  });

  it("a log stored in several parts reads back line by line: CRLF, a character split across parts, no final newline", async () => {
    const test = await db.abTest.create({ data: { name: "parts", source: "imported", config: "{}", teamId: "default" } });
    const text = "user,arm\r\nu1,Ä\r\nu2,B\nu3,Zoë";
    const file = path.join(uploadDir, "parts.csv");
    fs.writeFileSync(file, text);
    // 5-byte parts: "Ä" and "ë" (2 bytes each in UTF-8) are cut in two by part boundaries.
    expect(await storeAbLogParts(db, test.id, file, 5)).toBe(Math.ceil(Buffer.byteLength(text) / 5));
    fs.rmSync(file);
    const seen: number[] = [];
    const lines: string[] = [];
    for await (const line of abLogLines(db, test.id, (bytes) => seen.push(bytes))) lines.push(line);
    expect(lines).toEqual(["user,arm", "u1,Ä", "u2,B", "u3,Zoë"]);
    expect(seen.at(-1)).toBe(Buffer.byteLength(text));
    await deleteAbLogParts(db, test.id);
    expect(await db.abTestLogPart.count({ where: { abTestId: test.id } })).toBe(0);

    fs.writeFileSync(file, Buffer.from([0x75, 0x31, 0x2c, 0xff, 0x0a]));
    await storeAbLogParts(db, test.id, file);
    fs.rmSync(file);
    await expect(async () => {
      for await (const line of abLogLines(db, test.id)) void line;
    }).rejects.toThrow("not valid UTF-8");
    await db.abTest.delete({ where: { id: test.id } });
    expect(await db.abTestLogPart.count({ where: { abTestId: test.id } })).toBe(0);
  });

  it("refuses an import without a file, with a bad ratio or a non-multipart body", async () => {
    const spooled = async () => fs.readdirSync(uploadDir).length + (await db.abTestLogPart.count()) + (await db.abTest.count());
    const before = await spooled();
    const noFile = await call(abImport.POST, { method: "POST", body: uploadForm({ name: "x" }, {}) });
    expect(noFile.status).toBe(400);
    expect(noFile.body.error.message).toContain("attach the A/B log CSV as field 'log'");
    const ratio = await importLog("user,arm\n", { name: "x", ratio: "1" });
    expect(ratio.status).toBe(400);
    expect(ratio.body.error.message).toContain("ratio must be 2 to 4 positive weights");
    const json = await call(abImport.POST, { method: "POST", json: { name: "x" } });
    expect(json.status).toBe(400);
    expect(await spooled()).toBe(before);
  });

  it("deleting the dataset purges its A/B tests", async () => {
    const created = await create(spec([runArm(popRunId), runArm(knnRunId)], { name: "purged" }));
    expect(created.status).toBe(202);
    const deleted = await call(dataset.DELETE, { method: "DELETE", params: { id: datasetId } });
    expect(deleted.status).toBe(200);
    expect(deleted.body.deletedAbTests).toBeGreaterThanOrEqual(1);
    expect(await db.abTest.count({ where: { datasetId } })).toBe(0);
    expect((await get(created.body.id)).status).toBe(404);
  });
});
