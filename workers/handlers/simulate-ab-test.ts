import { isSelfGraded, finishAbTest, markAbTestRunning, setAbTestProgress, settleAbTest } from "../../lib/ab-tests/repository";
import { refitRunModel } from "../../lib/ab-tests/run-arm-model";
import type { SimulatedAbConfig } from "../../lib/ab-tests/spec";
import { tableToCsr } from "../../lib/datasets/csr";
import type { Dataset } from "../../lib/datasets/types";
import { getDb, type Db } from "../../lib/db/client";
import { AppError } from "../../lib/errors";
import { createBanditPolicy } from "../../lib/models/bandits";
import { getModelDefinition } from "../../lib/models/registry";
import { simulateAbTestJob } from "../../lib/queue/jobs";
import { simulateAbTest, type AbArmSpec } from "../../lib/simulation/ab-engine";
import { buildEnvironment, simulatorConfigSchema } from "../../lib/simulation/environment";
import { policyFromRecommender } from "../../lib/simulation/policies";
import { analyzeAbTest } from "../../lib/stats/ab-tests";
import { loadDataset } from "../../lib/storage/dataset-repository";
import { formatCount, formatEta } from "../../lib/util/format";
import { JobCancelledError, type JobContext, type JobHandler } from "../worker";

/** Share of the progress bar for building the environment and the arms; the simulation takes the rest up to 95%. */
const SETUP_SHARE = 0.2;

/**
 * Runs a simulated A/B test: loads the dataset, fits the simulator's ground truth on all of its
 * interactions, builds each arm (a run's refitted model, or a bandit), simulates the users'
 * visits with progress and cancellation, analyses the per-user totals and stores everything in
 * one update. Re-running the job (after a lost worker) starts over: the test is seeded.
 */
export async function executeSimulateAbTest(payload: unknown, ctx: JobContext, deps: { db: Db; loadDataset(id: string): Promise<Dataset> }) {
  const { abTestId } = simulateAbTestJob.schema.parse(payload);
  const { db } = deps;
  const row = await db.abTest.findUnique({ where: { id: abTestId } });
  if (!row) throw new AppError("NOT_FOUND", `A/B test ${abTestId} does not exist`);
  if (!row.datasetId) throw new AppError("CONFLICT", `A/B test ${abTestId} is not a simulated test`);
  const config = JSON.parse(row.config) as SimulatedAbConfig;
  const started = performance.now();
  let written = 0;
  const progress = async (fraction: number, text: string) => {
    if (ctx.isCancelled()) throw new JobCancelledError();
    await ctx.reportProgress(fraction, text);
    // The row's copy is for lists; at most one write a second.
    if (performance.now() - written < 1000) return;
    written = performance.now();
    await setAbTestProgress(db, abTestId, fraction, text);
  };

  await markAbTestRunning(db, abTestId);
  await progress(0, "loading the dataset");
  const dataset = await deps.loadDataset(row.datasetId);
  const interactions = tableToCsr(dataset.table, dataset.numUsers, dataset.numItems, true);
  await progress(0.02, "fitting the simulator's ground truth");
  const env = await buildEnvironment({ numUsers: dataset.numUsers, numItems: dataset.numItems, interactions }, simulatorConfigSchema.parse(config.simulator), config.seed);

  const arms: AbArmSpec[] = [];
  const armNames: string[][] = [];
  for (const [i, arm] of config.arms.entries()) {
    await progress(0.05 + (SETUP_SHARE - 0.05) * (i / config.arms.length), `preparing arm ${arm.label} (${i + 1} of ${config.arms.length})`);
    const seed = config.seed + 1000 * (i + 1);
    if (arm.kind === "run") {
      const run = await db.run.findUnique({ where: { id: arm.runId }, select: { config: true, status: true, modelId: true } });
      if (!run || run.status !== "SUCCEEDED") throw new AppError("CONFLICT", `arm ${arm.label}: run ${arm.runId} is no longer a finished run`);
      const refitted = await refitRunModel(dataset, JSON.parse(run.config), () => ctx.isCancelled());
      if (!refitted) throw new JobCancelledError();
      const { model, train } = refitted;
      arms.push({ armId: arm.armId, label: arm.label, policy: policyFromRecommender(model, train, dataset.numItems, { epsilon: arm.epsilon, seed }) });
      armNames.push([run.modelId, getModelDefinition(run.modelId).displayName]);
    } else {
      const policy = await createBanditPolicy(arm.bandit, arm.params, { numItems: dataset.numItems, numUsers: dataset.numUsers, train: interactions, seed });
      arms.push({ armId: arm.armId, label: arm.label, policy });
      armNames.push([arm.bandit]);
    }
  }

  const abort = new AbortController();
  const visits = config.users * config.sessionsPerUser;
  await progress(SETUP_SHARE, `simulating ${formatCount(config.users)} users`);
  let result: Awaited<ReturnType<typeof simulateAbTest>>;
  const simulationStarted = performance.now();
  try {
    result = await simulateAbTest(
      env,
      arms,
      { users: config.users, sessionsPerUser: config.sessionsPerUser, slateSize: config.slateSize, ratio: config.ratio, seed: config.seed },
      {
        signal: abort.signal,
        async onProgress(done, total) {
          if (ctx.isCancelled()) {
            abort.abort();
            throw new JobCancelledError();
          }
          const fraction = total > 0 ? done / total : 1;
          const elapsed = (performance.now() - simulationStarted) / 1000;
          // No ETA from the first few percent: the setup of the first visits is not yet amortised.
          const eta = fraction >= 0.05 ? (elapsed / fraction) * (1 - fraction) : NaN;
          await progress(SETUP_SHARE + (0.95 - SETUP_SHARE) * fraction, `${Math.round(fraction * 100)}% of at most ${formatCount(visits)} visits (users may leave early) · ETA ${formatEta(eta)}`);
        },
      },
    );
  } finally {
    for (const arm of arms) arm.policy.dispose?.();
  }
  if (ctx.isCancelled()) throw new JobCancelledError();

  await progress(0.95, "analysing");
  const total = config.ratio.reduce((a, b) => a + b, 0);
  const analysis = analyzeAbTest(result.totals, { expectedShares: config.ratio.map((w) => w / total), sequential: true });
  const family = env.groundTruthFamily;
  await finishAbTest(db, abTestId, {
    totals: result.totals,
    analysis,
    ope: result.ope,
    positionCtr: result.positionCtr.map((ctr, i) => ({ armId: arms[i].armId, ctr })),
    simulation: {
      assumptions: env.assumptions(),
      groundTruthFamily: family,
      selfGradedArmIds: arms.filter((_, i) => isSelfGraded(family, armNames[i])).map((a) => a.armId),
    },
  });
  return { abTestId, seconds: (performance.now() - started) / 1000, users: config.users, visits };
}

export const simulateAbTestHandler: JobHandler = {
  handle: (payload, ctx) => {
    const db = getDb();
    return executeSimulateAbTest(payload, ctx, { db, loadDataset: (id) => loadDataset(db, id) });
  },
  async onFailed(payload, message) {
    const parsed = simulateAbTestJob.schema.safeParse(payload);
    if (parsed.success) await settleAbTest(getDb(), parsed.data.abTestId, "FAILED", message);
  },
  async onCancelled(payload) {
    const parsed = simulateAbTestJob.schema.safeParse(payload);
    if (parsed.success) await settleAbTest(getDb(), parsed.data.abTestId, "CANCELLED", null);
  },
};
