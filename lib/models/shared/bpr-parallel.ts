import { mix32 } from "../../training/seeding";
import type { ThreadTask } from "../../training/threads/thread-task";
import { Rng } from "../../util/rng";
import { bprUpdate, negativePicker, type BprHyper } from "./bpr-step";
import type { FitContext } from "../types";

/**
 * BPR-MF's SGD on several threads, deterministic for a seed and a thread count.
 *
 * Users are cut into `threads` contiguous blocks holding about equal numbers of training
 * interactions; thread t samples its triples from its own block only, so each user row is
 * written by one thread (no races). Item factors and biases are shared: an epoch runs in rounds
 * of about SYNC_TRIPLES triples per thread; at a round's start every thread copies the merged
 * item arrays into its own slot, updates that copy, and after the round the calling thread adds
 * every slot's change to the merged arrays in thread order (a fixed order, so the same bits each
 * time). Within a round a thread does not see another's item updates — Hogwild's staleness with
 * a deterministic schedule. Each thread draws from Rng(mix32(mix32(seed, epoch), t)), so a run
 * resumed at an epoch boundary continues exactly.
 */

/**
 * The least triples (epochs × training interactions) a fit runs on several threads: a thread
 * starts in about 0.4 s and one thread runs about 2 M triples/s, so below a few seconds of work
 * the start-up eats the gain (ml-100k's 80,000 triples × 100 default epochs are above it).
 */
export const BPR_PARALLEL_MIN_TRIPLES = 5_000_000;

/** Triples per thread between two merges of the item arrays. */
export const SYNC_TRIPLES = 8192;

/** The arrays one thread reads and writes; everything shared is a SharedArrayBuffer view. */
export interface BprThreadState {
  hyper: BprHyper;
  indptr: Int32Array;
  positives: Int32Array;
  entryUser: Int32Array;
  /** User factors (shared; this thread writes only its block's rows). */
  p: Float32Array;
  /** This thread's working copies of the item factors and biases. */
  q: Float32Array;
  bias: Float32Array;
}

/**
 * `count` SGD updates on triples sampled from entries [entryStart, entryEnd) with `rng`;
 * returns the summed loss −ln σ(x̂_ui − x̂_uj). The update is BPR-MF's (lib/models/bpr.ts).
 */
export function bprSteps(s: BprThreadState, entryStart: number, entryEnd: number, count: number, lr: number, rng: Rng): number {
  const { numItems } = s.hyper;
  const { indptr, positives, entryUser, p, q, bias } = s;
  const span = entryEnd - entryStart;
  const pickNegative = negativePicker(s.hyper, p, q, bias);
  let lossSum = 0;
  for (let step = 0; step < count; step++) {
    const entry = entryStart + rng.int(span);
    const u = entryUser[entry];
    const start = indptr[u], end = indptr[u + 1];
    if (end - start >= numItems) continue;
    lossSum += bprUpdate(s.hyper, p, q, bias, u, positives[entry], pickNegative(u, positives, start, end, rng), lr);
  }
  return lossSum;
}

/** First entry of each of `parts` contiguous user blocks with about equal entries, plus the end. */
export function userBlocks(indptr: Int32Array, numUsers: number, parts: number): Int32Array {
  const total = indptr[numUsers];
  const bounds = new Int32Array(parts + 1);
  let u = 0;
  for (let t = 1; t < parts; t++) {
    const target = Math.round((t * total) / parts);
    while (u < numUsers && indptr[u] < target) u++;
    bounds[t] = indptr[u];
  }
  bounds[parts] = total;
  return bounds;
}

/** Everything a thread needs, shared buffers included (structured-cloned once per fit). */
export interface BprThreadInit {
  hyper: BprHyper;
  seed: number;
  thread: number;
  bounds: Int32Array;
  indptr: Int32Array;
  positives: Int32Array;
  entryUser: Int32Array;
  userFactors: SharedArrayBuffer;
  /** Merged item factors / biases, then one working slot per thread. */
  items: SharedArrayBuffer;
  biases: SharedArrayBuffer;
}

export interface BprRound {
  epoch: number;
  round: number;
  rounds: number;
  lr: number;
}

/** Triples thread t runs in round r of R: its block's entry count, spread evenly over rounds. */
function roundQuota(bounds: Int32Array, t: number, round: number, rounds: number): number {
  const n = bounds[t + 1] - bounds[t];
  return Math.floor(((round + 1) * n) / rounds) - Math.floor((round * n) / rounds);
}

/** A thread's side of the schedule: copy the merged items, run its quota, report the loss. */
export class BprThread {
  private readonly state: BprThreadState;
  private readonly merged: { q: Float32Array; bias: Float32Array };
  private rng: Rng | null = null;
  private epoch = 0;

  constructor(private readonly init: BprThreadInit) {
    const { hyper, thread } = init;
    const qSize = hyper.numItems * hyper.dim;
    const item = (k: number) => new Float32Array(init.items, k * qSize * 4, qSize);
    const bias = (k: number) => new Float32Array(init.biases, k * hyper.numItems * 4, hyper.numItems);
    this.merged = { q: item(0), bias: bias(0) };
    this.state = {
      hyper,
      indptr: init.indptr,
      positives: init.positives,
      entryUser: init.entryUser,
      p: new Float32Array(init.userFactors),
      q: item(thread + 1),
      bias: bias(thread + 1),
    };
  }

  run({ epoch, round, rounds, lr }: BprRound): number {
    if (!this.rng || epoch !== this.epoch) {
      this.rng = new Rng(mix32(mix32(this.init.seed, epoch), this.init.thread));
      this.epoch = epoch;
    }
    this.state.q.set(this.merged.q);
    this.state.bias.set(this.merged.bias);
    const t = this.init.thread;
    return bprSteps(this.state, this.init.bounds[t], this.init.bounds[t + 1], roundQuota(this.init.bounds, t, round, rounds), lr, this.rng);
  }
}

/** Pool-thread factory (lib/training/threads/pool.ts). */
export function createBprThreadTask(init: BprThreadInit): ThreadTask<BprRound, number> {
  const thread = new BprThread(init);
  return { run: (round) => thread.run(round) };
}

export interface BprParallelFit {
  hyper: BprHyper;
  threads: number;
  numUsers: number;
  indptr: Int32Array;
  positives: Int32Array;
  entryUser: Int32Array;
  /** Initial (or resumed) arrays; the fit's results are written back into them. */
  userFactors: Float32Array;
  itemFactors: Float32Array;
  itemBias: Float32Array;
  epochs: number;
  learningRateAt: (epoch: number) => number;
}

/** Runs BPR's epochs over `threads` threads (≥ 2); ctx as in Recommender.fit. */
export async function fitBprParallel(o: BprParallelFit, ctx: FitContext): Promise<void> {
  const { hyper, threads } = o;
  const { ThreadPool, siblingModule } = await import("../../training/threads/pool");
  const qSize = hyper.numItems * hyper.dim;
  const userFactors = shared(o.userFactors);
  const items = new SharedArrayBuffer(qSize * 4 * (threads + 1));
  const biases = new SharedArrayBuffer(hyper.numItems * 4 * (threads + 1));
  const merged = new Float32Array(items, 0, qSize);
  const mergedBias = new Float32Array(biases, 0, hyper.numItems);
  merged.set(o.itemFactors);
  mergedBias.set(o.itemBias);
  const bounds = userBlocks(o.indptr, o.numUsers, threads);
  const init = (thread: number): BprThreadInit => ({
    hyper,
    seed: ctx.seed,
    thread,
    bounds,
    indptr: o.indptr,
    positives: o.positives,
    entryUser: o.entryUser,
    userFactors,
    items,
    biases,
  });
  const local = new BprThread(init(0));
  const pool = await ThreadPool.open(threads - 1, siblingModule(import.meta.url, "bpr-parallel.ts"), "createBprThreadTask", (i) => init(i + 1));
  const slots = Array.from({ length: threads }, (_, t) => ({ q: new Float32Array(items, (t + 1) * qSize * 4, qSize), bias: new Float32Array(biases, (t + 1) * hyper.numItems * 4, hyper.numItems) }));
  const n = o.positives.length;
  const rounds = Math.max(1, Math.ceil(n / (threads * SYNC_TRIPLES)));
  let finished = false;
  try {
    for (let epoch = ctx.startEpoch ?? 1; epoch <= o.epochs; epoch++) {
      const lr = o.learningRateAt(epoch);
      let lossSum = 0;
      for (let round = 0; round < rounds; round++) {
        const message: BprRound = { epoch, round, rounds, lr };
        const remote = Array.from({ length: threads - 1 }, (_, i) => pool.run<number>(i, message));
        for (const r of remote) r.catch(() => undefined);
        const losses = [local.run(message), ...(await Promise.all(remote))];
        for (const l of losses) lossSum += l;
        mergeSlots(merged, slots.map((s) => s.q));
        mergeSlots(mergedBias, slots.map((s) => s.bias));
        if (ctx.interrupted && (await ctx.interrupted())) return;
      }
      copyBack(o, userFactors, merged, mergedBias);
      const decision = await ctx.onEpoch?.({ epoch, totalEpochs: o.epochs, loss: n > 0 ? lossSum / n : 0 });
      if (decision?.stop) break;
    }
    finished = true;
  } finally {
    copyBack(o, userFactors, merged, mergedBias);
    if (finished) await pool.close();
    else pool.terminate();
  }
}

/** merged += Σ_t (slot_t − merged), summed in thread order. */
function mergeSlots(merged: Float32Array, slots: Float32Array[]): void {
  for (let k = 0; k < merged.length; k++) {
    const m = merged[k];
    let acc = m;
    for (const s of slots) acc += s[k] - m;
    merged[k] = acc;
  }
}

function shared(a: Float32Array): SharedArrayBuffer {
  const buffer = new SharedArrayBuffer(a.byteLength);
  new Float32Array(buffer).set(a);
  return buffer;
}

function copyBack(o: BprParallelFit, userFactors: SharedArrayBuffer, q: Float32Array, bias: Float32Array): void {
  o.userFactors.set(new Float32Array(userFactors));
  o.itemFactors.set(q);
  o.itemBias.set(bias);
}
