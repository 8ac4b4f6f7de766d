import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { computeStats } from "@/lib/datasets/stats";
import type { Dataset } from "@/lib/datasets/types";
import { loadDataset, saveDataset } from "@/lib/storage/dataset-repository";
import { getDatasetBlobBytes } from "@/lib/db/sqlite-bytes";
import { getDatasetBlobBytesPg } from "@/lib/db/pg-bytes";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "./support/databases";

// Blob parts are read with the database driver (lib/db/direct-bytes.ts), not through Prisma: counted here.
vi.mock("@/lib/db/sqlite-bytes", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/db/sqlite-bytes")>();
  return { ...real, getDatasetBlobBytes: vi.fn(real.getDatasetBlobBytes) };
});
vi.mock("@/lib/db/pg-bytes", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/db/pg-bytes")>();
  return { ...real, getDatasetBlobBytesPg: vi.fn(real.getDatasetBlobBytesPg) };
});
const DRIVER_READS = { sqlite: vi.mocked(getDatasetBlobBytes), postgresql: vi.mocked(getDatasetBlobBytesPg) };

/** A small explicit dataset with timestamps: one blob per column and id list. */
function smallDataset(): Dataset {
  const n = 5000;
  const numUsers = 100, numItems = 50;
  return {
    numUsers,
    numItems,
    table: {
      users: Int32Array.from({ length: n }, (_, r) => r % numUsers),
      items: Int32Array.from({ length: n }, (_, r) => (r * 7) % numItems),
      ratings: Float32Array.from({ length: n }, (_, r) => 1 + (r % 5)),
      timestamps: Float64Array.from({ length: n }, (_, r) => 1_600_000_000 + r),
    },
    userIds: Array.from({ length: numUsers }, (_, u) => `u${u}`),
    itemIds: Array.from({ length: numItems }, (_, i) => `i${i}`),
    feedback: "explicit",
    hasTimestamps: true,
  };
}

describe.each(PROVIDERS)("dataset repository (%s)", (provider) => {
  const driverReads = DRIVER_READS[provider];
  let database: TestDatabase;
  let id: string;
  const dataset = smallDataset();

  beforeAll(async () => {
    database = await createTestDatabase(provider);
    ({ id } = await saveDataset(database.handle.db, { name: "blobs", source: "test", dataset, stats: computeStats(dataset), preprocessing: {} }));
  }, 60_000);
  afterAll(() => database?.drop());

  it("loads a dataset one blob per query (bounded heap), identical to what was saved", async () => {
    const { db } = database.handle;
    const parts = await db.datasetBlob.count({ where: { datasetId: id } });
    const listed = vi.spyOn(db.datasetBlob, "findMany");
    const read = vi.spyOn(db.datasetBlob, "findUnique");
    driverReads.mockClear();
    const loaded = await loadDataset(db, id);
    expect(listed.mock.calls.every(([args]) => !(args?.select as Record<string, unknown> | undefined)?.data)).toBe(true);
    expect(parts).toBeGreaterThanOrEqual(4);
    expect(driverReads).toHaveBeenCalledTimes(parts);
    expect(read).not.toHaveBeenCalled();
    expect(loaded.table.timestamps).toEqual(dataset.table.timestamps);
    expect(loaded.table.users).toEqual(dataset.table.users);
    expect(loaded.table.items).toEqual(dataset.table.items);
    expect(loaded.table.ratings).toEqual(dataset.table.ratings);
    expect(loaded.userIds).toEqual(dataset.userIds);
    expect(loaded.itemIds).toEqual(dataset.itemIds);
    listed.mockRestore();
    read.mockRestore();
  }, 120_000);

  it("leaves nothing behind when a blob part fails to write mid-save", async () => {
    const { db } = database.handle;
    const blobsBefore = await db.datasetBlob.count();
    const realTransaction = db.$transaction.bind(db) as (fn: (tx: unknown) => Promise<unknown>, options?: unknown) => Promise<unknown>;
    // The second part's INSERT fails (as a full disk would): the first part and the row must go too.
    const spy = vi.spyOn(db, "$transaction").mockImplementation(((fn: (tx: unknown) => Promise<unknown>, options?: unknown) =>
      realTransaction((tx) => {
        let writes = 0;
        const failing = new Proxy(tx as Record<string | symbol, unknown>, {
          get(target, key) {
            if (key !== "$executeRaw") return target[key];
            return (...args: unknown[]) => {
              if (++writes === 2) throw new Error("disk full");
              return (target.$executeRaw as (...a: unknown[]) => unknown)(...args);
            };
          },
        });
        return fn(failing);
      }, options)) as never);
    try {
      await expect(saveDataset(db, { name: "half-written", source: "test", dataset, stats: computeStats(dataset), preprocessing: {} })).rejects.toThrow("disk full");
    } finally {
      spy.mockRestore();
    }
    expect(await db.dataset.count({ where: { name: "half-written" } })).toBe(0);
    expect(await db.datasetBlob.count()).toBe(blobsBefore);
  }, 60_000);

  it("loads the same dataset again without reading its blobs, as independent arrays; a deleted one is NOT_FOUND", async () => {
    const { db } = database.handle;
    const first = await loadDataset(db, id);
    const read = vi.spyOn(db.datasetBlob, "findUnique");
    driverReads.mockClear();
    const again = await loadDataset(db, id);
    expect(read).not.toHaveBeenCalled();
    expect(driverReads).not.toHaveBeenCalled();
    read.mockRestore();
    first.table.ratings[0] = 99; // what one trial does to its arrays stays with it
    expect(again.table.ratings[0]).toBe(dataset.table.ratings[0]);
    expect(again.table.users).toEqual(dataset.table.users);
    expect((await loadDataset(db, id)).table.ratings[0]).toBe(dataset.table.ratings[0]);

    const { id: doomed } = await saveDataset(db, { name: "doomed", source: "test", dataset, stats: computeStats(dataset), preprocessing: {} });
    await loadDataset(db, doomed);
    await db.dataset.delete({ where: { id: doomed } });
    await expect(loadDataset(db, doomed)).rejects.toThrow(`dataset ${doomed} does not exist`);
  }, 120_000);
});

