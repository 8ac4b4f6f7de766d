import { decodeDataset, encodeDataset } from "../datasets/codec";
import type { DatasetStats } from "../datasets/stats";
import type { Dataset } from "../datasets/types";
import type { Db } from "../db/client";
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
    for (const blob of blobs) {
      await tx.datasetBlob.create({
        data: { datasetId: row.id, kind: blob.kind, part: blob.part, data: Uint8Array.from(blob.data) },
      });
    }
    return row;
  }, { timeout: 120_000, maxWait: 30_000 });
}

/** Loads and decodes a dataset for training. */
export async function loadDataset(db: Db, datasetId: string): Promise<Dataset> {
  const meta = await db.dataset.findUnique({ where: { id: datasetId } });
  if (!meta) throw new AppError("NOT_FOUND", `dataset ${datasetId} does not exist`);
  const parts = await db.datasetBlob.findMany({
    where: { datasetId },
    orderBy: [{ kind: "asc" }, { part: "asc" }],
    select: { id: true, kind: true, part: true },
  });
  // One part per query: the SQLite driver adapter hands a Bytes value to the query engine as one
  // JavaScript number per byte, so reading every part at once needs ~10× the dataset in heap (a
  // 20M-interaction dataset exhausted Node's default 4 GB); a part at a time needs ~10× 16 MB.
  const blobs: { kind: string; part: number; data: Uint8Array }[] = [];
  for (const { id, kind, part } of parts) {
    const row = await db.datasetBlob.findUniqueOrThrow({ where: { id }, select: { data: true } });
    blobs.push({ kind, part, data: new Uint8Array(row.data) });
  }
  return decodeDataset(
    blobs,
    {
      numUsers: meta.numUsers,
      numItems: meta.numItems,
      feedback: meta.feedback as Dataset["feedback"],
      hasTimestamps: meta.hasTimestamps,
    },
  );
}
