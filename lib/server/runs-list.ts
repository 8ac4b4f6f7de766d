import "server-only";
import { z } from "zod";
import { teamScope, type Principal } from "../auth/principal";
import { can } from "../auth/policy";
import { SPLIT_KINDS } from "../datasets/splits";
import { getDb } from "../db/client";
import type { ExperimentKind, ExperimentResult, RunRole } from "../experiments/experiment-spec";
import { mean, sampleStd } from "../stats/summary";
import { listModels } from "../models/registry";
import type { RunMetrics, RunStatus } from "../tracking/types";
import { LIFECYCLE_STATUSES } from "../util/lifecycle";
import type { RunsListExperiment, RunsListItem, RunsListPage, RunsListRun } from "./dto";
import { cursorCodec, parseQueryParams } from "./paging";
import { sharedRead, sharedReadKey } from "./shared-reads";

/**
 * The runs list: standalone runs and experiments (one folded row each, standing for all its
 * trials, folds or variants), filtered, sorted and paged in the database. With `experiment`, the
 * members of that experiment instead. Rows carry only listed columns: never configs or
 * per-user artefacts.
 */

export const RUNS_LIST_SORTS = ["created", "name", "status", "model", "dataset"] as const;
export const MAX_RUNS_PAGE = 100;

const optionalId = z.string().trim().min(1).max(200).optional();

export const runsListQuerySchema = z.object({
  scope: z.enum(["mine", "team"]).optional().describe("mine: runs you launched (default for analysts and admins); team: everyone's you may see (default for viewers)"),
  experiment: optionalId.describe("List the runs of this experiment (unfolded) instead of top-level rows"),
  dataset: optionalId.describe("Only runs on this dataset (id)"),
  datasetId: optionalId.describe("Same as dataset (kept for older clients)"),
  model: z
    .string()
    .trim()
    .optional()
    .refine((id) => id === undefined || listModels().some((m) => m.id === id), (id) => ({ message: `unknown model "${id}"` }))
    .describe("Only runs of this model (id, e.g. item-knn)"),
  split: z.enum(SPLIT_KINDS).optional().describe("Only runs on this split kind"),
  status: z
    .preprocess((v) => (typeof v === "string" ? v.toUpperCase() : v), z.enum(LIFECYCLE_STATUSES))
    .optional()
    .describe("Only runs (and experiments) in this status"),
  sort: z.enum(RUNS_LIST_SORTS).default("created").describe("Sort key"),
  order: z.enum(["asc", "desc"]).optional().describe("Sort order; default newest first for created, A→Z otherwise"),
  limit: z.coerce.number().int().min(1).max(MAX_RUNS_PAGE).default(25).describe(`Rows per page (at most ${MAX_RUNS_PAGE})`),
  cursor: z.string().max(200).optional().describe("nextCursor of the previous page"),
});

export type RunsListQuery = z.output<typeof runsListQuerySchema>;

/** Parses URL search params; a bad value is BAD_INPUT naming the parameter. */
export function parseRunsListQuery(params: URLSearchParams): RunsListQuery {
  return parseQueryParams(runsListQuerySchema, params);
}

/** How far each source has been consumed: standalone runs and experiments (offsets). */
const cursorSchema = z.object({ r: z.number().int().min(0), e: z.number().int().min(0) });
type Cursor = z.output<typeof cursorSchema>;

const cursors = cursorCodec(cursorSchema);
const decodeCursor = (cursor: string | undefined): Cursor => (cursor ? cursors.decode(cursor) : { r: 0, e: 0 });
const encodeCursor = cursors.encode;

const runSelect = {
  id: true,
  name: true,
  datasetId: true,
  modelId: true,
  splitKind: true,
  status: true,
  progress: true,
  progressText: true,
  metrics: true,
  error: true,
  jobId: true,
  experimentId: true,
  role: true,
  baseRunId: true,
  createdAt: true,
  dataset: { select: { name: true } },
} as const;

const experimentSelect = {
  id: true,
  name: true,
  kind: true,
  datasetId: true,
  modelId: true,
  splitKind: true,
  status: true,
  totalRuns: true,
  selectionMetric: true,
  summary: true,
  bestSoFar: true,
  createdAt: true,
  dataset: { select: { name: true } },
} as const;

type Sortable = { id: string; name: string; status: string; modelId: string; createdAt: Date; dataset: { name: string } };

function orderBy(sort: RunsListQuery["sort"], order: "asc" | "desc") {
  const key =
    sort === "created" ? { createdAt: order } : sort === "name" ? { name: order } : sort === "status" ? { status: order } : sort === "model" ? { modelId: order } : { dataset: { name: order } };
  return [key, { id: order }];
}

function sortValue(row: Sortable, sort: RunsListQuery["sort"]): string | number {
  if (sort === "created") return row.createdAt.getTime();
  if (sort === "name") return row.name;
  if (sort === "status") return row.status;
  if (sort === "model") return row.modelId;
  return row.dataset.name;
}

/** Merges two lists sorted the same way, taking at most `limit`; returns how many came from each. */
export function mergeSorted<A extends Sortable, B extends Sortable>(a: A[], b: B[], sort: RunsListQuery["sort"], order: "asc" | "desc", limit: number) {
  const sign = order === "asc" ? 1 : -1;
  const compare = (x: Sortable, y: Sortable) => {
    const vx = sortValue(x, sort), vy = sortValue(y, sort);
    const c = vx < vy ? -1 : vx > vy ? 1 : x.id < y.id ? -1 : x.id > y.id ? 1 : 0;
    return c * sign;
  };
  const out: (A | B)[] = [];
  let i = 0, j = 0;
  while (out.length < limit && (i < a.length || j < b.length)) {
    if (j >= b.length || (i < a.length && compare(a[i], b[j]) <= 0)) out.push(a[i++]);
    else out.push(b[j++]);
  }
  return { rows: out, fromA: i, fromB: j };
}

const modelName = (id: string) => listModels().find((m) => m.id === id)?.displayName ?? id;

/**
 * One page of the runs list as `principal` sees it. Every open dashboard polls this: concurrent
 * identical reads share one database read (lib/server/shared-reads.ts).
 */
export function listRunsPage(principal: Principal, query: RunsListQuery): Promise<RunsListPage> {
  const key = sharedReadKey("runs-list", principal.role, principal.teamId, principal.userId, query);
  return sharedRead(key, () => readRunsPage(principal, query));
}

async function readRunsPage(principal: Principal, query: RunsListQuery): Promise<RunsListPage> {
  const db = getDb();
  const cursor = decodeCursor(query.cursor);
  const order = query.order ?? (query.sort === "created" ? "desc" : "asc");
  const scope = query.scope ?? (can(principal.role, "run:create") ? "mine" : "team");
  const datasetId = query.dataset ?? query.datasetId;
  const shared = {
    ...teamScope(principal),
    ...(datasetId ? { datasetId } : {}),
    ...(query.model ? { modelId: query.model } : {}),
    ...(query.split ? { splitKind: query.split } : {}),
    ...(query.status ? { status: query.status } : {}),
  };
  // An experiment named in the URL is listed whoever launched it.
  const mine = scope === "mine" && !query.experiment ? { createdById: principal.userId } : {};
  const take = query.limit + 1;
  const [runs, experiments] = await Promise.all([
    db.run.findMany({
      where: { ...shared, ...mine, experimentId: query.experiment ?? null },
      select: runSelect,
      orderBy: query.experiment && query.sort === "created" && !query.order ? [{ trialIndex: "asc" }, { createdAt: "asc" }] : orderBy(query.sort, order),
      skip: cursor.r,
      take,
    }),
    query.experiment
      ? Promise.resolve([])
      : db.experiment.findMany({ where: { ...shared, ...mine }, select: experimentSelect, orderBy: orderBy(query.sort, order), skip: cursor.e, take }),
  ]);
  const merged = query.experiment
    ? { rows: runs.slice(0, query.limit), fromA: Math.min(runs.length, query.limit), fromB: 0 }
    : mergeSorted(runs, experiments, query.sort, order, query.limit);
  const more = merged.fromA < runs.length || merged.fromB < experiments.length;
  const pageRuns = merged.rows.filter((r): r is (typeof runs)[number] => "progress" in r);
  const pageExperiments = merged.rows.filter((r): r is (typeof experiments)[number] => "totalRuns" in r);
  const [runViews, experimentViews] = await Promise.all([toRunViews(pageRuns), toExperimentViews(pageExperiments)]);
  const byId = new Map<string, RunsListItem>([...runViews, ...experimentViews].map((v) => [`${v.type}:${v.id}`, v]));
  return {
    items: merged.rows.map((r) => byId.get(`${"totalRuns" in r ? "experiment" : "run"}:${r.id}`)!),
    nextCursor: more ? encodeCursor({ r: cursor.r + merged.fromA, e: cursor.e + merged.fromB }) : null,
  };
}

type RunRow = { id: string; name: string; datasetId: string; modelId: string; splitKind: string | null; status: string; progress: number; progressText: string | null; metrics: string | null; error: string | null; jobId: string | null; experimentId: string | null; role: string | null; baseRunId: string | null; createdAt: Date; dataset: { name: string } };

/** Open runs whose job ended for good without the run being updated show the queue's verdict. */
async function toRunViews(rows: RunRow[]): Promise<RunsListRun[]> {
  const open = rows.filter((r) => (r.status === "QUEUED" || r.status === "RUNNING") && r.jobId);
  const jobs = open.length
    ? await getDb().job.findMany({ where: { id: { in: open.map((r) => r.jobId!) } }, select: { id: true, status: true, error: true, progressMessage: true } })
    : [];
  const jobById = new Map(jobs.map((j) => [j.id, j]));
  return rows.map((row) => {
    const job = row.jobId ? jobById.get(row.jobId) : undefined;
    const jobEnded = job && (job.status === "FAILED" || job.status === "CANCELLED");
    const stored = row.metrics ? (JSON.parse(row.metrics) as RunMetrics) : null;
    const test = stored && Object.keys(stored.test).length > 0 ? stored.test : null;
    const validation = !test && stored && Object.keys(stored.validation ?? {}).length > 0 ? stored.validation : null;
    return {
      type: "run",
      id: row.id,
      name: row.name,
      datasetId: row.datasetId,
      datasetName: row.dataset.name,
      modelId: row.modelId,
      modelName: modelName(row.modelId),
      splitKind: row.splitKind,
      status: (jobEnded ? job.status : row.status) as RunStatus,
      progress: row.progress,
      progressText: job && !jobEnded ? (job.progressMessage ?? row.progressText) : row.progressText,
      metrics: test ?? validation,
      metricsSplit: test ? "test" : validation ? "validation" : null,
      error: jobEnded ? job.error : row.error,
      experimentId: row.experimentId,
      role: row.role as RunRole | null,
      baseRunId: row.baseRunId,
      createdAt: row.createdAt.toISOString(),
    };
  });
}

type ExperimentRow = { id: string; name: string; kind: string; datasetId: string; modelId: string; splitKind: string | null; status: string; totalRuns: number; selectionMetric: string; summary: string | null; bestSoFar: number | null; createdAt: Date; dataset: { name: string } };

/**
 * Folded rows: member counts by status (one grouped query) and the headline number. Finished
 * experiments read it from their summary (and a search's final run); an open search from its
 * row (`bestSoFar`, kept as trials finish: a search may have hundreds of members); an open
 * cross-validation from its succeeded folds' stored metrics (a handful).
 */
async function toExperimentViews(rows: ExperimentRow[]): Promise<RunsListExperiment[]> {
  if (rows.length === 0) return [];
  const db = getDb();
  const ids = rows.map((r) => r.id);
  const summaries = new Map(rows.filter((r) => r.summary).map((r) => [r.id, JSON.parse(r.summary!) as ExperimentResult]));
  const finalRunIds = [...summaries.values()].flatMap((s) => (s.kind === "search" ? [s.finalRunId] : []));
  const openCvIds = rows.filter((r) => !summaries.has(r.id) && r.kind === "cv").map((r) => r.id);
  const [counts, finals, members] = await Promise.all([
    db.run.groupBy({ by: ["experimentId", "status"], where: { experimentId: { in: ids }, role: { not: "final" } }, _count: { _all: true } }),
    finalRunIds.length ? db.run.findMany({ where: { id: { in: finalRunIds } }, select: { id: true, metrics: true } }) : Promise.resolve([]),
    openCvIds.length
      ? db.run.findMany({ where: { experimentId: { in: openCvIds }, status: "SUCCEEDED", role: { not: "final" } }, select: { experimentId: true, metrics: true } })
      : Promise.resolve([]),
  ]);
  const finalMetrics = new Map(finals.map((f) => [f.id, f.metrics ? (JSON.parse(f.metrics) as RunMetrics) : null]));
  return rows.map((row) => {
    const statusCounts: RunsListExperiment["statusCounts"] = {};
    for (const c of counts) if (c.experimentId === row.id) statusCounts[c.status as RunStatus] = c._count._all;
    const memberMetrics = members.filter((m) => m.experimentId === row.id && m.metrics).map((m) => JSON.parse(m.metrics!) as RunMetrics);
    return {
      type: "experiment",
      id: row.id,
      name: row.name,
      kind: row.kind as ExperimentKind,
      datasetId: row.datasetId,
      datasetName: row.dataset.name,
      modelId: row.modelId,
      modelName: modelName(row.modelId),
      splitKind: row.splitKind,
      status: row.status as RunStatus,
      totalRuns: row.totalRuns,
      statusCounts,
      best: headline(row, summaries.get(row.id) ?? null, finalMetrics, memberMetrics),
      createdAt: row.createdAt.toISOString(),
    };
  });
}

/** The number a folded experiment row shows; see RunsListExperiment.best. `members`: an open cross-validation's folds. */
export function headline(
  row: { kind: string; selectionMetric: string; totalRuns: number; bestSoFar: number | null },
  summary: ExperimentResult | null,
  finalMetrics: Map<string, RunMetrics | null>,
  members: RunMetrics[],
): RunsListExperiment["best"] {
  const metric = row.selectionMetric;
  if (summary?.kind === "search") {
    const folds = summary.foldMetrics?.[metric];
    if (folds) return { metric, value: folds.mean, sd: folds.std, split: "test", label: `selected configuration, mean of ${folds.folds.length} folds` };
    const test = finalMetrics.get(summary.finalRunId)?.test[metric];
    if (Number.isFinite(test)) return { metric, value: test!, sd: null, split: "test", label: "selected configuration" };
    return { metric, value: summary.bestValidation, sd: null, split: "validation", label: "best trial" };
  }
  if (summary?.kind === "cv") {
    const agg = summary.metrics[metric];
    return agg ? { metric, value: agg.mean, sd: agg.std, split: "test", label: `mean of ${agg.folds.length} folds` } : null;
  }
  if (summary?.kind === "ablation") {
    const value = summary.variants[0]?.metrics[metric];
    return Number.isFinite(value) ? { metric, value, sd: null, split: "test", label: "base configuration" } : null;
  }
  if (row.kind === "grid" || row.kind === "random") {
    return row.bestSoFar === null ? null : { metric, value: row.bestSoFar, sd: null, split: "validation", label: "best trial so far" };
  }
  if (row.kind === "cv") {
    const values = members.map((m) => m.test[metric]).filter((v) => Number.isFinite(v));
    if (values.length === 0) return null;
    return { metric, value: mean(values), sd: values.length > 1 ? sampleStd(values) : null, split: "test", label: `mean of ${values.length} of ${row.totalRuns} folds so far` };
  }
  return null;
}
