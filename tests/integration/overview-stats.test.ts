import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "@/lib/auth/principal";
import { computeStats } from "@/lib/datasets/stats";
import { generateSynthetic } from "@/lib/datasets/synthetic";
import { listRuns } from "@/lib/server/list-runs";
import { getOverviewStats } from "@/lib/server/overview-stats";
import { saveDataset } from "@/lib/storage/dataset-repository";
import { useDatabase } from "./support/api";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "./support/databases";

const analyst: Principal = { userId: null, email: "analyst@example.test", role: "analyst", teamId: "default", via: "token" };
const admin: Principal = { ...analyst, email: "admin@example.test", role: "admin" };

// The overview's counts and the viewer home's finished runs are asked of the database, whatever
// the number of runs (they used to be counted from the newest 500 runs loaded whole).
describe.each(PROVIDERS)("overview counts and finished runs (%s)", (provider) => {
  let database: TestDatabase;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    database = await createTestDatabase(provider);
    const db = useDatabase(database.handle);
    const dataset = generateSynthetic({ numUsers: 20, numItems: 15, interactionsPerUser: 5, seed: 1 });
    const stats = computeStats(dataset);
    const mine = (await saveDataset(db, { name: "mine", source: "test", dataset, stats, preprocessing: {} })).id;
    const theirs = (await saveDataset(db, { name: "theirs", source: "test", dataset, stats, preprocessing: {}, teamId: "other" })).id;
    const runs: [string, string, string | null, string, string][] = [
      ["standalone-1", "SUCCEEDED", null, "default", mine],
      ["trial-1", "SUCCEEDED", "trial", "default", mine],
      ["trial-2", "SUCCEEDED", "trial", "default", mine],
      ["fold-1", "SUCCEEDED", "fold", "default", mine],
      ["final", "SUCCEEDED", "final", "default", mine],
      ["running", "RUNNING", null, "default", mine],
      ["queued", "QUEUED", null, "default", mine],
      ["failed", "FAILED", null, "default", mine],
      ["standalone-2", "SUCCEEDED", null, "default", mine],
      ["other-team", "SUCCEEDED", null, "other", theirs],
    ];
    for (const [name, status, role, teamId, datasetId] of runs) {
      // One millisecond apart: "newest first" is well defined.
      await new Promise((r) => setTimeout(r, 2));
      ids[name] = (await db.run.create({ data: { name, status, role, teamId, datasetId, modelId: "pop", config: "{}" } })).id;
    }
  }, 60_000);
  afterAll(() => database?.drop());

  it("counts datasets, runs, active and succeeded runs in the principal's team (an admin sees every team)", async () => {
    expect(await getOverviewStats(analyst)).toEqual({ datasets: 1, runs: 9, active: 2, succeeded: 6 });
    expect(await getOverviewStats(admin)).toEqual({ datasets: 2, runs: 10, active: 2, succeeded: 7 });
  });

  it("lists finished runs that stand for a result, newest first: not trials or folds, standalone runs included", async () => {
    const finished = await listRuns(analyst, { status: "SUCCEEDED", excludeRoles: ["trial", "fold"] });
    expect(finished.map((r) => r.name)).toEqual(["standalone-2", "final", "standalone-1"]);
    expect((await listRuns(analyst, { status: "SUCCEEDED", excludeRoles: ["trial", "fold"], limit: 2 })).map((r) => r.name)).toEqual(["standalone-2", "final"]);
    expect((await listRuns(analyst)).length).toBe(9);
  });
});
