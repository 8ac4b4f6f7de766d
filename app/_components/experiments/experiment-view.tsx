"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useMemo, useState, type ReactNode } from "react";
import { EXPERIMENT_KIND_LABELS } from "@/lib/experiments/experiment-spec";
import { betterFirst, deltaTone, formatDelta, TONE_CLASS, TONE_FILL, TONE_WORDS } from "@/lib/metrics/direction";
import { isHigherBetter, metricLabel } from "@/lib/metrics/registry";
import type { ExperimentDetail, ExperimentRun } from "@/lib/server/dto";
import { formatEta, formatMetric } from "@/lib/util/format";
import { Heatmap } from "../charts/heatmap";
import { IntervalBarChart } from "../charts/interval-bar-chart";
import { ParallelCoordinates } from "../charts/parallel-coordinates";
import { fetchJson } from "../ui/fetch-json";
import { ProgressBar } from "../ui/progress-bar";
import { QueuePanel } from "../ui/queue-panel";
import { Stat } from "../ui/stat";
import { StatusBadge } from "../ui/status-badge";
import { SplitLabel } from "./split-label";
import { MetricTerm, Term } from "../ui/term";
import { JsonBlock } from "../ui/json-block";
import { pollWithBackoff } from "@/app/_components/ui/poll-backoff";

const isOpen = (status: string) => status === "QUEUED" || status === "RUNNING";
const formatParam = (v: unknown) => (typeof v === "number" && !Number.isInteger(v) ? Number(v.toPrecision(4)).toString() : String(v));

/** One experiment, live: progress, the leaderboard (validation vs test labelled), charts and the result. */
const pollExperiment = pollWithBackoff<{ experiment: ExperimentDetail }>({ open: (d) => isOpen(d.experiment.status) });

export function ExperimentView({ initialExperiment, mayCancel, actions }: { initialExperiment: ExperimentDetail; mayCancel: boolean; actions?: ReactNode }) {
  const queryClient = useQueryClient();
  const { data } = useQuery({
    queryKey: ["experiment", initialExperiment.id],
    queryFn: () => fetchJson<{ experiment: ExperimentDetail }>(`/api/experiments/${initialExperiment.id}`),
    initialData: { experiment: initialExperiment },
    refetchInterval: pollExperiment,
  });
  const e = data.experiment;
  const cancel = useMutation({
    mutationFn: () => fetchJson(`/api/experiments/${e.id}/cancel`, { method: "POST" }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ["experiment", e.id] }),
  });
  const search = e.kind === "grid" || e.kind === "random";
  return (
    <>
      <div className="page-head">
        <div>
          <h1 data-testid="experiment-name">{e.name}</h1>
          <div className="sub">
            {EXPERIMENT_KIND_LABELS[e.kind]} · {e.modelName} on <Link href={`/datasets/${e.datasetId}`}>{e.datasetName}</Link> · <StatusBadge status={e.status} />
          </div>
        </div>
        <div className="actions">
          {actions}
          {isOpen(e.status) && mayCancel ? (
            <button type="button" className="danger" onClick={() => cancel.mutate()} disabled={cancel.isPending}>Cancel experiment</button>
          ) : null}
        </div>
      </div>
      <div className="stats">
        <Stat label={search ? "Trials done" : "Runs done"} value={`${e.doneRuns} / ${e.totalRuns}`} />
        <Stat label="Running now" value={e.runningRuns} />
        <Stat label="ETA" value={e.etaSeconds === null ? "–" : formatEta(e.etaSeconds)} />
        {e.kind === "cv" ? (
          <>
            <Stat
              label={`${metricLabel(e.selectionMetric)} (test), mean of ${e.foldMean?.folds ?? 0} fold${e.foldMean?.folds === 1 ? "" : "s"}${e.foldMean && e.foldMean.folds < e.totalRuns ? ` of ${e.totalRuns} so far` : ""}`}
              value={e.foldMean ? `${formatMetric(e.foldMean.value)}${e.foldMean.sd !== null ? ` ± ${formatMetric(e.foldMean.sd)}` : ""}` : "–"}
            />
            <Stat label={`Best fold (test)`} value={e.best ? formatMetric(e.best.value) : "–"} />
          </>
        ) : (
          <Stat label={`Best ${metricLabel(e.selectionMetric)} so far (${e.best?.split ?? (search ? "validation" : "test")})`} value={e.best ? formatMetric(e.best.value) : "–"} />
        )}
      </div>
      {isOpen(e.status) ? (
        <div className="panel" data-testid="experiment-progress">
          <ProgressBar value={e.doneRuns / Math.max(1, e.totalRuns)} text={e.progressText} />
          {e.runningRuns === 0 ? <QueuePanel targets={e.runs.map((r) => `/runs/${r.id}`)} /> : null}
        </div>
      ) : null}
      {e.status === "FAILED" ? <div className="alert error" data-testid="experiment-error">{e.error ?? "The experiment failed."}</div> : null}
      {search ? <SearchResult experiment={e} /> : null}
      {e.kind === "cv" ? <CrossValidationResult experiment={e} /> : null}
      {e.kind === "ablation" ? <AblationResult experiment={e} /> : null}
      {!search ? <RunList runs={e.runs} /> : null}
      <div className="panel">
        <h2>Base configuration and plan</h2>
        <JsonBlock value={{ base: e.baseConfig, spec: e.spec }} label="Base configuration and plan as JSON" />
      </div>
    </>
  );
}

function SearchResult({ experiment: e }: { experiment: ExperimentDetail }) {
  const metric = e.selectionMetric;
  const higher = isHigherBetter(metric);
  const ranked = useMemo(() => {
    const value = (r: ExperimentRun) => r.validation?.[metric] ?? Number.NaN;
    const order = betterFirst(metric);
    return [...e.runs].sort((a, b) => order(value(a), value(b)) || a.trialIndex - b.trialIndex);
  }, [e.runs, metric]);
  const finished = ranked.filter((r) => r.status === "SUCCEEDED");
  const [picked, setPicked] = useState<string[] | null>(null);
  const selected = picked ?? finished.slice(0, 3).map((r) => r.id);
  const toggle = (id: string, on: boolean) => setPicked((p) => (on ? [...(p ?? selected), id] : (p ?? selected).filter((x) => x !== id)));
  const secondary = ["recall@10", "hit@10", "map@10"].filter((k) => k !== metric && e.runs.some((r) => r.validation?.[k] !== undefined));
  const [xName, yName] = e.varying;
  const final = e.finalRun;
  const bestTrialId = e.result?.kind === "search" ? e.result.bestTrialRunId : null;
  const bestTrial = e.runs.find((r) => r.id === bestTrialId);
  // A search whose trials were cross-validated reports the selected configuration over every test fold.
  const foldMean = e.result?.kind === "search" ? (e.result.foldMetrics?.[metric] ?? null) : null;
  return (
    <>
      {final ? (
        <div className="panel" data-testid="final-result">
          <h2>Selected configuration</h2>
          <p className="muted">
            Ranked on {metricLabel(metric)} <SplitLabel split="validation" />; the best trial was retrained ({e.result?.kind === "search" && e.result.finalFit === "train+validation" ? "on train + validation" : "on train, same seed"}) and evaluated on test once <SplitLabel split="test" />.
          </p>
          <div className="stats">
            <Stat label={`${metricLabel(metric)} · validation (trial ${(bestTrial?.trialIndex ?? final.trialIndex) + 1})`} value={formatMetric(bestTrial?.validation?.[metric])} />
            {foldMean ? (
              <Stat label={`${metricLabel(metric)} · test, mean of ${foldMean.folds.length} folds`} value={`${formatMetric(foldMean.mean)} ± ${formatMetric(foldMean.std)}`} />
            ) : (
              <Stat label={`${metricLabel(metric)} · test (final run)`} value={final.status === "SUCCEEDED" ? formatMetric(final.test?.[metric]) : final.status.toLowerCase()} />
            )}
          </div>
          <p>
            {Object.entries(final.params).map(([k, v]) => <span key={k} className="tag">{k}={formatParam(v)}</span>)}
          </p>
          <p><Link href={`/runs/${final.id}`} data-testid="final-run-link">Open the final run</Link> (test metrics, learning curve, resolved config)</p>
        </div>
      ) : null}
      <div className="panel">
        <div className="page-head" style={{ marginBottom: 8 }}>
          <h2>Leaderboard <SplitLabel split="validation" /></h2>
          <Link className={`button${selected.length < 2 ? " secondary" : ""}`} href={selected.length >= 2 ? `/compare?runs=${selected.join(",")}&metric=${encodeURIComponent(metric)}` : "#"} aria-disabled={selected.length < 2} data-testid="compare-trials">
            Compare {selected.length} selected
          </Link>
        </div>
        <table className="data" data-testid="leaderboard">
          <thead>
            <tr>
              <th />
              <th className="num">Rank</th>
              <th>Trial</th>
              {e.varying.map((p) => <th key={p}>{p}</th>)}
              <th className="num"><MetricTerm metricKey={metric} /> <SplitLabel split="validation" /></th>
              {secondary.map((k) => <th key={k} className="num"><MetricTerm metricKey={k} /> <SplitLabel split="validation" /></th>)}
              <th className="num"><Term id="best-epoch">Best epoch</Term></th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {ranked.map((r, i) => (
              <tr key={r.id} data-testid="leaderboard-row">
                <td><input type="checkbox" aria-label={`select trial ${r.trialIndex + 1}`} disabled={r.status !== "SUCCEEDED"} checked={selected.includes(r.id)} onChange={(ev) => toggle(r.id, ev.target.checked)} /></td>
                <td className="num">{r.status === "SUCCEEDED" ? i + 1 : "–"}</td>
                <td><Link href={`/runs/${r.id}`}>#{r.trialIndex + 1}</Link>{final && final.trialIndex === r.trialIndex ? <span className="tag" style={{ marginLeft: 6 }}>selected</span> : null}</td>
                {e.varying.map((p) => <td key={p}>{formatParam(r.params[p])}</td>)}
                <td className={`num${i === 0 && r.status === "SUCCEEDED" ? " best" : ""}`}>{formatMetric(r.validation?.[metric])}</td>
                {secondary.map((k) => <td key={k} className="num">{formatMetric(r.validation?.[k])}</td>)}
                <td className="num">{r.bestEpoch ?? "–"}</td>
                <td>{r.status === "RUNNING" ? <ProgressBar value={r.progress} text={r.progressText} /> : <StatusBadge status={r.status} />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="grid two">
        {e.varying.length === 2 ? (
          <div className="panel">
            <h2><MetricTerm metricKey={metric} /> over {xName} × {yName} <SplitLabel split="validation" /></h2>
            <Heatmap
              cells={e.runs.map((r) => ({ x: formatParam(r.params[xName]), y: formatParam(r.params[yName]), value: r.validation?.[metric] ?? null }))}
              xLabel={xName}
              yLabel={yName}
              valueLabel={metricLabel(metric)}
              higherIsBetter={higher}
            />
          </div>
        ) : null}
        {e.varying.length >= 1 ? (
          <div className="panel">
            <h2>Hyperparameters vs <MetricTerm metricKey={metric} /> <SplitLabel split="validation" /></h2>
            <ParallelCoordinates
              axes={e.varying}
              metricLabel={metricLabel(metric)}
              higherIsBetter={higher}
              lines={e.runs.map((r) => ({ id: r.id, label: `trial ${r.trialIndex + 1}`, values: r.params, metric: r.validation?.[metric] ?? null }))}
            />
          </div>
        ) : null}
      </div>
    </>
  );
}

function CrossValidationResult({ experiment: e }: { experiment: ExperimentDetail }) {
  if (e.result?.kind !== "cv") return null;
  const metrics = e.result.metrics;
  const folds = e.result.foldRunIds.length;
  return (
    <div className="panel">
      <h2><Term id="k-fold">Cross-validation</Term>: <Term id="std">mean ± std</Term> over {folds} folds <SplitLabel split="test" /></h2>
      <table className="data" data-testid="cv-table">
        <thead>
          <tr>
            <th>Metric</th>
            <th className="num">Mean ± std</th>
            {Array.from({ length: folds }, (_, i) => <th key={i} className="num">Fold {i + 1}</th>)}
          </tr>
        </thead>
        <tbody>
          {Object.entries(metrics).map(([key, agg]) => (
            <tr key={key}>
              <td><MetricTerm metricKey={key} /></td>
              <td className="num" data-metric={key}>{formatMetric(agg.mean)} ± {formatMetric(agg.std)}</td>
              {agg.folds.map((v, i) => <td key={i} className="num">{formatMetric(v)}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function AblationResult({ experiment: e }: { experiment: ExperimentDetail }) {
  if (e.result?.kind !== "ablation") return null;
  const [base, ...variants] = e.result.variants;
  const metric = e.selectionMetric in (base.metrics ?? {}) ? e.selectionMetric : Object.keys(base.metrics)[0];
  const keys = Object.keys(base.metrics).filter((k) => variants.some((v) => v.deltas[k]));
  return (
    <>
      <div className="panel">
        <h2>Δ <MetricTerm metricKey={metric} /> against the base, <Term id="bootstrap-ci">95% CI</Term> <SplitLabel split="test" /></h2>
        <p className="muted">Each variant minus the base over the same users, averaged over seeds {e.result.seeds.join(", ")}; whiskers are percentile bootstrap intervals of the per-user difference. Green bars are significantly better, red significantly worse, grey not significant.</p>
        <IntervalBarChart
          testId="ablation-delta-chart"
          baseline={0}
          valueLabel={`Δ ${metricLabel(metric)}`}
          bars={variants.map((v) => ({ label: v.name, estimate: v.deltas[metric]?.delta ?? 0, low: v.deltas[metric]?.low ?? null, high: v.deltas[metric]?.high ?? null, fill: TONE_FILL[deltaTone(metric, v.deltas[metric])] }))}
        />
      </div>
      <div className="panel">
        <h2>Every metric <SplitLabel split="test" /></h2>
        <table className="data" data-testid="ablation-table">
          <thead>
            <tr>
              <th>Variant</th>
              {keys.map((k) => <th key={k} className="num"><MetricTerm metricKey={k} /></th>)}
            </tr>
          </thead>
          <tbody>
            <tr>
              <td>base</td>
              {keys.map((k) => <td key={k} className="num">{formatMetric(base.metrics[k])}</td>)}
            </tr>
            {variants.map((v) => (
              <tr key={v.name}>
                <td>{v.name}</td>
                {keys.map((k) => {
                  const d = v.deltas[k];
                  const tone = deltaTone(k, d);
                  return (
                    <td key={k} className="num" title={d?.low !== null && d ? `${TONE_WORDS[tone]}: 95% CI [${formatMetric(d.low)}, ${formatMetric(d.high)}], Holm p = ${d.p?.toPrecision(2)}` : undefined}>
                      {formatMetric(v.metrics[k])} <span className={TONE_CLASS[tone]} data-tone={tone}>({d ? formatDelta(d.delta) : "–"})</span>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted">
          <span className={TONE_CLASS.better}>Green</span>: significantly better than the base, <span className={TONE_CLASS.worse}>red</span>: significantly worse, by each metric&apos;s direction (a lower RMSE, Gini or ARP is better); grey: no significant difference (paired t-test over users, Holm-corrected across variants, p &lt; 0.05).
        </p>
      </div>
    </>
  );
}

function RunList({ runs }: { runs: ExperimentRun[] }) {
  return (
    <div className="panel">
      <h2>Runs</h2>
      <table className="data" data-testid="experiment-runs">
        <thead>
          <tr>
            <th>Run</th>
            <th>Status</th>
            <th className="num"><MetricTerm metricKey="ndcg@10" /> <SplitLabel split="test" /></th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.id}>
              <td><Link href={`/runs/${r.id}`}>{r.name}</Link></td>
              <td>{r.status === "RUNNING" ? <ProgressBar value={r.progress} text={r.progressText} /> : <StatusBadge status={r.status} />}</td>
              <td className="num">{formatMetric(r.test?.["ndcg@10"])}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
