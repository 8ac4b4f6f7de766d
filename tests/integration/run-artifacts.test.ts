import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { computeStats } from "@/lib/datasets/stats";
import type { Dataset } from "@/lib/datasets/types";
import { saveDataset } from "@/lib/storage/dataset-repository";
import { PrismaTrackingStore } from "@/lib/tracking/prisma-store";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "./support/databases";

function tinyDataset(): Dataset {
  const n = 40;
  return {
    numUsers: 4,
    numItems: 10,
    table: {
      users: Int32Array.from({ length: n }, (_, r) => r % 4),
      items: Int32Array.from({ length: n }, (_, r) => r % 10),
      ratings: new Float32Array(n).fill(1),
      timestamps: new Float64Array(n),
    },
    userIds: ["a", "b", "c", "d"],
    itemIds: Array.from({ length: 10 }, (_, i) => `i${i}`),
    feedback: "implicit",
    hasTimestamps: false,
  };
}

/** `size` bytes of a pattern that tells positions apart, as a view at an odd offset. */
function payload(size: number, salt: number): Uint8Array {
  const buffer = new Uint8Array(size + 3);
  for (let i = 0; i < buffer.length; i++) buffer[i] = (i * 31 + salt) & 255;
  return buffer.subarray(3);
}

// Run artefacts (checkpoints, per-user metrics, top lists) bypass Prisma's query engine on both
// databases (lib/db/direct-bytes.ts); what they write Prisma reads, with the same constraints.
describe.each(PROVIDERS)("run artefacts (%s)", (provider) => {
  let database: TestDatabase;
  let tracking: PrismaTrackingStore;
  let runId: string;

  beforeAll(async () => {
    database = await createTestDatabase(provider);
    const { db } = database.handle;
    const dataset = tinyDataset();
    const { id } = await saveDataset(db, { name: "artefacts", source: "test", dataset, stats: computeStats(dataset), preprocessing: {} });
    tracking = new PrismaTrackingStore(db);
    runId = (await tracking.createRun({ name: "r", datasetId: id, modelId: "pop", config: { modelId: "pop" } })).id;
  }, 60_000);
  afterAll(() => database?.drop());

  it("reads back exactly what was saved, replaces it on the next save, and has none of an unsaved kind", async () => {
    const first = payload(3 << 20, 1), second = payload(1 << 20, 2);
    await tracking.saveArtifact(runId, "checkpoint", first);
    expect(Buffer.from((await tracking.getArtifact(runId, "checkpoint"))!).equals(Buffer.from(first))).toBe(true);
    await tracking.saveArtifact(runId, "checkpoint", second);
    expect(Buffer.from((await tracking.getArtifact(runId, "checkpoint"))!).equals(Buffer.from(second))).toBe(true);
    expect(await database.handle.db.runArtifact.count({ where: { runId } })).toBe(1);
    expect(await tracking.getArtifact(runId, "per-user-metrics")).toBeNull();
  });

  it("refuses an artefact of a run that does not exist and stores nothing", async () => {
    await expect(tracking.saveArtifact("no-such-run", "checkpoint", payload(16, 3))).rejects.toThrow();
    expect(await database.handle.db.runArtifact.count({ where: { runId: "no-such-run" } })).toBe(0);
  });

  it("is readable through Prisma too, and is deleted with its run", async () => {
    const { db } = database.handle;
    const dataset = await db.run.findUniqueOrThrow({ where: { id: runId }, select: { datasetId: true } });
    const other = (await tracking.createRun({ name: "doomed", datasetId: dataset.datasetId, modelId: "pop", config: { modelId: "pop" } })).id;
    const bytes = payload(4096, 4);
    await tracking.saveArtifact(other, "test-top-lists", bytes);
    const row = await db.runArtifact.findUniqueOrThrow({ where: { runId_kind: { runId: other, kind: "test-top-lists" } } });
    expect(Buffer.from(row.data).equals(Buffer.from(bytes))).toBe(true);
    expect(row.createdAt.getTime()).toBeGreaterThan(Date.now() - 60_000);
    await db.run.delete({ where: { id: other } });
    expect(await db.runArtifact.count({ where: { runId: other } })).toBe(0);
  });

  it("waits for a write transaction of the same process instead of failing or blocking it", async () => {
    const { db } = database.handle;
    let saved = false;
    await db.$transaction(async (tx) => {
      await tx.run.update({ where: { id: runId }, data: { progressText: "holding the write lock" } });
      // Started while the transaction holds the lock; it must neither throw nor stall this transaction.
      const pending = tracking.saveArtifact(runId, "per-user-metrics", payload(1024, 5)).then(() => (saved = true));
      await new Promise((resolve) => setTimeout(resolve, 50));
      await tx.run.update({ where: { id: runId }, data: { progressText: "done" } });
      void pending;
    });
    await expect.poll(() => saved, { timeout: 5_000 }).toBe(true);
    expect(Buffer.from((await tracking.getArtifact(runId, "per-user-metrics"))!).equals(Buffer.from(payload(1024, 5)))).toBe(true);
  });
});
