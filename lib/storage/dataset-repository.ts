import { randomUUID } from "node:crypto";
import { decodeDataset, encodeDataset } from "../datasets/codec";
import type { DatasetStats } from "../datasets/stats";
import type { Dataset } from "../datasets/types";
import { directBytesOf, type Db } from "../db/client";
import { AppError } from "../errors";

/**
 * Datasets in the application database: one metadata row plus binary column blobs. Shared by
 * the web server (import) and workers (load), which need nothing but DATABASE_URL.
 */

export interface SaveDatasetInput {
  name: string;
  source: string;
  dataset: Dataset;
  stats: DatasetStats;
  preprocessing: Record<string, unknown>;
  /** Owning team and creator (access control). */
  teamId?: string;
  createdById?: string | null;
  personalData?: boolean;
}

/** Writes the dataset and its blobs in one transaction: a failure leaves nothing behind. */
export async function saveDataset(db: Db, input: SaveDatasetInput): Promise<{ id: string }> {
  const { dataset } = input;
  const blobs = encodeDataset(dataset);
  const ratings = dataset.table.ratings;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < ratings.length; i++) {
    if (ratings[i] < min) min = ratings[i];
    if (ratings[i] > max) max = ratings[i];
  }
  return db.$transaction(async (tx) => {
    const row = await tx.dataset.create({
      data: {
        name: input.name,
        source: input.source,
        feedback: dataset.feedback,
        numUsers: dataset.numUsers,
        numItems: dataset.numItems,
        numInteractions: dataset.table.users.length,
        ratingMin: Number.isFinite(min) ? min : null,
        ratingMax: Number.isFinite(max) ? max : null,
        hasTimestamps: dataset.hasTimestamps,
        stats: JSON.stringify(input.stats),
        preprocessing: JSON.stringify(input.preprocessing),
        teamId: input.teamId ?? "default",
        createdById: input.createdById ?? null,
        personalData: input.personalData ?? false,
      },
      select: { id: true },
    });
    // Raw INSERTs: Prisma's create() moves a Bytes value ~2.5× slower through its adapters (a
    // 2M-interaction save: SQLite 3.6 → 1.4 s, PostgreSQL 7.0 → 3.0 s). The id is made here, as
    // the schema's cuid() default is Prisma's client-side.
    for (const blob of blobs) {
      const bytes = Uint8Array.from(blob.data);
      await tx.$executeRaw`INSERT INTO "DatasetBlob" ("id", "datasetId", "kind", "part", "data") VALUES (${randomUUID()}, ${row.id}, ${blob.kind}, ${blob.part}, ${bytes})`;
    }
    return row;
  }, { timeout: 120_000, maxWait: 30_000 });
}

/**
 * The blobs of the dataset a worker read last. A grid or random search runs hundreds of trials on
 * one dataset, and each trial read every blob again (8 of a small trial's 38 queries; 533 MB at
 * MovieLens-20M size). Blobs never change once saved (a dataset is replaced, never edited), so
 * they are kept by dataset id; every load decodes them into fresh arrays (decodeDataset copies
 * each part), so nothing a trial does to its arrays reaches the next. Dropped after
 * `BLOB_CACHE_IDLE_MS` unused, so an idle worker does not hold a large dataset.
 */
const BLOB_CACHE_IDLE_MS = 5 * 60_000;
type Blob = { kind: string; part: number; data: Uint8Array };
let lastBlobs: { datasetId: string; blobs: Blob[]; expiry: NodeJS.Timeout } | null = null;

function rememberBlobs(datasetId: string, blobs: Blob[]): void {
  if (lastBlobs) clearTimeout(lastBlobs.expiry);
  const expiry = setTimeout(() => (lastBlobs = null), BLOB_CACHE_IDLE_MS);
  expiry.unref();
  lastBlobs = { datasetId, blobs, expiry };
}

async function readBlobs(db: Db, datasetId: string): Promise<Blob[]> {
  if (lastBlobs?.datasetId === datasetId) {
    rememberBlobs(datasetId, lastBlobs.blobs);
    return lastBlobs.blobs;
  }
  const parts = await db.datasetBlob.findMany({
    where: { datasetId },
    orderBy: [{ kind: "asc" }, { part: "asc" }],
    select: { id: true, kind: true, part: true },
  });
  // One part per query: a part is at most 16 MB, and through Prisma each costs ~10× that in heap
  // (reading every part at once exhausted Node's default 4 GB on a 20M-interaction dataset).
  const blobs: Blob[] = [];
  for (const { id, kind, part } of parts) blobs.push({ kind, part, data: await readBlobPart(db, datasetId, id) });
  rememberBlobs(datasetId, blobs);
  return blobs;
}

/**
 * One blob part's bytes, with the database driver directly (../db/direct-bytes: Prisma's adapters
 * move Bytes slowly), or through Prisma for clients without that path.
 */
async function readBlobPart(db: Db, datasetId: string, id: string): Promise<Uint8Array> {
  const direct = directBytesOf(db);
  const bytes = direct ? await direct.getDatasetBlob(id) : (await db.datasetBlob.findUnique({ where: { id }, select: { data: true } }))?.data;
  if (!bytes) throw new AppError("NOT_FOUND", `dataset ${datasetId} was deleted while it was being read`);
  return bytes;
}

/** Loads and decodes a dataset for training (its metadata row is read every time: a deleted dataset is NOT_FOUND). */
export async function loadDataset(db: Db, datasetId: string): Promise<Dataset> {
  const meta = await db.dataset.findUnique({ where: { id: datasetId } });
  if (!meta) throw new AppError("NOT_FOUND", `dataset ${datasetId} does not exist`);
  const blobs = await readBlobs(db, datasetId);
  return decodeDataset(
    blobs, // read only: decodeDataset copies every part into fresh arrays
    {
      numUsers: meta.numUsers,
      numItems: meta.numItems,
      feedback: meta.feedback as Dataset["feedback"],
      hasTimestamps: meta.hasTimestamps,
    },
  );
}
