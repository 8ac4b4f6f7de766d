import Link from "next/link";
import { notFound } from "next/navigation";
import { MetricsTable } from "../../../_components/runs/metrics-table";
import { AppError } from "@/lib/errors";
import { metricLabel } from "@/lib/metrics/registry";
import { getModelCard } from "@/lib/server/get-model-card";
import { requirePagePrincipal } from "@/lib/server/page-auth";
import { formatMetric } from "@/lib/util/format";

export const dynamic = "force-dynamic";

export default async function ModelCardPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const principal = await requirePagePrincipal("report:read");
  const card = await getModelCard(id, principal).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
    throw error;
  });
  const { run, model, dataset, groups } = card;
  const { params: hyper, ...settings } = run.config as { params?: Record<string, unknown> } & Record<string, unknown>;
  return (
    <>
      <div className="page-head">
        <div>
          <h1 data-testid="model-card-title">Model card: {run.name}</h1>
          <div className="sub"><Link href={`/runs/${id}`}>run</Link> · <Link href={`/runs/${id}/bias`}>bias report</Link> · <Link href={`/datasets/${dataset.id}/sheet`}>data sheet</Link></div>
        </div>
      </div>
      <div className="panel" data-testid="model-card-model">
        <h2>Model</h2>
        <p><strong>{model.name}</strong> ({model.id}) — {model.summary}</p>
        {model.paper ? (
          <p>Paper: {model.paper.authors}, “{model.paper.url ? <a href={model.paper.url}>{model.paper.title}</a> : model.paper.title}”, {model.paper.venue} {model.paper.year}.</p>
        ) : <p className="muted">No paper reference.</p>}
        <p>Learns from {model.feedback} feedback · computed by {model.engine === "tfjs" ? "TensorFlow.js" : "typed-array JavaScript"} · backend <code>{run.backend ?? "–"}</code>{run.result?.fit.threads ? ` · ${run.result.fit.threads} training thread${run.result.fit.threads === 1 ? "" : "s"}` : ""}</p>
      </div>
      <div className="panel">
        <h2>Data and split</h2>
        <p><Link href={`/datasets/${dataset.id}`}>{dataset.name}</Link>: {dataset.numUsers} users, {dataset.numItems} items, {dataset.numInteractions} interactions ({dataset.feedback} feedback).</p>
        <p>Split: {card.split}.</p>
      </div>
      <div className="panel">
        <h2>Metrics on test</h2>
        {run.result ? <div className="table-scroll"><MetricsTable metrics={run.result.test} /></div> : <p className="muted">The run has not finished.</p>}
        {groups ? (
          <>
            <h3 style={{ marginTop: 12 }}>{metricLabel(groups.headline)} per user group ({groups.groupBy || "all users"})</h3>
            <div className="table-scroll">
              <table className="data" data-testid="model-card-groups">
                <thead><tr><th>Group</th><th className="num">Users</th><th className="num">{metricLabel(groups.headline)}</th><th>95% CI</th></tr></thead>
                <tbody>
                  {groups.groupMetrics.groups.map((g) => {
                    const ci = g.metrics[groups.headline];
                    return (
                      <tr key={g.group}><td>{g.group}</td><td className="num">{g.n}</td><td className="num">{ci ? formatMetric(ci.estimate) : "–"}</td><td className="mono">{ci ? `[${formatMetric(ci.low)}, ${formatMetric(ci.high)}]` : g.status === "empty" ? "no users" : `under ${groups.groupMetrics.minSize} users`}</td></tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </>
        ) : null}
      </div>
      <div className="panel">
        <h2>Known limitations</h2>
        <ul className="sentences" data-testid="model-card-limitations">{card.limitations.map((l) => <li key={l}>{l}</li>)}</ul>
      </div>
      <div className="panel">
        <h2>Training settings</h2>
        <div className="table-scroll">
          <table className="data">
            <tbody>
              {Object.entries({ ...settings, ...(hyper ?? {}) }).filter(([k]) => k !== "modelId").map(([k, v]) => (
                <tr key={k}><td>{k}</td><td className="mono">{typeof v === "object" ? JSON.stringify(v) : String(v)}</td></tr>
              ))}
              {run.result ? <tr><td>fit</td><td className="mono">{run.result.fit.seconds.toFixed(1)} s, best epoch {run.result.fit.bestEpoch} of {run.result.fit.epochsRun}{run.result.fit.stoppedEarly ? ", stopped early" : ""}</td></tr> : null}
            </tbody>
          </table>
        </div>
      </div>
    </>
  );
}
