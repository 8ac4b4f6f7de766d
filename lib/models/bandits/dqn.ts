import type { Scalar, Tensor } from "@tensorflow/tfjs";
import type { Slate, SlatePolicy, SlotOutcome, Visit } from "../../simulation/types";
import { createOptimizer, type Optimizer } from "../../training/optimizers";
import { matMulFast, type Tf } from "../../training/tf-backend";
import { Rng } from "../../util/rng";
import { glorotUniform, trainStep, Weights } from "../deep/weights";
import { historyMean, type ItemFeatures } from "./item-features";
import { exploreSlots, HistoryMask, topItems } from "./slate";

export interface DqnOptions {
  features: ItemFeatures;
  historyWindow: number;
  hidden: number;
  learningRate: number;
  /** Discount γ of the next state's value. */
  gamma: number;
  replayCapacity: number;
  batchSize: number;
  /** Gradient steps per observe() call: bounds the cost of a call. */
  updatesPerObserve: number;
  /** Gradient steps between copies of the online network into the target network. */
  targetSyncEvery: number;
  epsilonStart: number;
  epsilonEnd: number;
  /** Visits over which ε decays exponentially (by e⁻¹ per this many visits) towards epsilonEnd. */
  epsilonDecayVisits: number;
  /** Reward = click + dwellWeight · min(dwell / dwellCapSeconds, 1). */
  dwellWeight: number;
  dwellCapSeconds: number;
  seed: number;
}

const NAMES = ["w1", "b1", "w2", "b2", "itemBias"] as const;

/**
 * A DQN-style recommender (Mnih et al., Nature 2015; slate-as-slots as in Zhao et al., KDD 2018):
 * state s = mean item vector of the user's last N history items; each item a is an action with
 * Q(s, a) = f(s)·e_a + b_a, where f(s) = s + W₂ relu(W₁ s + b₁) + b₂ (a residual MLP, so the
 * untrained agent already ranks by similarity to the history), e_a the fixed item vector and b_a a
 * learned item bias. Each examined slot is a transition (s, a, r, s′) with r = click + dwell
 * bonus and s′ the state after the click (s when none); transitions go to a replay buffer and
 * each observe() runs a bounded number of minibatch steps on the Huber loss towards
 * r + γ max_a′ Q_target(s′, a′), with a target network synced periodically. Exploration is
 * ε-slot (exact propensities) with ε decaying per visit.
 */
export class DqnPolicy implements SlatePolicy {
  private readonly online: Weights;
  private readonly target: Weights;
  private readonly optimizer: Optimizer;
  private readonly itemVectors: Tensor;
  private readonly rng: Rng;
  private readonly mask: HistoryMask;
  private readonly dim: number;
  // Replay buffer (ring).
  private readonly states: Float32Array;
  private readonly nextStates: Float32Array;
  private readonly actions: Int32Array;
  private readonly rewards: Float32Array;
  private stored = 0;
  private cursor = 0;
  private visits = 0;
  private steps = 0;
  lastLoss = NaN;

  constructor(
    private readonly tf: Tf,
    private readonly o: DqnOptions,
  ) {
    const { dim, numItems, vectors } = o.features;
    this.dim = dim;
    this.rng = new Rng(o.seed);
    this.mask = new HistoryMask(numItems);
    this.online = new Weights(tf);
    this.online.add("w1", [dim, o.hidden], glorotUniform(this.rng, dim, o.hidden));
    this.online.add("b1", [1, o.hidden], new Float32Array(o.hidden));
    // Small second layer: f(s) starts close to s.
    this.online.add("w2", [o.hidden, dim], glorotUniform(this.rng, o.hidden, dim).map((v) => v * 0.1));
    this.online.add("b2", [1, dim], new Float32Array(dim));
    this.online.add("itemBias", [numItems], new Float32Array(numItems));
    this.target = new Weights(tf);
    this.syncTarget();
    this.optimizer = createOptimizer(tf, { name: "adam" }, this.online.vars);
    this.itemVectors = tf.tensor2d(vectors, [numItems, dim]);
    const c = o.replayCapacity;
    this.states = new Float32Array(c * dim);
    this.nextStates = new Float32Array(c * dim);
    this.actions = new Int32Array(c);
    this.rewards = new Float32Array(c);
  }

  get epsilon(): number {
    const { epsilonStart, epsilonEnd, epsilonDecayVisits } = this.o;
    return epsilonEnd + (epsilonStart - epsilonEnd) * Math.exp(-this.visits / Math.max(1, epsilonDecayVisits));
  }

  recommend(visit: Visit, k: number): Slate {
    const epsilon = this.epsilon;
    this.visits++;
    const q = this.qValues(this.state(visit.history));
    return this.mask.with(visit.history, (excluded) => exploreSlots(topItems(q, excluded, k), excluded, epsilon, this.rng));
  }

  observe(visit: Visit, slate: Slate, outcomes: readonly SlotOutcome[]): void {
    const s = this.state(visit.history);
    outcomes.forEach((outcome, slot) => {
      if (!outcome.examined) return;
      const item = slate.items[slot];
      const next = outcome.clicked ? this.state(appendItem(visit.history, item)) : s;
      this.remember(s, item, this.reward(outcome), next);
    });
    if (this.stored < this.o.batchSize) return;
    for (let u = 0; u < this.o.updatesPerObserve; u++) this.update();
  }

  /** Q(s, ·) over every item for a state: the scores the greedy slate is taken from. */
  qValues(state: Float32Array): Float32Array {
    const { tf } = this;
    const q = tf.tidy(() => this.q(this.online, tf.tensor2d(state, [1, this.dim])));
    const values = q.dataSync() as Float32Array;
    q.dispose();
    return values;
  }

  state(history: Int32Array): Float32Array {
    return Float32Array.from(historyMean(this.o.features, history, this.o.historyWindow, new Float64Array(this.dim)));
  }

  reward(outcome: SlotOutcome): number {
    if (!outcome.clicked) return 0;
    return 1 + this.o.dwellWeight * Math.min(1, Math.max(0, outcome.dwellSeconds) / this.o.dwellCapSeconds);
  }

  /** Frees every tensor the agent holds (weights, target copy, optimizer moments, item vectors). */
  dispose(): void {
    this.online.dispose();
    this.target.dispose();
    this.optimizer.dispose();
    this.itemVectors.dispose();
  }

  /** f(s) = s + W₂ relu(W₁ s + b₁) + b₂: [batch, dim]. */
  private stateVector(weights: Weights, states: Tensor): Tensor {
    const { tf } = this;
    const hidden = tf.relu(tf.add(matMulFast(tf, states, weights.get("w1")), weights.get("b1")));
    return tf.add(tf.add(states, matMulFast(tf, hidden, weights.get("w2"))), weights.get("b2"));
  }

  /** Q(s, a) for every item: [batch, numItems]. */
  private q(weights: Weights, states: Tensor): Tensor {
    const { tf } = this;
    return tf.add(tf.matMul(this.stateVector(weights, states), this.itemVectors, false, true), weights.get("itemBias"));
  }

  /** Q(s_b, a_b) for the batch's own actions only: [batch] (the training forward pass). */
  private qChosen(states: Tensor, actions: Tensor): Tensor {
    const { tf } = this;
    const f = this.stateVector(this.online, states);
    return tf.add(tf.sum(tf.mul(f, tf.gather(this.itemVectors, actions)), 1), tf.gather(this.online.get("itemBias"), actions));
  }

  private remember(s: Float32Array, action: number, reward: number, next: Float32Array): void {
    const at = this.cursor;
    this.states.set(s, at * this.dim);
    this.nextStates.set(next, at * this.dim);
    this.actions[at] = action;
    this.rewards[at] = reward;
    this.cursor = (at + 1) % this.o.replayCapacity;
    this.stored = Math.min(this.stored + 1, this.o.replayCapacity);
  }

  /** One minibatch step of the Huber TD loss (everything inside is disposed). */
  private update(): void {
    const { tf, dim } = this;
    const n = this.o.batchSize;
    const s = new Float32Array(n * dim), next = new Float32Array(n * dim), a = new Int32Array(n), r = new Float32Array(n);
    for (let b = 0; b < n; b++) {
      const i = this.rng.int(this.stored);
      s.set(this.states.subarray(i * dim, (i + 1) * dim), b * dim);
      next.set(this.nextStates.subarray(i * dim, (i + 1) * dim), b * dim);
      a[b] = this.actions[i];
      r[b] = this.rewards[i];
    }
    const targets = tf.tidy(() => {
      const best = tf.max(this.q(this.target, tf.tensor2d(next, [n, dim])), 1);
      return tf.add(tf.tensor1d(r), tf.mul(best, this.o.gamma));
    });
    const loss = (): Scalar =>
      tf.tidy(() => {
        const chosen = this.qChosen(tf.tensor2d(s, [n, dim]), tf.tensor1d(a, "int32"));
        return tf.losses.huberLoss(targets, chosen) as Scalar;
      });
    this.lastLoss = trainStep(tf, this.online, this.optimizer, loss, this.o.learningRate);
    targets.dispose();
    if (++this.steps % this.o.targetSyncEvery === 0) this.syncTarget();
  }

  private syncTarget(): void {
    for (const name of NAMES) {
      const v = this.online.get(name);
      this.target.add(name, v.shape, Float32Array.from(v.dataSync() as Float32Array));
    }
  }
}

function appendItem(history: Int32Array, item: number): Int32Array {
  const out = new Int32Array(history.length + 1);
  out.set(history);
  out[history.length] = item;
  return out;
}
