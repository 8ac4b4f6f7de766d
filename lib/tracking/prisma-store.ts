import { directBytesOf, type Db } from "../db/client";
import type { Run } from "../generated/sqlite/client";
import { runListColumns } from "./list-columns";
import { downsample, type MetricPoint, type NewRun, type RunMetrics, type RunRecord, type RunStatus, type TrackingStore } from "./types";

/** Tracking store on the application database (SQLite or PostgreSQL). */
export class PrismaTrackingStore implements TrackingStore {
  constructor(private readonly db: Db) {}

  async createRun(run: NewRun): Promise<RunRecord> {
    const row = await this.db.run.create({
      data: {
        name: run.name,
        datasetId: run.datasetId,
        modelId: run.modelId,
        config: JSON.stringify(run.config),
        ...runListColumns(run.config),
        teamId: run.teamId ?? "default",
        createdById: run.createdById ?? null,
      },
    });
    return toRunRecord(row);
  }

  async getRun(id: string): Promise<RunRecord | null> {
    const row = await this.db.run.findUnique({ where: { id } });
    return row ? toRunRecord(row) : null;
  }

  async attachJob(runId: string, jobId: string): Promise<void> {
    await this.db.run.update({ where: { id: runId }, data: { jobId } });
  }

  async markRunning(runId: string, backend: string): Promise<void> {
    await this.db.run.update({
      where: { id: runId },
      data: { status: "RUNNING", backend, startedAt: new Date(), error: null, progress: 0, progressText: "starting" },
    });
  }

  async setProgress(runId: string, progress: number, text: string): Promise<void> {
    await this.db.run.update({ where: { id: runId }, data: { progress, progressText: text } });
  }

  async logBatch(runId: string, points: MetricPoint[]): Promise<void> {
    if (points.length === 0) return;
    await this.db.$transaction(
      points.map((p) =>
        this.db.metricPoint.upsert({
          where: { runId_key_step: { runId, key: p.key, step: p.step } },
          create: { runId, key: p.key, step: p.step, value: p.value },
          update: { value: p.value },
        }),
      ),
    );
  }

  logMetric(runId: string, key: string, step: number, value: number): Promise<void> {
    return this.logBatch(runId, [{ key, step, value }]);
  }

  async getMetricHistory(
    runId: string,
    options: { keys?: string[]; maxPoints?: number } = {},
  ): Promise<Record<string, { step: number; value: number }[]>> {
    const rows = await this.db.metricPoint.findMany({
      where: { runId, ...(options.keys ? { key: { in: options.keys } } : {}) },
      orderBy: [{ key: "asc" }, { step: "asc" }],
      select: { key: true, step: true, value: true },
    });
    const series: Record<string, { step: number; value: number }[]> = {};
    for (const r of rows) (series[r.key] ??= []).push({ step: r.step, value: r.value });
    if (options.maxPoints) {
      for (const key of Object.keys(series)) series[key] = downsample(series[key], options.maxPoints);
    }
    return series;
  }

  async finishRun(runId: string, metrics: RunMetrics, status: "SUCCEEDED" | "CANCELLED" = "SUCCEEDED"): Promise<void> {
    await this.db.run.update({
      where: { id: runId },
      data: { status, metrics: JSON.stringify(metrics), progress: 1, progressText: status === "SUCCEEDED" ? "done" : "cancelled; best epoch evaluated", finishedAt: new Date(), error: null },
    });
  }

  async failRun(runId: string, status: "FAILED" | "CANCELLED", error: string | null): Promise<void> {
    // updateMany: a run deleted meanwhile (with its dataset) has nothing left to mark.
    await this.db.run.updateMany({ where: { id: runId }, data: { status, error, finishedAt: new Date() } });
  }

  async resetRun(runId: string): Promise<void> {
    await this.db.$transaction([
      this.db.metricPoint.deleteMany({ where: { runId } }),
      this.db.run.update({
        where: { id: runId },
        data: { status: "QUEUED", progress: 0, progressText: null, metrics: null, startedAt: null, finishedAt: null },
      }),
    ]);
  }

  async saveArtifact(runId: string, kind: string, data: Uint8Array): Promise<void> {
    const direct = directBytesOf(this.db);
    if (direct) return direct.putArtifact(runId, kind, data);
    const bytes = Uint8Array.from(data);
    await this.db.runArtifact.upsert({
      where: { runId_kind: { runId, kind } },
      create: { runId, kind, data: bytes },
      update: { data: bytes, createdAt: new Date() },
    });
  }

  async getArtifact(runId: string, kind: string): Promise<Uint8Array | null> {
    const direct = directBytesOf(this.db);
    if (direct) return direct.getArtifact(runId, kind);
    const row = await this.db.runArtifact.findUnique({ where: { runId_kind: { runId, kind } } });
    return row ? new Uint8Array(row.data) : null;
  }
}

export function toRunRecord(row: Run): RunRecord {
  return {
    id: row.id,
    name: row.name,
    datasetId: row.datasetId,
    modelId: row.modelId,
    config: JSON.parse(row.config) as Record<string, unknown>,
    status: row.status as RunStatus,
    progress: row.progress,
    progressText: row.progressText,
    backend: row.backend,
    metrics: row.metrics ? (JSON.parse(row.metrics) as RunMetrics) : null,
    error: row.error,
    jobId: row.jobId,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
  };
}
