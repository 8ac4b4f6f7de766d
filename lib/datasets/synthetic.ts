import { z } from "zod";
import { Rng } from "../util/rng";
import type { Dataset } from "./types";

export const SYNTHETIC_GENRES = ["Action", "Comedy", "Drama", "Sci-Fi", "Romance", "Thriller", "Documentary", "Animation"];
const GENDERS = ["M", "F"];
const AGE_BANDS = ["18-24", "25-34", "35-44", "45-54", "55+"];
const YEAR_SECONDS = 365 * 24 * 3600;

export const syntheticOptionsSchema = z.object({
  numUsers: z.number().int().min(10).max(100_000).default(300).describe("Number of users"),
  numItems: z.number().int().min(10).max(20_000).default(200).describe("Number of items"),
  dim: z.number().int().min(2).max(64).default(8).describe("Latent dimensions of the ground-truth factors"),
  interactionsPerUser: z.number().min(5).default(30).describe("Mean interactions per user (log-normal around it)"),
  minInteractionsPerUser: z.number().int().min(1).default(5).describe("Fewest interactions any user gets"),
  popularitySkew: z.number().min(0).max(3).default(1).describe("Zipf exponent of the item popularity bias (0 = none)"),
  temperature: z.number().positive().default(0.5).describe("Softmax temperature of choices: lower = more predictable"),
  sequentialStrength: z
    .number()
    .min(0)
    .max(1)
    .default(0.5)
    .describe("Share of choices drawn near the previous item's factor direction (sequence signal)"),
  groupShift: z.number().min(0).default(0.4).describe("Size of the taste shift per user group (gender, age band)"),
  ratingNoise: z.number().min(0).default(0.5).describe("Standard deviation of rating noise, in stars"),
  startTime: z.number().int().default(1_577_836_800).describe("Unix seconds of the first possible interaction"),
  seed: z.number().int().default(7).describe("Random seed; the same options give the same dataset"),
});

export type SyntheticOptions = z.infer<typeof syntheticOptionsSchema>;

export interface SyntheticTruth {
  /** numUsers x dim, row-major, group shift included. */
  userFactors: Float32Array;
  /** numItems x dim, row-major. */
  itemFactors: Float32Array;
  dim: number;
}

/**
 * A dataset with known ground truth for demos and tests: users choose items by softmax over
 * latent affinity + a Zipf popularity bias, part of the time near the previous item (a sequence
 * signal); ratings 1..5 follow the user's standardised affinity; timestamps rise per user over
 * about a year; genres come from each item's dominant latent dimension; user groups shift taste.
 */
export function generateSynthetic(options: Partial<SyntheticOptions> = {}): Dataset & { truth: SyntheticTruth } {
  const o = syntheticOptionsSchema.parse(options);
  const rng = new Rng(o.seed);
  const { numUsers, numItems, dim } = o;
  const items = makeItems(rng.fork(), numItems, dim, o.popularitySkew);
  const users = makeUsers(rng.fork(), numUsers, dim, o.groupShift);
  const choose = rng.fork();

  const rows = { users: [] as number[], items: [] as number[], ratings: [] as number[], timestamps: [] as number[] };
  const affinity = new Float64Array(numItems);
  const logits = new Float64Array(numItems);
  const seen = new Uint8Array(numItems);
  const maxPerUser = Math.max(1, Math.floor(numItems * 0.8));
  for (let u = 0; u < numUsers; u++) {
    const uf = users.factors.subarray(u * dim, (u + 1) * dim);
    let mean = 0;
    for (let j = 0; j < numItems; j++) {
      affinity[j] = dot(uf, items.factors, j * dim, dim);
      mean += affinity[j] / numItems;
    }
    let variance = 0;
    for (let j = 0; j < numItems; j++) variance += (affinity[j] - mean) ** 2 / numItems;
    const sd = Math.sqrt(variance) || 1;

    const count = Math.min(
      maxPerUser,
      Math.max(o.minInteractionsPerUser, Math.round(o.interactionsPerUser * Math.exp(0.6 * choose.normal() - 0.18))),
    );
    const times = userTimes(choose, count, o.startTime);
    seen.fill(0);
    let prev = -1;
    for (let k = 0; k < count; k++) {
      const nearPrevious = prev >= 0 && choose.next() < o.sequentialStrength;
      for (let j = 0; j < numItems; j++) {
        const near = nearPrevious ? 2 * cosine(items.factors, prev, j, dim, items.norms) : 0;
        logits[j] = (affinity[j] + near) / o.temperature + items.bias[j];
      }
      const j = sampleSoftmax(choose, logits, seen);
      seen[j] = 1;
      prev = j;
      const stars = Math.round(2.5 + (affinity[j] - mean) / sd + o.ratingNoise * choose.normal());
      rows.users.push(u);
      rows.items.push(j);
      rows.ratings.push(Math.min(5, Math.max(1, stars)));
      rows.timestamps.push(times[k]);
    }
  }

  return {
    numUsers,
    numItems,
    table: {
      users: Int32Array.from(rows.users),
      items: Int32Array.from(rows.items),
      ratings: Float32Array.from(rows.ratings),
      timestamps: Float64Array.from(rows.timestamps),
    },
    userIds: Array.from({ length: numUsers }, (_, u) => `u${u + 1}`),
    itemIds: Array.from({ length: numItems }, (_, j) => `i${j + 1}`),
    feedback: "explicit",
    hasTimestamps: true,
    items: {
      title: items.genre.map((g, j) => `Item ${j + 1} (${g})`),
      genres: items.genre.map((g) => [g]),
    },
    users: { gender: users.gender, ageBand: users.ageBand },
    truth: { userFactors: users.factors, itemFactors: items.factors, dim },
  };
}

function makeItems(rng: Rng, numItems: number, dim: number, skew: number) {
  const factors = new Float32Array(numItems * dim);
  const norms = new Float64Array(numItems);
  const genre: string[] = [];
  for (let j = 0; j < numItems; j++) {
    const f = factors.subarray(j * dim, (j + 1) * dim);
    for (let d = 0; d < dim; d++) f[d] = 0.35 * rng.normal();
    f[rng.int(dim)] += 1.2;
    let best = 0;
    for (let d = 1; d < dim; d++) if (f[d] > f[best]) best = d;
    genre.push(SYNTHETIC_GENRES[best % SYNTHETIC_GENRES.length]);
    norms[j] = Math.sqrt(dot(f, factors, j * dim, dim)) || 1;
  }
  // Zipf popularity: the item at popularity rank r (random order) gets bias -skew * ln(r).
  const rank = rng.shuffle(Int32Array.from({ length: numItems }, (_, r) => r + 1));
  const bias = Float64Array.from(rank, (r) => -skew * Math.log(r));
  return { factors, norms, genre, bias };
}

function makeUsers(rng: Rng, numUsers: number, dim: number, shift: number) {
  const groupVector = () => Float32Array.from({ length: dim }, () => shift * rng.normal());
  const genderShift = GENDERS.map(groupVector);
  const ageShift = AGE_BANDS.map(groupVector);
  const factors = new Float32Array(numUsers * dim);
  const gender: string[] = [];
  const ageBand: string[] = [];
  for (let u = 0; u < numUsers; u++) {
    const g = rng.int(GENDERS.length);
    const a = rng.int(AGE_BANDS.length);
    gender.push(GENDERS[g]);
    ageBand.push(AGE_BANDS[a]);
    const f = factors.subarray(u * dim, (u + 1) * dim);
    for (let d = 0; d < dim; d++) f[d] = 0.35 * rng.normal() + genderShift[g][d] + ageShift[a][d];
    f[rng.int(dim)] += 1;
    f[rng.int(dim)] += 0.6;
  }
  return { factors, gender, ageBand };
}

/** Strictly increasing unix seconds inside a window of 30-90% of a year within the year. */
function userTimes(rng: Rng, count: number, startTime: number): number[] {
  const start = startTime + rng.next() * 0.4 * YEAR_SECONDS;
  const end = Math.min(startTime + YEAR_SECONDS, start + (0.3 + 0.6 * rng.next()) * YEAR_SECONDS);
  const times = Array.from({ length: count }, () => Math.floor(start + rng.next() * (end - start))).sort((a, b) => a - b);
  for (let k = 1; k < count; k++) if (times[k] <= times[k - 1]) times[k] = times[k - 1] + 1;
  return times;
}

function dot(a: Float32Array, b: Float32Array, offset: number, dim: number): number {
  let s = 0;
  for (let d = 0; d < dim; d++) s += a[d] * b[offset + d];
  return s;
}

function cosine(f: Float32Array, i: number, j: number, dim: number, norms: Float64Array): number {
  let s = 0;
  for (let d = 0; d < dim; d++) s += f[i * dim + d] * f[j * dim + d];
  return s / (norms[i] * norms[j]);
}

/** Samples an index by softmax over logits, skipping `excluded` entries. */
function sampleSoftmax(rng: Rng, logits: Float64Array, excluded: Uint8Array): number {
  let max = -Infinity;
  for (let j = 0; j < logits.length; j++) if (!excluded[j] && logits[j] > max) max = logits[j];
  let total = 0;
  for (let j = 0; j < logits.length; j++) total += excluded[j] ? 0 : Math.exp(logits[j] - max);
  let x = rng.next() * total;
  let last = -1;
  for (let j = 0; j < logits.length; j++) {
    if (excluded[j]) continue;
    last = j;
    x -= Math.exp(logits[j] - max);
    if (x <= 0) return j;
  }
  return last;
}
