import "server-only";
import { decodeTotals } from "../ab-tests/totals-codec";
import type { SimulationFacts } from "../ab-tests/repository";
import type { AbSource } from "../ab-tests/spec";
import type { AbAnalysis, OpeEstimate } from "../simulation/types";
import type { LifecycleStatus } from "../util/lifecycle";

/** One row of the A/B list: what a reader needs to pick a test. */
export interface AbTestListItem {
  id: string;
  name: string;
  source: AbSource;
  status: LifecycleStatus;
  progress: number;
  progressText: string | null;
  datasetId: string | null;
  datasetName: string | null;
  arms: { armId: string; label: string }[];
  /** The first verdict sentence once analysed. */
  headline: string | null;
  srmMismatch: boolean | null;
  error: string | null;
  jobId: string | null;
  createdAt: string;
  finishedAt: string | null;
}

/** Everything the review page shows. */
export interface AbTestDetail extends AbTestListItem {
  config: Record<string, unknown>;
  analysis: AbAnalysis | null;
  ope: OpeEstimate[] | null;
  positionCtr: { armId: string; ctr: number[] }[] | null;
  simulation: SimulationFacts | null;
  /** Users per arm and totals, from the stored per-user blob. */
  totals: { armId: string; users: number; impressions: number; clicks: number; distinctItemsShown: number; catalogueSize: number }[] | null;
}

export const abTestListSelect = {
  id: true,
  name: true,
  source: true,
  status: true,
  progress: true,
  progressText: true,
  datasetId: true,
  config: true,
  analysis: true,
  error: true,
  jobId: true,
  createdAt: true,
  finishedAt: true,
  dataset: { select: { name: true } },
} as const;

interface ListRow {
  id: string;
  name: string;
  source: string;
  status: string;
  progress: number;
  progressText: string | null;
  datasetId: string | null;
  config: string;
  analysis: string | null;
  error: string | null;
  jobId: string | null;
  createdAt: Date;
  finishedAt: Date | null;
  dataset: { name: string } | null;
}

const parse = <T>(text: string | null): T | null => (text ? (JSON.parse(text) as T) : null);

export function toAbTestListItem(row: ListRow): AbTestListItem {
  const config = JSON.parse(row.config) as { arms?: { armId: string; label: string }[] };
  const analysis = parse<AbAnalysis>(row.analysis);
  const arms = config.arms?.map((a) => ({ armId: a.armId, label: a.label })) ?? analysis?.arms.map((a) => ({ armId: a.armId, label: a.label })) ?? [];
  return {
    id: row.id,
    name: row.name,
    source: row.source as AbSource,
    status: row.status as LifecycleStatus,
    progress: row.progress,
    progressText: row.progressText,
    datasetId: row.datasetId,
    datasetName: row.dataset?.name ?? null,
    arms,
    headline: analysis?.verdict[0] ?? null,
    srmMismatch: analysis ? analysis.srm.mismatch : null,
    error: row.error,
    jobId: row.jobId,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

export function toAbTestDetail(row: ListRow & { ope: string | null; positionCtr: string | null; simulation: string | null; totals: Uint8Array | null }): AbTestDetail {
  const totals = row.totals ? decodeTotals(row.totals) : null;
  const sum = (values: Float64Array) => values.reduce((a, b) => a + b, 0);
  return {
    ...toAbTestListItem(row),
    config: JSON.parse(row.config) as Record<string, unknown>,
    analysis: parse<AbAnalysis>(row.analysis),
    ope: parse<OpeEstimate[]>(row.ope),
    positionCtr: parse<{ armId: string; ctr: number[] }[]>(row.positionCtr),
    simulation: parse<SimulationFacts>(row.simulation),
    totals:
      totals?.map((t) => ({
        armId: t.armId,
        users: t.visits.length,
        impressions: sum(t.impressions),
        clicks: sum(t.clicks),
        distinctItemsShown: t.distinctItemsShown,
        catalogueSize: t.catalogueSize,
      })) ?? null,
  };
}
