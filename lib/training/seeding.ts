import { Rng } from "../util/rng";

/**
 * Seeds that make training resumable: every epoch draws from its own generator, derived from the
 * run seed and the epoch number only, so an epoch replays identically whether the run got there
 * in one go or resumed from a checkpoint. Initialisation uses `new Rng(seed)` as before.
 */
export function epochRng(seed: number, epoch: number): Rng {
  return new Rng(mix32(seed, epoch));
}

/** A 31-bit integer seed for a TensorFlow.js op (dropout masks, noise) drawn from `rng`. */
export function opSeed(rng: Rng): number {
  return rng.int(0x7fffffff);
}

/** Mixes two 32-bit integers into one (murmur3 finaliser over a combined key). */
export function mix32(a: number, b: number): number {
  let h = (Math.imul(a | 0, 0x9e3779b1) ^ Math.imul((b | 0) + 0x7f4a7c15, 0x85ebca6b)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * An Rng that counts its draws, so a model that keeps one stream across epochs (the classic
 * models) can resume mid-run: save `draws` with the checkpoint, and `skip` that many on resume.
 */
export class ReplayableRng extends Rng {
  draws = 0;

  override next(): number {
    this.draws++;
    return super.next();
  }

  /** Advances the stream by `n` draws (replaying a run up to a checkpoint). */
  skip(n: number): this {
    for (let i = 0; i < n; i++) this.next();
    return this;
  }
}
