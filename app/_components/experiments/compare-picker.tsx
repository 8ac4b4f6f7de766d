"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { RunSummary } from "@/lib/server/dto";
import { formatMetric } from "@/lib/util/format";
import { MetricTerm } from "../ui/term";

/** "Compare with…" from a run page: the run is preselected; pick up to 11 finished runs of the same dataset to set beside it. */
export function ComparePicker({ base, candidates }: { base: RunSummary; candidates: RunSummary[] }) {
  const router = useRouter();
  const [picked, setPicked] = useState<string[]>([]);
  const toggle = (id: string, on: boolean) => setPicked((p) => (on ? [...p, id].slice(0, 11) : p.filter((x) => x !== id)));
  if (candidates.length === 0) {
    return <div className="empty" data-testid="compare-picker">No other finished run on {base.datasetName} to compare {base.name} with yet.</div>;
  }
  return (
    <form
      className="panel"
      data-testid="compare-picker"
      aria-label={`Pick runs to compare with ${base.name}`}
      onSubmit={(e) => {
        e.preventDefault();
        router.push(`/compare?runs=${[base.id, ...picked].join(",")}`);
      }}
    >
      <h2>Compare {base.name} with…</h2>
      <p className="muted">Finished runs on {base.datasetName}. Paired tests need the same split and users; the comparison says when they differ.</p>
      <div className="table-scroll">
        <table className="data">
          <thead>
            <tr><th><span className="visually-hidden">Pick</span></th><th>Run</th><th>Model</th><th className="num"><MetricTerm metricKey="ndcg@10" /></th></tr>
          </thead>
          <tbody>
            <tr>
              <td><input type="checkbox" checked disabled aria-label={`${base.name} (this run)`} /></td>
              <td>{base.name} <span className="tag">this run</span></td>
              <td>{base.modelName}</td>
              <td className="num">{formatMetric(base.metrics?.["ndcg@10"])}</td>
            </tr>
            {candidates.map((r) => (
              <tr key={r.id}>
                <td><input type="checkbox" aria-label={`compare with ${r.name}`} checked={picked.includes(r.id)} onChange={(e) => toggle(r.id, e.target.checked)} /></td>
                <td>{r.name}</td>
                <td>{r.modelName}</td>
                <td className="num">{formatMetric(r.metrics?.["ndcg@10"])}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <button type="submit" disabled={picked.length === 0}>Compare {picked.length + 1} runs</button>
    </form>
  );
}
