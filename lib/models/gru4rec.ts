// GRU4Rec: Balázs Hidasi, Alexandros Karatzoglou, Linas Baltrunas & Domonkos Tikk, "Session-based
// Recommendations with Recurrent Neural Networks", ICLR 2016; and Hidasi & Karatzoglou, "Recurrent
// Neural Networks with Top-k Gains for Session-based Recommendations", CIKM 2018 (BPR-max loss).
// A GRU over item sequences trained with session-parallel mini-batches and next-item losses.
import type { Scalar, Tensor, Tensor2D } from "@tensorflow/tfjs";
import { z } from "zod";
import { deepTrainingParams } from "../training/deep-training";
import { Rng } from "../util/rng";
import { buildSessions, buildUserSequences } from "./sequential/sequences";
import { dropout, fullSoftmaxCrossEntropy, gatherRows, glorot, loadedTf, loadTf, mm, WeightBag, type Tf } from "./sequential/tf-helpers";
import { SequenceRecommender } from "./sequential/sequence-recommender";
import { runEpochs } from "./sequential/train-loop";
import { notFitted } from "./shared/state";
import type { FitContext, ModelDefinition, TrainingData } from "./types";
import { gru4recMemoryBytes } from "./memory";

export const gru4recParamsSchema = z.object({
  factors: z.number().int().min(2).max(1024).default(64).describe("Item embedding size fed to the GRU. Count."),
  hidden: z.number().int().min(2).max(1024).default(100).describe("GRU hidden units. Count."),
  loss: z
    .enum(["cross-entropy", "bpr-max"])
    .default("cross-entropy")
    .describe("cross-entropy: full softmax over all items; bpr-max: pairwise BPR-max over in-batch and sampled negatives (2018 paper)."),
  negatives: z.number().int().min(0).default(128).describe("bpr-max only: extra uniform negatives per step besides the other targets of the batch. Count."),
  bprMaxReg: z.number().min(0).default(1).describe("bpr-max only: weight of the score regularisation term (λ). Factor."),
  sessionGapMinutes: z
    .number()
    .min(0)
    .default(0)
    .describe("Cut a user's history into sessions at gaps longer than this; 0 = one session per user (data without session ids, e.g. MovieLens). Minutes."),
  bpttSteps: z
    .number()
    .int()
    .min(1)
    .max(200)
    .default(10)
    .describe("Time steps unrolled per optimizer step (truncated backpropagation through time; the 2016 paper used 1). Count."),
  maxLen: z.number().int().min(1).max(2000).default(50).describe("Most recent items the GRU reads when scoring a user; longer training sessions are cut into pieces of this many targets. Count."),
  ...deepTrainingParams({ epochs: 100, batchSize: 256, learningRate: 0.002, dropout: 0.2 }),
});

export type Gru4recParams = z.infer<typeof gru4recParamsSchema>;

/** One optimizer step: `steps` session-parallel time steps over every slot, column-major by time. */
interface Chunk {
  steps: number;
  /** [steps, slots] current item per slot (0 where the slot is idle). */
  inputs: Int32Array;
  /** 1 where the slot's session starts at this time step (hidden state reset). */
  reset: Float32Array;
  /** Flat (time · slots + slot) positions that have a next item, and that item. */
  positions: Int32Array;
  targets: Int32Array;
}

class Gru4Rec extends SequenceRecommender {
  constructor(
    private readonly params: Gru4recParams,
    numUsers: number,
    numItems: number,
  ) {
    super("gru4rec", "GRU4Rec", numUsers, numItems);
  }

  async fit(data: TrainingData, ctx: FitContext): Promise<void> {
    const { tf } = await loadTf();
    const p = this.params;
    this.sequences = buildUserSequences(data.trainTable, this.numUsers);
    const optimizer = this.prepareFit(tf, ctx, p);
    const sessions = capSessions(buildSessions(this.sequences, p.sessionGapMinutes * 60), p.maxLen);
    const items = this.sequences.items;
    const weights = this.weights!;
    const B = p.batchSize, H = p.hidden;
    // Hidden state of every parallel slot, carried from one chunk to the next without gradient:
    // truncated backpropagation through `bpttSteps` time steps (the 2016 paper used one).
    let state: Tensor2D = tf.zeros([B, H]);
    let last: Tensor2D | null = null;
    try {
      await runEpochs<Chunk>({
        tf,
        weights,
        params: p,
        optimizer,
        ctx,
        sizeOf: (chunk) => chunk.targets.length,
        batches: (rng) => sessionParallel(sessions, items, B, p.bpttSteps, rng),
        loss: (chunk, rng) => {
          let h: Tensor2D = state;
          const outputs: Tensor2D[] = [];
          const keep = new Float32Array(B);
          for (let t = 0; t < chunk.steps; t++) {
            let kept = 0;
            for (let slot = 0; slot < B; slot++) kept += keep[slot] = 1 - chunk.reset[t * B + slot];
            if (kept < B) h = tf.mul(h, tf.tensor2d(keep, [B, 1])) as Tensor2D;
            h = this.cell(tf, chunk.inputs.subarray(t * B, (t + 1) * B), h);
            outputs.push(h);
          }
          last = tf.keep(h);
          const all = (outputs.length === 1 ? outputs[0] : tf.concat(outputs, 0)) as Tensor2D;
          const states = chunk.positions.length === all.shape[0] ? all : gatherRows(tf, all, chunk.positions);
          const picked = dropout(tf, states, p.dropout, rng) as Tensor2D;
          if (p.loss === "bpr-max") return this.bprMax(tf, picked, chunk.targets, rng) as Scalar;
          return fullSoftmaxCrossEntropy(tf, withOne(tf, picked), this.outputItems(tf), chunk.targets) as Scalar;
        },
        afterStep: () => {
          state.dispose();
          state = last!;
          last = null;
        },
      });
    } finally {
      state.dispose();
    }
  }

  score(users: Int32Array, out: Float32Array): void {
    if (!this.weights || !this.sequences) throw notFitted("GRU4Rec");
    const tf = loadedTf();
    const L = this.params.maxLen, n = this.numItems;
    const chunk = 1024;
    const tokens = new Int32Array(chunk * L);
    for (let start = 0; start < users.length; start += chunk) {
      const b = Math.min(chunk, users.length - start);
      let longest = 0;
      for (let r = 0; r < b; r++) longest = Math.max(longest, this.fillWindow(users, start + r, L, tokens, r * L));
      const logits = tf.tidy(() => {
        let h = tf.zeros([b, this.params.hidden]) as Tensor2D;
        // Windows are left-padded: only the last `longest` columns hold any item.
        const step = new Int32Array(b);
        const present = new Float32Array(b);
        for (let t = L - longest; t < L; t++) {
          let all = 0;
          for (let r = 0; r < b; r++) {
            const token = tokens[r * L + t];
            step[r] = Math.max(0, token - 1);
            all += present[r] = token > 0 ? 1 : 0;
          }
          const hNew = this.cell(tf, step, h);
          if (all === b) h = hNew;
          else {
            const mask = tf.tensor2d(present, [b, 1]);
            // Exact selection (mask·new + (1 − mask)·old), so a user's scores never depend on the batch.
            h = tf.add(tf.mul(hNew, mask), tf.mul(h, tf.sub(1, mask))) as Tensor2D;
          }
        }
        return mm(tf, withOne(tf, h), tf.transpose(this.outputItems(tf)) as Tensor2D);
      });
      out.set(logits.dataSync() as Float32Array, start * n);
      logits.dispose();
    }
  }



  /**
   * One GRU step (Cho et al. 2014; the candidate's reset gate applied to W_h·h as in cuDNN and
   * PyTorch) for item indices `items` [b] from hidden state `h` [b, H]: one matMul for the input
   * and one for the hidden state, all three gates at once.
   */
  private cell(tf: Tf, items: Int32Array, h: Tensor2D): Tensor2D {
    const w = this.weights!;
    const H = this.params.hidden;
    // split, not slice: a slice's gradient pads to the full width, a split's is one concat.
    const [xrz, xn] = tf.split(tf.add(mm(tf, gatherRows(tf, w.get("itemEmb"), items), w.get("wx") as Tensor2D), w.get("bx")), [2 * H, H], 1);
    const [hrz, hn] = tf.split(tf.add(mm(tf, h, w.get("wh") as Tensor2D), w.get("bh")), [2 * H, H], 1);
    const [r, z] = tf.split(tf.sigmoid(tf.add(xrz, hrz)), 2, 1);
    const cand = tf.tanh(tf.add(xn, tf.mul(r, hn)));
    // (1 − z)·cand + z·h = cand + z·(h − cand)
    return tf.add(cand, tf.mul(z, tf.sub(h, cand))) as Tensor2D;
  }

  /** Output item vectors with their bias as an extra column: [numItems, H + 1]. */
  private outputItems(tf: Tf): Tensor2D {
    const w = this.weights!;
    return tf.concat([w.get("outEmb"), tf.reshape(w.get("outBias"), [this.numItems, 1])], 1) as Tensor2D;
  }

  /**
   * BPR-max (Hidasi & Karatzoglou 2018): −log Σ_j s_j σ(r_i − r_j) + λ Σ_j s_j r_j², with s the
   * softmax over the negatives' scores; negatives are the batch's other targets plus uniform samples.
   */
  private bprMax(tf: Tf, h: Tensor2D, targets: Int32Array, rng: Rng): Tensor {
    const b = targets.length;
    const extra = Int32Array.from({ length: this.params.negatives }, () => rng.int(this.numItems));
    const cand = new Int32Array(b + extra.length);
    cand.set(targets);
    cand.set(extra, b);
    const valid = new Float32Array(b * cand.length);
    for (let i = 0; i < b; i++) for (let j = 0; j < cand.length; j++) valid[i * cand.length + j] = cand[j] === targets[i] ? 0 : 1;
    const items = tf.gather(this.outputItems(tf), tf.tensor1d(cand, "int32"));
    const scores = tf.matMul(withOne(tf, h), tf.transpose(items));
    const pos = tf.reshape(tf.slice(tf.sum(tf.mul(scores, tf.eye(b, cand.length)), 1), [0], [b]), [b, 1]);
    const mask = tf.tensor2d(valid, [b, cand.length]);
    const s = tf.mul(tf.softmax(tf.add(scores, tf.mul(tf.sub(mask, 1), 1e9))), mask);
    const pairwise = tf.sum(tf.mul(s, tf.sigmoid(tf.sub(pos, scores))), 1);
    const reg = tf.sum(tf.mul(s, tf.square(scores)), 1);
    return tf.mean(tf.add(tf.neg(tf.log(tf.add(pairwise, 1e-24))), tf.mul(reg, this.params.bprMaxReg)));
  }

  protected initWeights(tf: Tf, rng: Rng): void {
    this.weights?.dispose();
    const w = (this.weights = new WeightBag(tf));
    const { factors: d, hidden: H } = this.params;
    w.add("itemEmb", [this.numItems, d], { kind: "normal", std: 1 / Math.sqrt(d) }, rng);
    w.add("wx", [d, 3 * H], glorot(d, H), rng);
    w.add("wh", [H, 3 * H], glorot(H, H), rng);
    w.add("bx", [3 * H], { kind: "zeros" }, rng);
    w.add("bh", [3 * H], { kind: "zeros" }, rng);
    w.add("outEmb", [this.numItems, H], { kind: "normal", std: 1 / Math.sqrt(H) }, rng);
    w.add("outBias", [this.numItems], { kind: "zeros" }, rng);
  }
}

/** h [b, H] with a column of ones appended, so item biases ride in the output matmul. */
function withOne(tf: Tf, h: Tensor2D): Tensor2D {
  return tf.concat([h, tf.ones([h.shape[0], 1])], 1) as Tensor2D;
}

/**
 * Sessions longer than `maxLen` targets cut into consecutive pieces of at most `maxLen` targets
 * (each piece starts from the previous piece's last target, so every item is a target once).
 * Scoring reads the last `maxLen` items from a fresh state, so longer training contexts buy
 * nothing, and one 700-item session would otherwise keep a lane busy long after the rest of
 * the epoch is done.
 */
function capSessions(sessions: { starts: Int32Array; ends: Int32Array }, maxLen: number): { starts: Int32Array; ends: Int32Array } {
  const starts: number[] = [], ends: number[] = [];
  for (let s = 0; s < sessions.starts.length; s++) {
    for (let begin = sessions.starts[s]; begin + 1 < sessions.ends[s]; begin += maxLen) {
      starts.push(begin);
      ends.push(Math.min(sessions.ends[s], begin + maxLen + 1));
    }
  }
  return { starts: Int32Array.from(starts), ends: Int32Array.from(ends) };
}

/**
 * Session-parallel mini-batches (Hidasi et al. 2016, Fig. 2): `slots` parallel lanes each walk
 * one session; a lane whose session ends takes the next session (shuffled, longest first) and
 * resets its hidden state. Yields chunks of `steps` time steps; lanes left without a session idle.
 */
function* sessionParallel(sessions: { starts: Int32Array; ends: Int32Array }, items: Int32Array, slots: number, steps: number, rng: Rng): Iterable<Chunk> {
  // Longest sessions first (shuffled within ±20% length bands): lanes then run out together
  // instead of a few long sessions idling the whole batch at the end of an epoch.
  const band = (s: number) => Math.floor(4 * Math.log2(sessions.ends[s] - sessions.starts[s]));
  const order = Array.from(rng.shuffle(Int32Array.from({ length: sessions.starts.length }, (_, i) => i))).sort((a, b) => band(b) - band(a));
  let nextSession = 0;
  const pos = new Int32Array(slots).fill(-1);
  const end = new Int32Array(slots);
  const fresh = new Uint8Array(slots);
  const take = (slot: number) => {
    if (nextSession >= order.length) {
      pos[slot] = -1;
      return;
    }
    const s = order[nextSession++];
    pos[slot] = sessions.starts[s];
    end[slot] = sessions.ends[s];
    fresh[slot] = 1;
  };
  for (let slot = 0; slot < slots; slot++) take(slot);
  for (;;) {
    const inputs = new Int32Array(steps * slots);
    const reset = new Float32Array(steps * slots).fill(1);
    const positions: number[] = [];
    const targets: number[] = [];
    let t = 0;
    for (; t < steps; t++) {
      let active = 0;
      for (let slot = 0; slot < slots; slot++) {
        if (pos[slot] < 0) continue;
        active++;
        const k = t * slots + slot;
        inputs[k] = items[pos[slot]];
        reset[k] = fresh[slot];
        fresh[slot] = 0;
        positions.push(k);
        targets.push(items[pos[slot] + 1]);
        pos[slot]++;
        if (pos[slot] + 1 >= end[slot]) take(slot);
      }
      if (active === 0) break;
    }
    if (positions.length === 0) return;
    yield { steps: t, inputs: inputs.subarray(0, t * slots), reset: reset.subarray(0, t * slots), positions: Int32Array.from(positions), targets: Int32Array.from(targets) };
  }
}

export const gru4recDefinition: ModelDefinition<typeof gru4recParamsSchema> = {
  id: "gru4rec",
  displayName: "GRU4Rec",
  summary: "A recurrent network (GRU) reads a user's item sequence and predicts the next item; trained with session-parallel mini-batches.",
  paper: {
    authors: "Balázs Hidasi, Alexandros Karatzoglou, Linas Baltrunas, Domonkos Tikk",
    title: "Session-based Recommendations with Recurrent Neural Networks",
    venue: "ICLR",
    year: 2016,
    url: "https://arxiv.org/abs/1511.06939",
  },
  feedback: "implicit",
  input: "sequences",
  training: "epochs",
  engine: "tfjs",
  paramsSchema: gru4recParamsSchema,
  estimateMemoryBytes: (params, numUsers, numItems, numInteractions) => gru4recMemoryBytes(params, numUsers, numItems, numInteractions),
  create: (params, numUsers, numItems) => new Gru4Rec(params, numUsers, numItems),
};
