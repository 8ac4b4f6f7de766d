"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import type { RerankCurve } from "@/lib/fairness/rerank-run";
import { metricLabel } from "@/lib/metrics/registry";
import type { RerankView } from "@/lib/server/dto";
import { formatMetric } from "@/lib/util/format";
import { TradeOffChart, type TradeOffDatum } from "../charts/trade-off-chart";
import { fetchJson } from "../ui/fetch-json";
import { JobProgress } from "../ui/job-progress";

export const rerankQueryOptions = (runId: string) => ({
  queryKey: ["rerank", runId],
  queryFn: () => fetchJson<RerankView>(`/api/runs/${runId}/rerank-sweeps`),
});

type Verdict = TradeOffDatum["verdict"];

/** Better / worse than the base run on each axis, by the metric's direction. */
function compareToBase(value: number, base: number | undefined, higherIsBetter: boolean): -1 | 0 | 1 {
  if (base === undefined || !Number.isFinite(value) || Math.abs(value - base) < 1e-9) return 0;
  return (value > base) === higherIsBetter ? 1 : -1;
}

function verdictOf(dx: number, dy: number): Verdict {
  if (dx === 0 && dy === 0) return "base";
  if (dx >= 0 && dy >= 0) return "better";
  if (dx <= 0 && dy <= 0) return "worse";
  return "mixed";
}

const DELTA_CLASS = { 1: "delta-better", 0: "", [-1]: "delta-worse" } as const;

/**
 * Post-processing mitigations of a finished run: pick a re-ranker, sweep its λ as a background
 * job, read the accuracy vs beyond-accuracy trade-off, and save a point as a variant run.
 */
export function RerankSection({ runId, baseMetrics, mayRerank }: { runId: string; baseMetrics: Record<string, number>; mayRerank: boolean }) {
  const queryClient = useQueryClient();
  const { data, error } = useQuery(rerankQueryOptions(runId));
  const [rerankerId, setRerankerId] = useState("mmr");
  const [startedJobId, setJobId] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ["rerank", runId] });
  const sweep = useMutation({
    mutationFn: () => fetchJson<{ jobId: string }>(`/api/runs/${runId}/rerank-sweeps`, { method: "POST", body: JSON.stringify({ rerankerId }), headers: { "content-type": "application/json" } }),
    onSuccess: (r) => setJobId(r.jobId),
  });
  const save = useMutation({
    mutationFn: (lambda: number) =>
      fetchJson<{ runId: string }>(`/api/runs/${runId}/variants`, { method: "POST", body: JSON.stringify({ rerankerId, lambda }), headers: { "content-type": "application/json" } }),
    onSuccess: refresh,
  });

  if (error) return <div className="panel"><h2>Re-ranking</h2><div className="alert error">{error.message}</div></div>;
  if (!data) return <div className="panel"><h2>Re-ranking</h2><p className="muted">Loading…</p></div>;
  const reranker = data.rerankers.find((r) => r.id === rerankerId) ?? data.rerankers[0];
  // A sweep started here, or one of this re-ranker still running from before a reload.
  const jobId = startedJobId ?? data.active.find((a) => a.rerankerId === reranker.id)?.jobId ?? null;
  const curve: RerankCurve | undefined = data.curves.find((c) => c.rerankerId === reranker.id);
  const variants = data.variants.filter((v) => v.rerankerId === reranker.id);
  const saveLabel = (lambda: number) => {
    const saved = variants.find((v) => v.lambda === lambda);
    if (saved) return <Link href={`/runs/${saved.id}`} data-testid={`variant-${lambda}`}>{saved.name}</Link>;
    return mayRerank ? (
      <button type="button" className="secondary" onClick={() => save.mutate(lambda)} disabled={save.isPending} data-testid={`save-variant-${lambda}`}>Save as variant</button>
    ) : null;
  };

  return (
    <div className="panel" data-testid="rerank-section">
      <h2>Re-ranking</h2>
      <p className="muted">Post-processing mitigations on this run&apos;s stored top-100 candidates, without retraining. Each λ re-ranks every test user&apos;s list; λ = 0 is the run itself.</p>
      {data.blocker ? (
        <p className="muted" data-testid="rerank-blocker">Re-ranking is not available: {data.blocker}.</p>
      ) : (
        <div className="actions">
          <label>
            Re-ranker{" "}
            <select value={reranker.id} onChange={(e) => setRerankerId(e.target.value)} data-testid="reranker-picker">
              {data.rerankers.map((r) => (
                <option key={r.id} value={r.id} disabled={!r.available}>
                  {r.displayName}{r.available ? "" : " (needs item genres)"}
                </option>
              ))}
            </select>
          </label>
          {mayRerank && !jobId ? (
            <button type="button" onClick={() => sweep.mutate()} disabled={sweep.isPending || !reranker.available} data-testid="run-sweep">Run sweep</button>
          ) : null}
          {jobId ? <JobProgress jobId={jobId} testId="sweep-progress" onSucceeded={() => { setJobId(null); void refresh(); }} onDismiss={() => { setJobId(null); void refresh(); }} /> : null}
        </div>
      )}
      <p className="muted">{reranker.summary}</p>
      {sweep.error ? <div className="alert error">{sweep.error.message}</div> : null}
      {save.error ? <div className="alert error">{save.error.message}</div> : null}
      {save.data ? <div className="alert ok">Saved as a variant run: <Link href={`/runs/${save.data.runId}`}>open it</Link>, or compare it with this run in <Link href={`/compare?runs=${runId},${save.data.runId}`}>the comparison view</Link>.</div> : null}
      {curve ? <CurveView curve={curve} base={baseMetrics} higherIsBetter={data.higherIsBetter} onPick={mayRerank ? (l) => save.mutate(l) : undefined} action={saveLabel} /> : <p className="muted">No sweep of {reranker.displayName} yet.</p>}
    </div>
  );
}

function CurveView({ curve, base, higherIsBetter, onPick, action }: {
  curve: RerankCurve;
  base: Record<string, number>;
  higherIsBetter: Record<string, boolean>;
  onPick?: (lambda: number) => void;
  action: (lambda: number) => React.ReactNode;
}) {
  const rows = curve.points.map((p) => {
    const x = p.metrics[curve.x];
    const y = p.metrics[curve.y];
    const dx = compareToBase(x, base[curve.x], higherIsBetter[curve.x] ?? true);
    const dy = compareToBase(y, base[curve.y], higherIsBetter[curve.y] ?? true);
    return { lambda: p.lambda, x, y, dx, dy, verdict: verdictOf(dx, dy) };
  });
  return (
    <div className="grid two">
      <div>
        <TradeOffChart data={rows} x={curve.x} y={curve.y} onPick={onPick} />
        <p className="muted">{onPick ? "Click a point to save it as a variant run. " : ""}Green: better than the run on both axes; red: worse on both; amber: a trade.</p>
      </div>
      <table className="data" data-testid="trade-off-table">
        <thead>
          <tr>
            <th className="num">λ</th>
            <th className="num">{metricLabel(curve.y)}</th>
            <th className="num">{metricLabel(curve.x)}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.lambda}>
              <td className="num">{r.lambda}</td>
              <td className={`num ${DELTA_CLASS[r.dy]}`}>{formatMetric(r.y)}</td>
              <td className={`num ${DELTA_CLASS[r.dx]}`}>{formatMetric(r.x)}</td>
              <td>{action(r.lambda)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
