import type { Db } from "../db/client";
import type { AbAnalysis, ArmTotals, OpeEstimate } from "../simulation/types";
import { encodeTotals } from "./totals-codec";

/**
 * The A/B test row's lifecycle as the jobs drive it (QUEUED → RUNNING → SUCCEEDED | FAILED |
 * CANCELLED, like runs). Results are written in one update when the job ends, so a failed or
 * cancelled test never shows half its results.
 */

/** What the simulator assumed, stored with the test for its page. */
export interface SimulationFacts {
  assumptions: { label: string; value: string }[];
  groundTruthFamily: string;
  /** Arms of the ground truth's model family: they are graded by themselves. */
  selfGradedArmIds: string[];
}

export interface AbResults {
  totals: ArmTotals[];
  analysis: AbAnalysis;
  ope?: OpeEstimate[];
  positionCtr?: { armId: string; ctr: number[] }[];
  simulation?: SimulationFacts;
}

export async function markAbTestRunning(db: Db, id: string): Promise<void> {
  await db.abTest.update({ where: { id }, data: { status: "RUNNING", startedAt: new Date(), error: null, progress: 0 } });
}

export async function setAbTestProgress(db: Db, id: string, progress: number, text: string): Promise<void> {
  await db.abTest.update({ where: { id }, data: { progress, progressText: text } });
}

export async function finishAbTest(db: Db, id: string, results: AbResults): Promise<void> {
  await db.abTest.update({
    where: { id },
    data: {
      status: "SUCCEEDED",
      progress: 1,
      progressText: null,
      finishedAt: new Date(),
      totals: encodeTotals(results.totals),
      analysis: JSON.stringify(results.analysis),
      ope: results.ope ? JSON.stringify(results.ope) : null,
      positionCtr: results.positionCtr ? JSON.stringify(results.positionCtr) : null,
      simulation: results.simulation ? JSON.stringify(results.simulation) : null,
    },
  });
}

/** Marks a test FAILED (with the user-facing message) or CANCELLED; a deleted test is ignored. */
export async function settleAbTest(db: Db, id: string, status: "FAILED" | "CANCELLED", error: string | null): Promise<void> {
  await db.abTest.updateMany({ where: { id, status: { in: ["QUEUED", "RUNNING"] } }, data: { status, error, finishedAt: new Date(), progressText: null } });
}

/** True when `modelId` or its display name names the ground truth's model family (e.g. "ease", "WMF-ALS" for "ALS"). */
export function isSelfGraded(family: string, names: readonly string[]): boolean {
  const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, " ").trim();
  const f = norm(family);
  if (!f) return false;
  return names.some((name) => ` ${norm(name)} `.includes(` ${f} `));
}
