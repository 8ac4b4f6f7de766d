import "server-only";
import { teamScope, type Principal } from "../auth/principal";
import { getDb } from "../db/client";
import { AppError, notFound } from "../errors";
import { targetIds, type ExportableTarget } from "../reports/report-target";

export interface ResolvedTarget {
  /** The team the report's facts belong to (one team: a report never mixes teams). */
  teamId: string;
  /** What the report is about, for lists ("run BPR-1", "comparison of 3 runs"). */
  label: string;
}

/**
 * Checks, cheaply and without building the report, that every id a target names exists and is
 * visible to the principal (other teams' ids are NOT_FOUND, as everywhere).
 */
export async function resolveReportTarget(target: ExportableTarget, principal: Principal): Promise<ResolvedTarget> {
  const db = getDb();
  const scope = teamScope(principal);
  const ids = targetIds(target);
  let rows: { id: string; name: string; teamId: string }[];
  let noun: string;
  switch (target.kind) {
    case "experiment":
      noun = "experiment";
      rows = await db.experiment.findMany({ where: { id: { in: ids }, ...scope }, select: { id: true, name: true, teamId: true } });
      break;
    case "dataset":
      noun = "dataset";
      rows = await db.dataset.findMany({ where: { id: { in: ids }, ...scope }, select: { id: true, name: true, teamId: true } });
      break;
    case "ab-test":
      noun = "A/B test";
      rows = await db.abTest.findMany({ where: { id: { in: ids }, ...scope }, select: { id: true, name: true, teamId: true } });
      break;
    default:
      noun = "run";
      rows = await db.run.findMany({ where: { id: { in: ids }, ...scope }, select: { id: true, name: true, teamId: true } });
  }
  const missing = ids.find((id) => !rows.some((r) => r.id === id));
  if (missing) throw notFound(`${noun} ${missing} does not exist`);
  const teams = new Set(rows.map((r) => r.teamId));
  if (teams.size > 1) throw new AppError("BAD_INPUT", "the runs belong to different teams; a report covers one team's runs");
  const first = rows.find((r) => r.id === ids[0])!;
  const label =
    target.kind === "comparison"
      ? `Comparison of ${ids.length} runs`
      : target.kind === "bias"
        ? `Bias report: ${first.name}`
        : target.kind === "dataset"
          ? `Data sheet: ${first.name}`
          : target.kind === "ab-test"
            ? `A/B test: ${first.name}`
            : `${noun[0].toUpperCase()}${noun.slice(1)}: ${first.name}`;
  return { teamId: first.teamId, label: label.slice(0, 200) };
}
