import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as runs from "@/app/api/runs/route";
import * as run from "@/app/api/runs/[id]/route";
import * as drill from "@/app/api/runs/[id]/users/[user]/route";
import type { Db } from "@/lib/db/client";
import { CANDIDATES_ARTIFACT, decodeCandidates } from "@/lib/fairness/candidates";
import { EXPLANATIONS_ARTIFACT } from "@/lib/fairness/explanations";
import { DbJobQueue } from "@/lib/queue/db-queue";
import { createSyntheticDataset } from "@/lib/storage/create-synthetic-dataset";
import { jobHandlers } from "@/workers/handlers";
import { Worker } from "@/workers/worker";
import { call, setDefaultToken, useTeamDatabase } from "./support/api";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "./support/databases";

/**
 * Issue 10, item 4: a worker-trained run stores its test users' explanations; the per-user
 * drill-down reads them with the user's history and a re-ranker's list next to the base list.
 */
describe.each(PROVIDERS)("per-user drill-down on %s", (provider) => {
  let database: TestDatabase;
  let db: Db;
  let analyst: string;
  let viewer: string;
  let otherTeam: string;
  let runId: string;
  let user: string;
  const get = (query = "", token = analyst, u = user, id = runId) => call(drill.GET, { params: { id, user: u }, token, url: `http://localhost/api/runs/${id}/users/${u}${query}` });

  beforeAll(async () => {
    database = await createTestDatabase(provider);
    ({ db, analyst, viewer, otherTeam } = await useTeamDatabase(database.handle));
    const dataset = await createSyntheticDataset(db, { name: "drill synthetic", options: { numUsers: 80, numItems: 100, interactionsPerUser: 20, seed: 5 } });
    const launched = await call(runs.POST, { method: "POST", json: { datasetId: dataset.id, config: { modelId: "item-knn", seed: 3 } } });
    expect(launched.status).toBe(201);
    runId = launched.body.id;
    expect(await new Worker({ workerId: "drill-test", queue: new DbJobQueue(db), handlers: jobHandlers }).runOnce()).toBe(true);
    expect((await call(run.GET, { params: { id: runId } })).body.run.status).toBe("SUCCEEDED");
    // The first user the run evaluated on test (synthetic user ids are u1, u2, ...).
    const candidates = await db.runArtifact.findFirstOrThrow({ where: { runId, kind: CANDIDATES_ARTIFACT } });
    user = `u${decodeCandidates(new Uint8Array(candidates.data)).users[0] + 1}`;
  }, 120_000);
  afterAll(async () => {
    setDefaultToken(null);
    await database?.drop();
  });

  it("the run stored an explanation artefact", async () => {
    expect(await db.runArtifact.count({ where: { runId, kind: EXPLANATIONS_ARTIFACT } })).toBe(1);
  });

  it("returns the history and a top-K whose reasons are history items", async () => {
    const response = await get();
    expect(response.status).toBe(200);
    const body = response.body.drillDown;
    expect(body.history.length).toBeGreaterThan(0);
    expect(body.recommendations).toHaveLength(10);
    expect(body.explanations).toBeNull();
    const history = new Set(body.history.map((h: { index: number }) => h.index));
    const withReasons = body.recommendations.filter((r: { reasons: unknown[] }) => r.reasons.length > 0);
    expect(withReasons.length).toBeGreaterThan(0);
    for (const r of withReasons) {
      expect(r.reasons.length).toBeLessThanOrEqual(3);
      for (const reason of r.reasons) expect(history.has(reason.item.index)).toBe(true);
      expect(r.sentence).toMatch(/^Because you interacted with .+ \(\d+% of the score\)/);
    }
  });

  it("shows a re-ranker's list with the items that entered and left", async () => {
    const response = await get("?rerankerId=popularity-penalty&lambda=1");
    expect(response.status).toBe(200);
    const { rerank, recommendations } = response.body.drillDown;
    expect(rerank.items).toHaveLength(10);
    const base = new Set(recommendations.map((r: { index: number }) => r.index));
    for (const item of rerank.items) expect(item.entered).toBe(!base.has(item.index));
    expect(rerank.left).toHaveLength(rerank.items.filter((i: { entered: boolean }) => i.entered).length);
    expect((await get("?rerankerId=nope")).status).toBe(400);
  });

  it("viewers get 403, another team 404, an unknown user 404", async () => {
    expect((await get("", viewer)).status).toBe(403);
    expect((await get("", otherTeam)).status).toBe(404);
    expect((await get("", analyst, "no-such-user")).status).toBe(404);
  });
});
