import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as queueRoute from "@/app/api/queue/route";
import type { Db } from "@/lib/db/client";
import { DbJobQueue } from "@/lib/queue/db-queue";
import { call, setDefaultToken, useTeamDatabase } from "./support/api";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "./support/databases";

describe.each(PROVIDERS)("GET /api/queue on %s", (provider) => {
  let database: TestDatabase;
  let db: Db;
  let otherTeam: string;
  const runs: Record<string, string> = {};
  const jobs: Record<string, string> = {};

  beforeAll(async () => {
    database = await createTestDatabase(provider);
    ({ db, otherTeam } = await useTeamDatabase(database.handle));
    const queue = new DbJobQueue(db);
    const dataset = await db.dataset.create({ data: { name: "d", source: "synthetic", feedback: "implicit", numUsers: 1, numItems: 1, numInteractions: 1, stats: "{}", preprocessing: "{}" } });
    const other = await db.dataset.create({ data: { name: "o", source: "synthetic", feedback: "implicit", numUsers: 1, numItems: 1, numInteractions: 1, stats: "{}", preprocessing: "{}", teamId: "other-team" } });
    // Enqueued in this order: the other team's running run, then ours a, (theirs b), ours c.
    for (const [key, datasetId, teamId] of [["theirsRunning", other.id, "other-team"], ["a", dataset.id, "default"], ["b", other.id, "other-team"], ["c", dataset.id, "default"]] as const) {
      const run = await db.run.create({ data: { name: `run ${key}`, datasetId, modelId: "pop", config: "{}", teamId } });
      runs[key] = run.id;
      jobs[key] = (await queue.enqueue("train-run", { runId: run.id })).id;
      await new Promise((r) => setTimeout(r, 5)); // distinct createdAt, so the claim order is the enqueue order
    }
    const claimed = await queue.claim("worker-7", { leaseMs: 60_000 });
    expect(claimed?.id).toBe(jobs.theirsRunning);
    await queue.heartbeat(jobs.theirsRunning, "worker-7", 60_000, { progress: 0.5, message: "epoch 3/10" });
  });
  afterAll(async () => {
    setDefaultToken(null);
    await database?.drop();
  });

  it("gives our waiting runs their place in the claim order and keeps other teams' jobs anonymous", async () => {
    const { status, body } = await call(queueRoute.GET);
    expect(status).toBe(200);
    expect(body.queue.waiting).toBe(3);
    expect(body.queue.mine.map((j: { href: string; position: number }) => [j.href, j.position])).toEqual([
      [`/runs/${runs.a}`, 1],
      [`/runs/${runs.c}`, 3],
    ]);
    expect(body.queue.running).toEqual([
      expect.objectContaining({ label: "another team's job", href: null, jobId: "", progressMessage: null, worker: "worker-7" }),
    ]);
    expect(JSON.stringify(body)).not.toContain(runs.b);
    expect(JSON.stringify(body)).not.toContain(runs.theirsRunning);
  });

  it("shows the other team its own running run with progress", async () => {
    const { body } = await call(queueRoute.GET, { token: otherTeam });
    expect(body.queue.running[0]).toMatchObject({ label: "run “run theirsRunning”", href: `/runs/${runs.theirsRunning}`, progressMessage: "epoch 3/10", worker: "worker-7" });
    expect(body.queue.mine.map((j: { position: number }) => j.position)).toEqual([2]);
  });

  it("needs an account", async () => {
    expect((await call(queueRoute.GET, { token: null })).status).toBe(401);
  });
});
