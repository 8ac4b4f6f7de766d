import { describe, expect, it } from "vitest";
import { banditOnFeatures } from "@/lib/models/bandits";
import { DqnPolicy } from "@/lib/models/bandits/dqn";
import { runOnline } from "@/lib/models/bandits/online-loop";
import { RandomPolicy } from "@/lib/models/bandits/random-policy";
import { syntheticWorld } from "@/lib/models/bandits/synthetic";
import { loadTensorflow, type Tf } from "@/lib/training/tf-backend";

const { tf }: { tf: Tf } = await loadTensorflow();

describe("DQN agent", () => {
  const world = syntheticWorld({ seed: 2 });
  const options = (visits: number) => ({ visits, slateSize: 5, seed: 2, histories: world.histories, growHistory: false });
  const dqn = async () => (await banditOnFeatures("dqn", { epsilonDecayVisits: 200 }, world.features, 2)) as DqnPolicy;

  it("beats a random policy's cumulative reward (clicks and dwell) and frees every tensor", async () => {
    const before = tf.memory().numTensors;
    const agent = await dqn();
    const curve = runOnline(world.env, agent, options(600));
    agent.dispose();
    expect(tf.memory().numTensors).toBe(before);
    const random = runOnline(world.env, new RandomPolicy(world.env.numItems, 2), options(600));
    expect(curve.clicks[599]).toBeGreaterThan(1.3 * random.clicks[599]);
    expect(curve.dwellSeconds[599]).toBeGreaterThan(1.3 * random.dwellSeconds[599]);
    expect(Number.isFinite(agent.lastLoss)).toBe(true);
  });

  it("rewards a click plus the capped dwell bonus, and decays ε from its start towards its end", async () => {
    const agent = await dqn();
    expect(agent.reward({ examined: true, clicked: false, dwellSeconds: 0, converted: false })).toBe(0);
    expect(agent.reward({ examined: true, clicked: true, dwellSeconds: 150, converted: false })).toBeCloseTo(1.25, 12);
    expect(agent.reward({ examined: true, clicked: true, dwellSeconds: 3000, converted: false })).toBeCloseTo(1.5, 12);
    expect(agent.epsilon).toBeCloseTo(0.5, 12);
    runOnline(world.env, agent, options(200));
    // After 200 visits: 0.05 + 0.45 · e⁻¹.
    expect(agent.epsilon).toBeCloseTo(0.05 + 0.45 * Math.exp(-1), 12);
    agent.dispose();
  });

  it("replays identically for a seed", async () => {
    const a = await dqn(), b = await dqn();
    const ca = runOnline(world.env, a, options(100));
    const cb = runOnline(world.env, b, options(100));
    a.dispose();
    b.dispose();
    expect(Array.from(cb.clicks)).toEqual(Array.from(ca.clicks));
    expect(Array.from(cb.expected)).toEqual(Array.from(ca.expected));
  });
});
