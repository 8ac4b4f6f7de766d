import { randomUUID } from "node:crypto";
import { downsample, type MetricPoint, type NewRun, type RunMetrics, type RunRecord, type TrackingStore } from "./types";

/** In-memory tracking store for fast tests and headless benchmark runs. */
export class MemoryTrackingStore implements TrackingStore {
  private readonly runs = new Map<string, RunRecord>();
  private readonly history = new Map<string, Map<string, Map<number, number>>>();
  private readonly artifacts = new Map<string, Uint8Array>();

  async createRun(run: NewRun): Promise<RunRecord> {
    const record: RunRecord = {
      id: randomUUID(), ...run, status: "QUEUED", progress: 0, progressText: null, backend: null,
      metrics: null, error: null, jobId: null, createdAt: new Date(), startedAt: null, finishedAt: null,
    };
    this.runs.set(record.id, record);
    return { ...record };
  }

  async getRun(id: string): Promise<RunRecord | null> {
    const run = this.runs.get(id);
    return run ? { ...run } : null;
  }

  async attachJob(runId: string, jobId: string): Promise<void> {
    this.update(runId, { jobId });
  }

  async markRunning(runId: string, backend: string): Promise<void> {
    this.update(runId, { status: "RUNNING", backend, startedAt: new Date(), error: null, progress: 0 });
  }

  async setProgress(runId: string, progress: number, text: string): Promise<void> {
    this.update(runId, { progress, progressText: text });
  }

  async logBatch(runId: string, points: MetricPoint[]): Promise<void> {
    const byKey = this.history.get(runId) ?? new Map<string, Map<number, number>>();
    this.history.set(runId, byKey);
    for (const p of points) {
      const series = byKey.get(p.key) ?? new Map<number, number>();
      byKey.set(p.key, series);
      series.set(p.step, p.value);
    }
  }

  logMetric(runId: string, key: string, step: number, value: number): Promise<void> {
    return this.logBatch(runId, [{ key, step, value }]);
  }

  async getMetricHistory(runId: string, options: { keys?: string[]; maxPoints?: number } = {}) {
    const out: Record<string, { step: number; value: number }[]> = {};
    for (const [key, series] of this.history.get(runId) ?? []) {
      if (options.keys && !options.keys.includes(key)) continue;
      const points = [...series].map(([step, value]) => ({ step, value })).sort((a, b) => a.step - b.step);
      out[key] = options.maxPoints ? downsample(points, options.maxPoints) : points;
    }
    return out;
  }

  async finishRun(runId: string, metrics: RunMetrics, status: "SUCCEEDED" | "CANCELLED" = "SUCCEEDED"): Promise<void> {
    this.update(runId, { status, metrics, progress: 1, finishedAt: new Date(), error: null });
  }

  async failRun(runId: string, status: "FAILED" | "CANCELLED", error: string | null): Promise<void> {
    this.update(runId, { status, error, finishedAt: new Date() });
  }

  async resetRun(runId: string): Promise<void> {
    this.history.delete(runId);
    this.update(runId, { status: "QUEUED", progress: 0, progressText: null, metrics: null, startedAt: null, finishedAt: null });
  }

  async saveArtifact(runId: string, kind: string, data: Uint8Array): Promise<void> {
    this.artifacts.set(`${runId}/${kind}`, Uint8Array.from(data));
  }

  async getArtifact(runId: string, kind: string): Promise<Uint8Array | null> {
    return this.artifacts.get(`${runId}/${kind}`) ?? null;
  }

  private update(runId: string, patch: Partial<RunRecord>): void {
    const run = this.runs.get(runId);
    if (!run) throw new Error(`run ${runId} does not exist`);
    this.runs.set(runId, { ...run, ...patch });
  }
}
