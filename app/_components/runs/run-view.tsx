"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { describeTies } from "@/lib/datasets/describe-ties";
import { describeValidationSample } from "@/lib/training/validation-sample";
import { describeAuto, type AutoRecord } from "@/lib/experiments/auto-params";
import { fieldLabel } from "@/lib/util/field-labels";
import type { ReactNode } from "react";
import type { RunDetail } from "@/lib/server/dto";
import { LineChartCard } from "../charts/line-chart-card";
import { JsonBlock } from "../ui/json-block";
import { fetchJson } from "../ui/fetch-json";
import { ProgressBar } from "../ui/progress-bar";
import { QueuePanel } from "../ui/queue-panel";
import { Stat } from "../ui/stat";
import { StatusBadge } from "../ui/status-badge";
import { BaselinePanel } from "./baseline-panel";
import { CancelRunButton } from "./cancel-run-dialog";
import { CurvePicker } from "./curve-picker";
import { MetricsTable } from "./metrics-table";
import { RerankSection } from "./rerank-section";
import { UserPicker } from "./user-picker";
import { pollWithBackoff } from "@/app/_components/ui/poll-backoff";

type History = Record<string, { step: number; value: number }[]>;
const isOpen = (status?: string) => status === "QUEUED" || status === "RUNNING";

const pollRun = pollWithBackoff<{ run: RunDetail }>({ open: (d) => isOpen(d.run.status), eager: (d) => d.run.job?.cancelRequested === true });
const pollHistory = pollWithBackoff<{ history: History }>({ base: 1500 });

export const runQueryOptions = (id: string) => ({
  queryKey: ["run", id],
  queryFn: () => fetchJson<{ run: RunDetail }>(`/api/runs/${id}`),
  refetchInterval: pollRun,
});

/** Keyed by status too, so the final curve is fetched once more when the run ends. */
export const runHistoryOptions = (id: string, status: string) => ({
  queryKey: ["run-history", id, status],
  queryFn: () => fetchJson<{ history: History }>(`/api/runs/${id}/history`),
  refetchInterval: isOpen(status) ? pollHistory : (false as const),
  placeholderData: keepPreviousData,
});

/** What an empty chart of the run says: loading, waiting, never recorded (one-step fits), or ended early. */
function emptyCurveText(status: RunDetail["status"], loading: boolean): string {
  // Until the history arrives an empty chart says nothing about the model.
  if (loading) return "Loading the curve…";
  if (status === "SUCCEEDED") return "Not recorded for this model (fitted in one step, without epochs).";
  if (status === "CANCELLED" || status === "FAILED") return `The run ended (${status === "CANCELLED" ? "cancelled" : "failed"}) before its first epoch, or its one-step fit, finished: nothing to draw.`;
  return "No points yet.";
}

/** One run, live: progress, learning curves, then test metrics and the resolved configuration. */
export function RunView({ initialRun, mayCancel, mayRerank, mayInspectUsers = false, mayRerun = false, actions }: { initialRun: RunDetail; mayCancel: boolean; mayRerank: boolean; mayInspectUsers?: boolean; mayRerun?: boolean; actions?: ReactNode }) {
  const { data } = useQuery({ ...runQueryOptions(initialRun.id), initialData: { run: initialRun } });
  const run = data.run;
  const { data: historyData, isPending: historyLoading } = useQuery(runHistoryOptions(run.id, run.status));
  const history = historyData?.history ?? {};
  const monitor = typeof run.config.monitor === "string" ? run.config.monitor : "ndcg@10";
  const noCurveText = emptyCurveText(run.status, historyLoading);
  const lossSeries = history["train/loss"] ? [{ key: "train/loss", label: "training loss", points: history["train/loss"] }] : [];
  const phaseMarks = run.trainingPhases.map((p) => ({ step: p.fromEpoch, label: p.label }));
  // Explained under the loss chart once the curve reaches the phase change it steps at.
  const lastLossEpoch = history["train/loss"]?.at(-1)?.step ?? 0;
  const phasesReached = run.trainingPhases.filter((p) => p.fromEpoch <= lastLossEpoch);
  const result = run.result;
  return (
    <>
      <div className="page-head">
        <div>
          <h1 data-testid="run-name">{run.name}</h1>
          <div className="sub">
            {run.modelName} on <Link href={`/datasets/${run.datasetId}`}>{run.datasetName}</Link> · <StatusBadge status={run.status} />
            {run.backend ? <> · backend <code data-testid="run-backend">{run.backend}</code></> : null}
            {result?.fit.threads ? <> · <span data-testid="run-threads">{result.fit.threads === 1 ? "1 thread" : `${result.fit.threads} threads`}</span></> : null}
            {run.variantOf ? <> · re-ranked variant of <Link href={`/runs/${run.variantOf.runId}`} data-testid="variant-of">the base run</Link> (<Link href={`/compare?runs=${run.variantOf.runId},${run.id}`}>compare</Link>)</> : null}
            {run.status === "SUCCEEDED" ? <> · <Link href={`/runs/${run.id}/bias`} data-testid="run-bias-link">bias report</Link> · <Link href={`/runs/${run.id}/card`}>model card</Link></> : null}
          </div>
        </div>
        {isOpen(run.status) && mayCancel ? (
          <CancelRunButton runId={run.id} running={run.status === "RUNNING"} monitor={monitor} curve={history[`validation/${monitor}`]} />
        ) : null}
        {!isOpen(run.status) ? (
          <div className="actions" data-testid="run-actions">
            {result ? actions : null}
            {result ? <Link className="button secondary" href={`/compare?runs=${run.id}`}>Compare with…</Link> : null}
            {mayRerun ? <Link className="button secondary" href={`/runs/new?from=${run.id}`}>Re-run</Link> : null}
          </div>
        ) : null}
      </div>
      {isOpen(run.status) ? (
        <div className="panel" data-testid="run-progress">
          <ProgressBar value={run.progress} text={run.progressText ?? (run.status === "QUEUED" ? "waiting for a worker" : null)} />
          {run.job && run.job.attempts > 1 ? <p className="muted">attempt {run.job.attempts} of {run.job.maxAttempts}</p> : null}
          {run.status === "QUEUED" ? <QueuePanel targets={[`/runs/${run.id}`]} /> : null}
        </div>
      ) : null}
      {run.status === "FAILED" ? <div className="alert error" data-testid="run-error">{run.error ?? "The run failed."}</div> : null}
      {result?.split && result.split.ties.tiedUsers > 0 ? (
        <div className="alert" data-testid="split-ties">{describeTies(result.split.ties)}</div>
      ) : null}
      {result ? (
        <div className="stats">
          <Stat label="Fit time" value={`${result.fit.seconds.toFixed(1)} s`} />
          <Stat label="Best epoch" value={`${result.fit.bestEpoch} / ${result.fit.epochsRun}`} />
          {run.status === "CANCELLED" ? <Stat label="Cancelled" value="best epoch kept" /> : null}
          <Stat label="Evaluation" value={`${result.evaluation.seconds.toFixed(2)} s`} />
          <Stat label="Users evaluated" value={result.evaluation.users} />
          {Object.entries(result.fit.chosen ?? {}).map(([name, value]) => (
            <Stat key={name} label={`Chosen ${name}`} value={formatChosen(value)} />
          ))}
        </div>
      ) : null}
      <div className="grid two">
        <div className="panel">
          <h2>Learning curve (validation)</h2>
          {result?.fit.validationSample ? <p className="muted" data-testid="validation-sample">{describeValidationSample(result.fit.validationSample)}</p> : null}
          <CurvePicker history={history} monitor={monitor} emptyText={noCurveText} marks={phaseMarks} />
        </div>
        <div className="panel">
          <h2>Training loss</h2>
          <LineChartCard series={lossSeries} emptyText={noCurveText} marks={phaseMarks} />
          {phasesReached.map((p) => (
            <p key={p.fromEpoch} className="muted" data-testid="training-phase-note">{p.detail}</p>
          ))}
        </div>
      </div>
      {result && run.status === "SUCCEEDED" && !run.variantOf ? <BaselinePanel run={run} mayLaunch={mayRerun} /> : null}
      {result ? (
        <div className="grid two">
          <div className="panel">
            <h2>Test metrics</h2>
            <p className="muted">Full ranking over all items; training and validation items masked. Selected epoch: {result.fit.bestEpoch}.</p>
            <MetricsTable metrics={result.test} testId="test-metrics" />
          </div>
          <div className="panel">
            <h2>Validation metrics (selected epoch)</h2>
            <MetricsTable metrics={result.validation} testId="validation-metrics" />
          </div>
        </div>
      ) : null}
      {result && !run.variantOf ? <RerankSection runId={run.id} baseMetrics={result.test} mayRerank={mayRerank} /> : null}
      {result && !run.variantOf && mayInspectUsers ? (
        <div className="panel">
          <h2>One user&apos;s recommendations and why</h2>
          <UserPicker runId={run.id} />
        </div>
      ) : null}
      <div className="panel">
        <h2>Resolved configuration</h2>
        <p className="muted">Every default filled in, seed included: this reproduces the run.</p>
        <AutoChoices auto={run.config.auto as AutoRecord | undefined} />
        <JsonBlock value={run.config} label="Resolved configuration as JSON" />
      </div>
    </>
  );
}

/** The settings chosen from the dataset's shape because they were left on auto, with why. */
function AutoChoices({ auto }: { auto: AutoRecord | undefined }) {
  const lines = describeAuto(auto);
  if (lines.length === 0) return null;
  return (
    <ul data-testid="auto-choices">
      {lines.map((l) => (
        <li key={l.field}>
          <strong>{fieldLabel(l.field)}</strong> = {l.value} (auto): {l.reason}
        </li>
      ))}
    </ul>
  );
}

/** A setting the model chose while fitting, e.g. EASE's λ from its holdout search. */
function formatChosen(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(4);
}
