import "server-only";
import { z } from "zod";
import { recordAudit } from "../auth/audit";
import { teamScope, type Principal } from "../auth/principal";
import { createAbTestSchema, planAbTestSchema, type SimulatedAbConfig } from "../ab-tests/spec";
import { getDb } from "../db/client";
import { AppError, badInput, notFound } from "../errors";
import { importAbLogJob, simulateAbTestJob } from "../queue/jobs";
import type { JobRecord } from "../queue/types";
import { settleAbTest } from "../ab-tests/repository";
import { deleteAbLogParts } from "../ab-tests/log-parts";
import { planSampleSize } from "../stats/ab-tests";
import { abTestListSelect, toAbTestDetail, toAbTestListItem, type AbTestDetail, type AbTestListItem } from "./ab-test-views";
import { getQueue } from "./services";

/** Arm ids in order: the first arm is the control. */
export const ARM_IDS = ["A", "B", "C", "D"] as const;

export const listAbTestsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50).describe("Tests per page (at most 100)"),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0).describe("Tests to skip (newest first)"),
  datasetId: z.string().min(1).optional().describe("Only tests of this dataset"),
});

/** The principal's team's tests, newest first, one page at a time. */
export async function listAbTests(principal: Principal, query: z.infer<typeof listAbTestsQuerySchema>) {
  const db = getDb();
  const where = { ...teamScope(principal), ...(query.datasetId ? { datasetId: query.datasetId } : {}) };
  const [rows, total] = await Promise.all([
    db.abTest.findMany({ where, select: abTestListSelect, orderBy: [{ createdAt: "desc" }, { id: "desc" }], skip: query.offset, take: query.limit }),
    db.abTest.count({ where }),
  ]);
  const abTests: AbTestListItem[] = rows.map(toAbTestListItem);
  const next = query.offset + rows.length;
  return { abTests, total, nextOffset: next < total ? next : null };
}

/** A test the principal may see; other teams' tests are NOT_FOUND. */
export async function getAbTestOrThrow(id: string, principal: Principal): Promise<AbTestDetail> {
  const row = await getDb().abTest.findFirst({
    where: { id, ...teamScope(principal) },
    select: { ...abTestListSelect, ope: true, positionCtr: true, simulation: true, totals: true },
  });
  if (!row) throw notFound(`A/B test ${id} does not exist`);
  return toAbTestDetail(row);
}

/**
 * Checks a simulated test against the limits, its dataset and arms (finished runs of the same
 * dataset and team, or bandits), stores it with every default resolved and queues its job.
 * Nothing that grows with the test's size happens here.
 */
export async function createSimulatedAbTest(input: unknown, principal: Principal, ip?: string): Promise<{ id: string; jobId: string }> {
  const spec = createAbTestSchema.parse(input);
  const db = getDb();
  const dataset = await db.dataset.findFirst({ where: { id: spec.datasetId, ...teamScope(principal) }, select: { id: true, name: true, teamId: true } });
  if (!dataset) throw notFound(`dataset ${spec.datasetId} does not exist`);
  const used = new Set<string>();
  const arms: SimulatedAbConfig["arms"] = [];
  for (const [i, arm] of spec.arms.entries()) {
    const armId = ARM_IDS[i];
    const field = `arms.${i}`;
    let label: string;
    let modelId: string | undefined;
    if (arm.kind === "run") {
      const run = await db.run.findFirst({ where: { id: arm.runId, ...teamScope(principal) }, select: { id: true, name: true, status: true, datasetId: true, modelId: true } });
      if (!run) throw badInput(`arm ${armId}: run ${arm.runId} does not exist`, { field: `${field}.runId` });
      if (run.datasetId !== dataset.id) throw badInput(`arm ${armId}: run "${run.name}" was trained on another dataset; every arm must come from dataset "${dataset.name}"`, { field: `${field}.runId` });
      if (run.status !== "SUCCEEDED") throw badInput(`arm ${armId}: run "${run.name}" has not finished (${run.status.toLowerCase()}); only finished runs can be arms`, { field: `${field}.runId` });
      label = arm.label ?? run.name;
      modelId = run.modelId;
    } else {
      label = arm.label ?? arm.bandit;
    }
    label = label.slice(0, 60);
    for (let n = 2; used.has(label); n++) label = `${label.replace(/ \(\d+\)$/, "")} (${n})`;
    used.add(label);
    arms.push({ ...arm, armId, label, ...(modelId ? { modelId } : {}) });
  }
  const config: SimulatedAbConfig = { ...spec, arms, ratio: spec.ratio ?? spec.arms.map(() => 1) };
  const row = await db.abTest.create({
    data: { name: spec.name, source: "simulated", datasetId: dataset.id, config: JSON.stringify(config), teamId: dataset.teamId, createdById: principal.userId },
  });
  try {
    const owner = { teamId: dataset.teamId, createdById: principal.userId };
    const job = await getQueue().enqueue(simulateAbTestJob.name, simulateAbTestJob.schema.parse({ abTestId: row.id, owner }), { maxAttempts: 2 });
    await db.abTest.update({ where: { id: row.id }, data: { jobId: job.id } });
    await recordAudit(db, { actor: principal, action: "abtest.simulate", target: `abtest:${row.id}`, detail: `${arms.length} arms on dataset:${dataset.id}, ${spec.users} users`, ip });
    return { id: row.id, jobId: job.id };
  } catch (error) {
    await db.abTest.delete({ where: { id: row.id } });
    throw error;
  }
}

/** Deletes a test (its running job is cancelled first). */
export async function deleteAbTest(id: string, principal: Principal, ip?: string): Promise<{ deleted: string }> {
  const db = getDb();
  const row = await db.abTest.findFirst({ where: { id, ...teamScope(principal) }, select: { id: true, name: true, jobId: true, status: true } });
  if (!row) throw notFound(`A/B test ${id} does not exist`);
  const cancelled = row.jobId && (row.status === "QUEUED" || row.status === "RUNNING") ? await getQueue().cancel(row.jobId).catch(() => null) : null;
  await db.abTest.delete({ where: { id } });
  if (cancelled?.status === "CANCELLED") await settleCancelledAbJob(cancelled);
  await recordAudit(db, { actor: principal, action: "abtest.delete", target: `abtest:${id}`, detail: row.name, ip });
  return { deleted: id };
}

/** Users needed for a relative lift of a rate (closed form, bounded work). */
export function planAbTest(input: unknown) {
  const parsed = planAbTestSchema.parse(input);
  let plan: { usersPerArm: number; totalUsers: number };
  try {
    plan = planSampleSize(parsed);
  } catch (error) {
    if (error instanceof RangeError) throw new AppError("BAD_INPUT", error.message);
    throw error;
  }
  return { ...parsed, ...plan };
}

/**
 * A queued A/B job cancelled before any worker took it never reaches a handler's onCancelled:
 * settle its test here (and drop an import's stored log). Other jobs are left alone.
 */
export async function settleCancelledAbJob(job: Pick<JobRecord, "name" | "payload">): Promise<void> {
  if (job.name === simulateAbTestJob.name) {
    const parsed = simulateAbTestJob.schema.safeParse(job.payload);
    if (parsed.success) await settleAbTest(getDb(), parsed.data.abTestId, "CANCELLED", null);
  } else if (job.name === importAbLogJob.name) {
    const parsed = importAbLogJob.schema.safeParse(job.payload);
    if (!parsed.success) return;
    await settleAbTest(getDb(), parsed.data.abTestId, "CANCELLED", null);
    await deleteAbLogParts(getDb(), parsed.data.abTestId);
  }
}
