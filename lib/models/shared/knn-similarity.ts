import { transposeCsr } from "../../datasets/csr";
import type { Csr } from "../../datasets/types";
import { toShared } from "../../experiments/shared-memory";
import type { ThreadTask } from "../../training/threads/thread-task";
import { TopK } from "./top-k";

/**
 * ItemKNN's similarity lists (lib/models/item-knn.ts), computed in blocks of target items on one
 * or several threads. Each item's row depends on nothing but the data, so the blocks give the same
 * lists, bit for bit, whichever thread computes them and in whatever order; between blocks the
 * fit looks at cancellation.
 */

/** Sparse top-k similarity lists: row j holds the neighbours of target item j. */
export interface Neighbourhoods {
  indptr: Int32Array;
  indices: Int32Array;
  values: Float32Array;
}

/**
 * The least co-occurrence work (Σ over users of their interaction count squared: the inner loop's
 * iterations) at which threads pay for their start-up: a pool thread starts in ~0.5 s and one
 * thread does ~1.2·10⁸ iterations a second, so below about 2 s of work one thread is as fast.
 * ml-100k's training split (~1.3·10⁷) and ml-latest-small's (~3.9·10⁷) stay on one thread.
 */
export const KNN_PARALLEL_MIN_WORK = 2.5e8;

/** Blocks per thread: enough for even loads and frequent cancellation checks, few enough to be cheap. */
const BLOCKS_PER_THREAD = 16;

/** The inputs every block reads (shared across threads). */
export interface SimilarityInput {
  byUser: Csr;
  byItem: Csr;
  norms: Float64Array;
  k: number;
  shrinkage: number;
}

/** Co-occurrence work of `byUser`: Σ_u deg(u)², the iterations of the similarity loop. */
export function coOccurrenceWork(byUser: Csr): number {
  let work = 0;
  for (let u = 0; u < byUser.numRows; u++) {
    const d = byUser.indptr[u + 1] - byUser.indptr[u];
    work += d * d;
  }
  return work;
}

export function similarityInput(byUser: Csr, k: number, shrinkage: number): SimilarityInput {
  const byItem = transposeCsr(byUser);
  const norms = new Float64Array(byUser.numCols);
  for (let i = 0; i < norms.length; i++) {
    let s = 0;
    for (let p = byItem.indptr[i]; p < byItem.indptr[i + 1]; p++) s += byItem.values[p] * byItem.values[p];
    norms[i] = Math.sqrt(s);
  }
  return { byUser, byItem, norms, k, shrinkage };
}

/**
 * Cosine similarity between target items [start, end) and every item, keeping each target's `k`
 * most similar (positive) neighbours, with shrinkage n / (n + shrinkage) by co-raters n.
 * Co-occurrences are accumulated sparsely: for item i, walk the users of i and their items into
 * one dense accumulator row, then reset only the touched entries. The block's indptr starts at 0.
 */
export function neighbourRows(input: SimilarityInput, start: number, end: number): Neighbourhoods {
  const { byUser, byItem, norms, shrinkage } = input;
  const numItems = byUser.numCols;
  const k = Math.min(input.k, numItems);
  const dotProducts = new Float64Array(numItems);
  const coRaters = new Int32Array(numItems);
  const touched = new Int32Array(numItems);
  const best = new TopK(k);
  const indptr = new Int32Array(end - start + 1);
  const indices = new Int32Array(k * (end - start));
  const values = new Float32Array(indices.length);
  let nnz = 0;

  for (let i = start; i < end; i++) {
    let numTouched = 0;
    for (let p = byItem.indptr[i]; p < byItem.indptr[i + 1]; p++) {
      const u = byItem.indices[p];
      const x = byItem.values[p];
      for (let q = byUser.indptr[u]; q < byUser.indptr[u + 1]; q++) {
        const j = byUser.indices[q];
        if (coRaters[j] === 0) touched[numTouched++] = j;
        coRaters[j]++;
        dotProducts[j] += x * byUser.values[q];
      }
    }
    best.clear();
    for (let t = 0; t < numTouched; t++) {
      const j = touched[t];
      const denominator = norms[i] * norms[j];
      if (j !== i && denominator > 0) {
        let sim = dotProducts[j] / denominator;
        if (shrinkage > 0) sim *= coRaters[j] / (coRaters[j] + shrinkage);
        if (sim > 0) best.push(j, sim);
      }
      dotProducts[j] = 0;
      coRaters[j] = 0;
    }
    nnz += best.drainDescending(indices, values, nnz);
    indptr[i - start + 1] = nnz;
  }
  return { indptr, indices: indices.slice(0, nnz), values: values.slice(0, nnz) };
}

/** First target item of each of `count` blocks of about equal work (Σ over an item's users of their counts), plus the end. */
export function similarityBlocks(input: Pick<SimilarityInput, "byUser" | "byItem">, count: number): Int32Array {
  const { byUser, byItem } = input;
  const numItems = byItem.numRows;
  const cumulative = new Float64Array(numItems + 1);
  for (let i = 0; i < numItems; i++) {
    let cost = 1; // an item without users still costs its row
    for (let p = byItem.indptr[i]; p < byItem.indptr[i + 1]; p++) {
      const u = byItem.indices[p];
      cost += byUser.indptr[u + 1] - byUser.indptr[u];
    }
    cumulative[i + 1] = cumulative[i] + cost;
  }
  const parts = Math.max(1, Math.min(count, numItems));
  const bounds = new Int32Array(parts + 1);
  let i = 0;
  for (let b = 1; b < parts; b++) {
    const target = (b * cumulative[numItems]) / parts;
    while (i < numItems && cumulative[i] < target) i++;
    bounds[b] = Math.max(i, bounds[b - 1]);
  }
  bounds[parts] = numItems;
  return bounds;
}

/** The blocks' rows in item order as one set of lists. */
export function concatRows(blocks: Neighbourhoods[]): Neighbourhoods {
  const rows = blocks.reduce((n, b) => n + b.indptr.length - 1, 0);
  const nnz = blocks.reduce((n, b) => n + b.indices.length, 0);
  const indptr = new Int32Array(rows + 1), indices = new Int32Array(nnz), values = new Float32Array(nnz);
  let row = 0, offset = 0;
  for (const b of blocks) {
    for (let r = 1; r < b.indptr.length; r++) indptr[row + r] = offset + b.indptr[r];
    indices.set(b.indices, offset);
    values.set(b.values, offset);
    row += b.indptr.length - 1;
    offset += b.indices.length;
  }
  return { indptr, indices, values };
}

/** A block of target items, as sent to a pool thread. */
export interface SimilarityBlock {
  start: number;
  end: number;
}

/** Pool-thread factory (lib/training/threads/pool.ts): the shared input once, then blocks. */
export function createKnnThreadTask(input: SimilarityInput): ThreadTask<SimilarityBlock, Neighbourhoods> {
  return { run: ({ start, end }) => neighbourRows(input, start, end) };
}

/**
 * Every item's similarity lists on `threads` threads (this one included), block by block;
 * `interrupted` is awaited after each block, and true ends the fit: the result is then null.
 */
export async function topKSimilarities(
  byUser: Csr,
  k: number,
  shrinkage: number,
  { threads = 1, interrupted }: { threads?: number; interrupted?: () => Promise<boolean> } = {},
): Promise<Neighbourhoods | null> {
  // On several threads every thread (this one too) reads one copy in shared memory, so only the
  // training matrix is held twice (the caller's and the shared one), not its transpose.
  const built = similarityInput(byUser, k, shrinkage);
  const input = threads > 1 ? toShared(built) : built;
  const bounds = similarityBlocks(input, threads * BLOCKS_PER_THREAD);
  const blockCount = bounds.length - 1;
  const results: Neighbourhoods[] = new Array(blockCount);
  let next = 0;
  let stopped = false;
  // Threads take the next block as they finish one: a fixed result, whatever the order.
  const drain = async (compute: (block: SimilarityBlock) => Promise<Neighbourhoods>) => {
    while (!stopped && next < blockCount) {
      const b = next++;
      results[b] = await compute({ start: bounds[b], end: bounds[b + 1] });
      if (interrupted && (await interrupted())) stopped = true;
    }
  };
  // This thread yields to the event loop before each block, so the others' replies are taken
  // (and their next blocks sent) while it computes.
  const here = async (block: SimilarityBlock) => {
    await new Promise<void>((resolve) => setImmediate(resolve));
    return neighbourRows(input, block.start, block.end);
  };
  if (threads <= 1) await drain(here);
  else {
    const { ThreadPool, siblingModule } = await import("../../training/threads/pool");
    const pool = await ThreadPool.open(threads - 1, siblingModule(import.meta.url, "knn-similarity.ts"), "createKnnThreadTask", () => input);
    try {
      // Two loops per pool thread keep a second block queued there: this thread takes replies only
      // between its own blocks, and a pool thread would otherwise wait idle for that.
      const remote = Array.from({ length: threads - 1 }, (_, t) => (block: SimilarityBlock) => pool.run<Neighbourhoods>(t, block));
      await Promise.all([drain(here), ...remote.flatMap((compute) => [drain(compute), drain(compute)])]);
    } catch (error) {
      pool.terminate();
      throw error;
    }
    await pool.close();
  }
  return stopped ? null : concatRows(results);
}
