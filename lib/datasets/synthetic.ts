import { z } from "zod";
import { formatCount } from "../util/format";
import { Rng } from "../util/rng";
import type { Dataset } from "./types";

export const SYNTHETIC_GENRES = ["Action", "Comedy", "Drama", "Sci-Fi", "Romance", "Thriller", "Documentary", "Animation"];
const GENDERS = ["M", "F"];
const AGE_BANDS = ["18-24", "25-34", "35-44", "45-54", "55+"];
const YEAR_SECONDS = 365 * 24 * 3600;

/**
 * Hard limits of one synthetic dataset. They bound the work of one generation job, not what a
 * deployment may hold: MovieLens-20M (138,493 users, 26,744 items, 20M ratings) fits every size
 * limit. The exact generator costs one softmax over all items per interaction (~3e7 item
 * scores/s on one core); with `candidateItems` each choice scores only that many
 * popularity-drawn candidates, which is what makes MovieLens-20M scale (the preset) a few minutes.
 */
export const SYNTHETIC_LIMITS = {
  maxUsers: 200_000,
  maxItems: 50_000,
  maxInteractionsPerUser: 10_000,
  /** Expected interactions: users x mean interactions per user (each capped at 80% of the items). */
  maxInteractions: 25_000_000,
  /** Expected interactions x items: the item scores the generator computes. */
  maxItemScores: 100_000_000_000,
} as const;

const atMost = (what: string, limit: number) => ({ message: `${what} may be at most ${formatCount(limit)}` });
const atLeast = (what: string, limit: number) => ({ message: `${what} must be at least ${formatCount(limit)}` });

/** Every option with its default, unit and per-field bounds; syntheticLimitsSchema adds the totals. */
export const syntheticOptionsSchema = z.object({
  numUsers: z
    .number()
    .int()
    .min(10, atLeast("the number of users", 10))
    .max(SYNTHETIC_LIMITS.maxUsers, atMost("the number of users", SYNTHETIC_LIMITS.maxUsers))
    .default(300)
    .describe(`Number of users (10 to ${formatCount(SYNTHETIC_LIMITS.maxUsers)})`),
  numItems: z
    .number()
    .int()
    .min(10, atLeast("the number of items", 10))
    .max(SYNTHETIC_LIMITS.maxItems, atMost("the number of items", SYNTHETIC_LIMITS.maxItems))
    .default(200)
    .describe(`Number of items (10 to ${formatCount(SYNTHETIC_LIMITS.maxItems)})`),
  dim: z.number().int().min(2).max(64).default(8).describe("Latent dimensions of the ground-truth factors"),
  interactionsPerUser: z
    .number()
    .min(5, atLeast("the mean interactions per user", 5))
    .max(SYNTHETIC_LIMITS.maxInteractionsPerUser, atMost("the mean interactions per user", SYNTHETIC_LIMITS.maxInteractionsPerUser))
    .default(30)
    .describe(`Mean interactions per user (log-normal around it; 5 to ${formatCount(SYNTHETIC_LIMITS.maxInteractionsPerUser)}, and at most 80% of the items)`),
  minInteractionsPerUser: z
    .number()
    .int()
    .min(1, atLeast("the fewest interactions per user", 1))
    .max(SYNTHETIC_LIMITS.maxInteractionsPerUser, atMost("the fewest interactions per user", SYNTHETIC_LIMITS.maxInteractionsPerUser))
    .default(5)
    .describe("Fewest interactions any user gets (at most the mean interactions per user)"),
  popularitySkew: z.number().min(0).max(3).default(1).describe("Zipf exponent of the item popularity bias (0 = none)"),
  temperature: z.number().min(0.01).max(100).default(0.5).describe("Softmax temperature of choices: lower = more predictable (0.01 to 100)"),
  sequentialStrength: z
    .number()
    .min(0)
    .max(1)
    .default(0.5)
    .describe("Share of choices drawn near the previous item's factor direction (sequence signal)"),
  groupShift: z.number().min(0).max(10).default(0.4).describe("Size of the taste shift per user group (gender, age band; 0 to 10)"),
  ratingNoise: z.number().min(0).max(10).default(0.5).describe("Standard deviation of rating noise, in stars (0 to 10)"),
  startTime: z.number().int().min(0).max(4_102_444_800).default(1_577_836_800).describe("Unix seconds of the first possible interaction (1970 to 2100)"),
  timeSpanYears: z.number().min(0.01).max(50).default(1).describe("Years the interactions span from the start time; each user is active in 30-90% of it"),
  activitySpread: z
    .number()
    .min(0)
    .max(2)
    .default(0.6)
    .describe("Log-normal sigma of interactions per user: larger = longer tail of heavy users (MovieLens-20M is about 1.1)"),
  candidateItems: z
    .number()
    .int()
    .min(0)
    .max(4096)
    .default(0)
    .describe("Candidates per choice, drawn by popularity then chosen by softmax over taste (0 = softmax over every item; exact but O(items) per interaction)"),
  seed: z.number().int().default(7).describe("Random seed; the same options give the same dataset"),
});

/** Item scores the generator computes: per interaction, every item or the drawn candidates. */
export function generatorWork(o: SyntheticOptions): number {
  return expectedInteractions(o) * (o.candidateItems > 0 ? Math.min(o.candidateItems, o.numItems) : o.numItems);
}

/**
 * Named option sets. "movielens-20m" matches MovieLens-20M's shape: 138,000 users, 27,000 items,
 * about 20M interactions (mean 145 per user, at least 20, log-normal tail of heavy users), a
 * Zipf item tail and timestamps over 20 years from 1995; choices among 48 popularity-drawn candidates.
 */
export const SYNTHETIC_PRESETS = {
  "movielens-20m": {
    numUsers: 138_000,
    numItems: 27_000,
    dim: 16,
    interactionsPerUser: 145,
    minInteractionsPerUser: 20,
    activitySpread: 1.1,
    popularitySkew: 1.1,
    candidateItems: 48,
    startTime: 788_918_400,
    timeSpanYears: 20,
  },
} as const satisfies Record<string, Partial<SyntheticOptions>>;

export type SyntheticPresetId = keyof typeof SYNTHETIC_PRESETS;
export const SYNTHETIC_PRESET_IDS = Object.keys(SYNTHETIC_PRESETS) as [SyntheticPresetId, ...SyntheticPresetId[]];

/**
 * A preset's options scaled to `scale` of its users (and interactions; items stay the same, so
 * the catalogue and its tail keep their shape), with `overrides` on top.
 */
export function presetOptions(id: SyntheticPresetId, scale = 1, overrides: Partial<SyntheticOptions> = {}): Partial<SyntheticOptions> {
  const preset = SYNTHETIC_PRESETS[id];
  return { ...preset, numUsers: Math.max(10, Math.round(preset.numUsers * scale)), ...overrides };
}

/** Interactions a generation is expected to produce (the mean; log-normal noise evens out). */
export function expectedInteractions(o: Pick<SyntheticOptions, "numUsers" | "numItems" | "interactionsPerUser" | "minInteractionsPerUser">): number {
  const perUser = Math.min(Math.max(1, Math.floor(o.numItems * 0.8)), Math.max(o.minInteractionsPerUser, o.interactionsPerUser));
  return Math.round(o.numUsers * perUser);
}

/** The options with the cross-field limits: what the API, the job payload and the generator accept. */
export const syntheticLimitsSchema = syntheticOptionsSchema.superRefine((o, ctx) => {
  if (o.minInteractionsPerUser > o.interactionsPerUser) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ["minInteractionsPerUser"],
      message: `the fewest interactions per user (${formatCount(o.minInteractionsPerUser)}) may not exceed the mean interactions per user (${formatCount(o.interactionsPerUser)})`,
    });
  }
  const interactions = expectedInteractions(o);
  if (interactions > SYNTHETIC_LIMITS.maxInteractions) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ["interactionsPerUser"],
      message: `the expected number of interactions (users x interactions per user = ${formatCount(interactions)}) exceeds the limit of ${formatCount(SYNTHETIC_LIMITS.maxInteractions)} per synthetic dataset`,
    });
  } else if (generatorWork(o) > SYNTHETIC_LIMITS.maxItemScores) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ["numItems"],
      message: `the generator work (expected interactions x ${o.candidateItems > 0 ? "candidates" : "items"} = ${formatCount(generatorWork(o))} item scores) exceeds the limit of ${formatCount(SYNTHETIC_LIMITS.maxItemScores)}; use fewer items or interactions, or set candidateItems`,
    });
  }
});

export type SyntheticOptions = z.infer<typeof syntheticOptionsSchema>;

export interface SyntheticTruth {
  /** numUsers x dim, row-major, group shift included. */
  userFactors: Float32Array;
  /** numItems x dim, row-major. */
  itemFactors: Float32Array;
  dim: number;
}

export type SyntheticDataset = Dataset & { truth: SyntheticTruth };

/** Where a cooperative generation is: users finished out of all, interactions so far. */
export interface SyntheticProgress {
  usersDone: number;
  numUsers: number;
  interactions: number;
}

/**
 * A dataset with known ground truth for demos and tests: users choose items by softmax over
 * latent affinity + a Zipf popularity bias, part of the time near the previous item (a sequence
 * signal); ratings 1..5 follow the user's standardised affinity; timestamps rise per user over
 * about a year; genres come from each item's dominant latent dimension; user groups shift taste.
 * Synchronous: in a server, use generateSyntheticCooperatively (same output for the same options).
 */
export function generateSynthetic(options: Partial<SyntheticOptions> = {}): SyntheticDataset {
  const steps = syntheticSteps(syntheticLimitsSchema.parse(options));
  let step = steps.next();
  while (!step.done) step = steps.next();
  return step.value;
}

/**
 * generateSynthetic in slices of about `sliceMs`: after each slice it awaits `onProgress` (which
 * may throw, e.g. to cancel) and yields to the event loop, so timers such as a worker's heartbeat
 * keep running. The dataset is identical to generateSynthetic's for the same options.
 */
export async function generateSyntheticCooperatively(
  options: Partial<SyntheticOptions>,
  onProgress: (progress: SyntheticProgress) => Promise<void> | void,
  sliceMs = 200,
): Promise<SyntheticDataset> {
  const o = syntheticLimitsSchema.parse(options);
  const steps = syntheticSteps(o);
  let sliceStart = Date.now();
  let step = steps.next();
  while (!step.done) {
    if (Date.now() - sliceStart >= sliceMs) {
      await onProgress({ ...step.value });
      await new Promise<void>((resolve) => setImmediate(resolve));
      sliceStart = Date.now();
    }
    step = steps.next();
  }
  await onProgress({ usersDone: o.numUsers, numUsers: o.numUsers, interactions: step.value.table.users.length });
  return step.value;
}

/** The generator proper: yields after every interaction, so a caller can pause it anywhere. */
function* syntheticSteps(o: SyntheticOptions): Generator<SyntheticProgress, SyntheticDataset> {
  const rng = new Rng(o.seed);
  const { numUsers, numItems, dim } = o;
  const items = makeItems(rng.fork(), numItems, dim, o.popularitySkew);
  const users = makeUsers(rng.fork(), numUsers, dim, o.groupShift);
  const choose = rng.fork();
  const chooser = o.candidateItems > 0 ? new CandidateChooser(items, numItems, dim, Math.min(o.candidateItems, numItems)) : new ExactChooser(items, numItems, dim);

  const rows = new RowBuffer(Math.min(expectedInteractions(o), 1 << 20));
  const maxPerUser = Math.max(1, Math.floor(numItems * 0.8));
  const spread = o.activitySpread;
  const progress: SyntheticProgress = { usersDone: 0, numUsers, interactions: 0 };
  for (let u = 0; u < numUsers; u++) {
    const { mean, sd } = chooser.startUser(users.factors.subarray(u * dim, (u + 1) * dim));
    // Log-normal with mean 1 (before the clamps): exp(s·N − s²/2).
    const count = Math.min(
      maxPerUser,
      Math.max(o.minInteractionsPerUser, Math.round(o.interactionsPerUser * Math.exp(spread * choose.normal() - (spread * spread) / 2))),
    );
    const times = userTimes(choose, count, o.startTime, o.timeSpanYears * YEAR_SECONDS);
    let prev = -1;
    for (let k = 0; k < count; k++) {
      const nearPrevious = prev >= 0 && choose.next() < o.sequentialStrength;
      const j = chooser.choose(choose, nearPrevious ? prev : -1, o.temperature);
      prev = j;
      const stars = Math.round(2.5 + (chooser.affinity(j) - mean) / sd + o.ratingNoise * choose.normal());
      rows.push(u, j, Math.min(5, Math.max(1, stars)), times[k]);
      progress.interactions = rows.length;
      yield progress;
    }
    progress.usersDone = u + 1;
  }

  return {
    numUsers,
    numItems,
    table: rows.table(),
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

type Items = ReturnType<typeof makeItems>;

/** Picks one user's items one choice at a time, never the same item twice for that user. */
interface Chooser {
  /** Starts a user; returns the mean and spread of their affinity (ratings are standardised by it). */
  startUser(userFactors: Float32Array): { mean: number; sd: number };
  /** The user's affinity to item j. */
  affinity(j: number): number;
  /** An unseen item, by softmax over (affinity + closeness to `prev`) / temperature (+ popularity). */
  choose(rng: Rng, prev: number, temperature: number): number;
}

/** Softmax over every item with the popularity bias as a logit: O(items) per choice. */
class ExactChooser implements Chooser {
  private readonly affinities: Float64Array;
  private readonly logits: Float64Array;
  private readonly seen: Uint8Array;

  constructor(private readonly items: Items, private readonly numItems: number, private readonly dim: number) {
    this.affinities = new Float64Array(numItems);
    this.logits = new Float64Array(numItems);
    this.seen = new Uint8Array(numItems);
  }

  startUser(uf: Float32Array) {
    const { numItems, dim } = this;
    let mean = 0;
    for (let j = 0; j < numItems; j++) {
      this.affinities[j] = dot(uf, this.items.factors, j * dim, dim);
      mean += this.affinities[j] / numItems;
    }
    let variance = 0;
    for (let j = 0; j < numItems; j++) variance += (this.affinities[j] - mean) ** 2 / numItems;
    this.seen.fill(0);
    return { mean, sd: Math.sqrt(variance) || 1 };
  }

  affinity(j: number): number {
    return this.affinities[j];
  }

  choose(rng: Rng, prev: number, temperature: number): number {
    const { items, dim } = this;
    for (let j = 0; j < this.numItems; j++) {
      const near = prev >= 0 ? 2 * cosine(items.factors, prev, j, dim, items.norms) : 0;
      this.logits[j] = (this.affinities[j] + near) / temperature + items.bias[j];
    }
    const j = sampleSoftmax(rng, this.logits, this.seen);
    this.seen[j] = 1;
    return j;
  }
}

/** Reference items a CandidateChooser standardises affinities on (items are in random order). */
const AFFINITY_SAMPLE = 512;

/**
 * Draws `size` candidates by Zipf popularity (inverse CDF), then softmax over their taste only —
 * the popularity bias is in the proposal already. O(size · (dim + log items)) per choice.
 */
class CandidateChooser implements Chooser {
  private readonly cdf: Float64Array;
  private readonly candidates: Int32Array;
  private readonly logits: Float64Array;
  private readonly excluded: Uint8Array;
  private readonly seen: Uint8Array;
  private readonly seenList: number[] = [];
  private userFactors: Float32Array = new Float32Array(0);

  constructor(private readonly items: Items, private readonly numItems: number, private readonly dim: number, private readonly size: number) {
    this.cdf = new Float64Array(numItems);
    let total = 0;
    for (let j = 0; j < numItems; j++) this.cdf[j] = total += Math.exp(items.bias[j]);
    for (let j = 0; j < numItems; j++) this.cdf[j] /= total;
    this.candidates = new Int32Array(size);
    this.logits = new Float64Array(size);
    this.excluded = new Uint8Array(size);
    this.seen = new Uint8Array(numItems);
  }

  startUser(uf: Float32Array) {
    for (const j of this.seenList) this.seen[j] = 0;
    this.seenList.length = 0;
    this.userFactors = uf;
    const n = Math.min(AFFINITY_SAMPLE, this.numItems);
    let mean = 0;
    for (let j = 0; j < n; j++) mean += this.affinity(j) / n;
    let variance = 0;
    for (let j = 0; j < n; j++) variance += (this.affinity(j) - mean) ** 2 / n;
    return { mean, sd: Math.sqrt(variance) || 1 };
  }

  affinity(j: number): number {
    return dot(this.userFactors, this.items.factors, j * this.dim, this.dim);
  }

  choose(rng: Rng, prev: number, temperature: number): number {
    const { items, dim } = this;
    let unseen = 0;
    for (let c = 0; c < this.size; c++) {
      const j = this.draw(rng);
      this.candidates[c] = j;
      this.excluded[c] = this.seen[j];
      if (this.seen[j]) continue;
      unseen++;
      const near = prev >= 0 ? 2 * cosine(items.factors, prev, j, dim, items.norms) : 0;
      this.logits[c] = (this.affinity(j) + near) / temperature;
    }
    // Every candidate seen already (a heavy user among head items): the next unseen item by index.
    let j = unseen > 0 ? this.candidates[sampleSoftmax(rng, this.logits, this.excluded)] : this.firstUnseenFrom(rng.int(this.numItems));
    if (this.seen[j]) j = this.firstUnseenFrom(j);
    this.seen[j] = 1;
    this.seenList.push(j);
    return j;
  }

  private draw(rng: Rng): number {
    const x = rng.next();
    let lo = 0, hi = this.numItems - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cdf[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private firstUnseenFrom(start: number): number {
    for (let k = 0; k < this.numItems; k++) {
      const j = (start + k) % this.numItems;
      if (!this.seen[j]) return j;
    }
    throw new Error("every item is seen: the per-user cap (80% of the items) should prevent this");
  }
}

/** Interaction rows in typed arrays that double when full (millions of rows stay compact). */
class RowBuffer {
  length = 0;
  private users: Int32Array;
  private items: Int32Array;
  private ratings: Float32Array;
  private timestamps: Float64Array;

  constructor(capacity: number) {
    const n = Math.max(16, capacity);
    this.users = new Int32Array(n);
    this.items = new Int32Array(n);
    this.ratings = new Float32Array(n);
    this.timestamps = new Float64Array(n);
  }

  push(user: number, item: number, rating: number, timestamp: number): void {
    if (this.length === this.users.length) this.grow();
    const i = this.length++;
    this.users[i] = user;
    this.items[i] = item;
    this.ratings[i] = rating;
    this.timestamps[i] = timestamp;
  }

  table(): Dataset["table"] {
    const n = this.length;
    return { users: this.users.slice(0, n), items: this.items.slice(0, n), ratings: this.ratings.slice(0, n), timestamps: this.timestamps.slice(0, n) };
  }

  private grow(): void {
    const n = this.users.length * 2;
    const grown = <T extends Int32Array | Float32Array | Float64Array>(a: T, make: (n: number) => T) => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.users = grown(this.users, (k) => new Int32Array(k));
    this.items = grown(this.items, (k) => new Int32Array(k));
    this.ratings = grown(this.ratings, (k) => new Float32Array(k));
    this.timestamps = grown(this.timestamps, (k) => new Float64Array(k));
  }
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

/** Strictly increasing unix seconds inside a window of 30-90% of the span, within the span. */
function userTimes(rng: Rng, count: number, startTime: number, span: number): number[] {
  const start = startTime + rng.next() * 0.4 * span;
  const end = Math.min(startTime + span, start + (0.3 + 0.6 * rng.next()) * span);
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
