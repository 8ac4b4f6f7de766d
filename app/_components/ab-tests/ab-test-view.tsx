"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import type { ReactNode } from "react";
import { directionTone, TONE_FILL } from "@/lib/metrics/direction";
import type { AbTestDetail } from "@/lib/server/ab-test-views";
import type { AbAnalysis, OpeEstimate } from "@/lib/simulation/types";
import { IntervalBarChart } from "../charts/interval-bar-chart";
import { LineChartCard } from "../charts/line-chart-card";
import { fetchJson } from "../ui/fetch-json";
import { jobQueryOptions } from "../ui/job-progress";
import { ProgressBar } from "../ui/progress-bar";
import { StatusBadge } from "../ui/status-badge";
import { DeleteButton } from "../ui/delete-button";
import { formatAbValue, formatP } from "./format";
import { MetricTable } from "./metric-table";
import { PowerPlanner } from "./power-planner";
import { pollWithBackoff } from "@/app/_components/ui/poll-backoff";

const isOpen = (status: string) => status === "QUEUED" || status === "RUNNING";
const pollAbTest = pollWithBackoff<{ abTest: AbTestDetail }>({ open: (d) => isOpen(d.abTest.status) });

/**
 * The product-manager review of one A/B test: live progress while it runs, then the verdict in
 * words, the sample-ratio check, one row per metric (guardrails apart), the lift and CTR-by-position
 * charts, off-policy estimates beside the simulated truth, the simulator's assumptions and a planner.
 */
export function AbTestView({
  initial,
  mayDelete,
  exportMenu,
}: {
  initial: AbTestDetail;
  /** Analysts and admins: Delete, and Cancel while it runs. */
  mayDelete: boolean;
  /** The Export menu (server-rendered by the page), shown once the test has results. */
  exportMenu?: ReactNode;
}) {
  const { data } = useQuery({
    queryKey: ["ab-test", initial.id],
    queryFn: () => fetchJson<{ abTest: AbTestDetail }>(`/api/ab-tests/${initial.id}`),
    initialData: { abTest: initial },
    refetchInterval: pollAbTest,
  });
  const test = data.abTest;
  const job = useQuery({ ...jobQueryOptions(test.jobId ?? ""), enabled: Boolean(test.jobId) && isOpen(test.status) });
  const analysis = test.analysis;
  const queryClient = useQueryClient();
  const cancel = useMutation({
    mutationFn: () => fetchJson(`/api/jobs/${test.jobId}/cancel`, { method: "POST" }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ["ab-test", initial.id] }),
  });
  return (
    <>
      <div className="page-head">
        <div>
          <h1>{test.name}</h1>
          <div className="sub">
            {test.source === "simulated" ? "Simulated" : "Imported"} A/B test
            {test.datasetId ? <> on <Link href={`/datasets/${test.datasetId}`}>{test.datasetName}</Link></> : null}
            {" · "}
            {test.arms.map((a) => `${a.armId}: ${a.label}`).join(" vs ")} · <StatusBadge status={test.status} />
          </div>
        </div>
        <div className="actions">
          {test.analysis ? exportMenu : null}
          {mayDelete ? <DeleteButton url={`/api/ab-tests/${test.id}`} confirm={`Delete the A/B test "${test.name}"? This cannot be undone.`} then="/ab-tests" /> : null}
        </div>
      </div>

      {isOpen(test.status) ? (
        <div className="panel" data-testid="ab-progress">
          <h2>{test.status === "QUEUED" ? "Waiting for a worker" : "Running"}</h2>
          <div className="job-progress">
            <ProgressBar value={job.data?.job.progress ?? test.progress} text={job.data?.job.message ?? test.progressText ?? "waiting for a worker"} />
            {mayDelete && test.jobId ? (
              <button type="button" className="danger" onClick={() => cancel.mutate()} disabled={cancel.isPending || job.data?.job.cancelRequested}>
                {job.data?.job.cancelRequested ? "Cancelling…" : "Cancel"}
              </button>
            ) : null}
          </div>
        </div>
      ) : null}
      {test.status === "FAILED" ? <div className="alert error" role="alert">This test failed: {test.error}</div> : null}
      {test.status === "CANCELLED" ? <div className="alert warn">This test was cancelled.</div> : null}

      {analysis ? <Results test={test} analysis={analysis} /> : null}
    </>
  );
}

function Results({ test, analysis }: { test: AbTestDetail; analysis: AbAnalysis }) {
  const label = (armId: string) => analysis.arms.find((a) => a.armId === armId)?.label ?? armId;
  const primary = analysis.metrics.filter((m) => !m.guardrail);
  const guardrails = analysis.metrics.filter((m) => m.guardrail);
  const selfGraded = test.simulation?.selfGradedArmIds ?? [];
  const ctr = analysis.metrics.find((m) => m.metricId === "ctr");
  const control = ctr?.arms.find((a) => a.armId === analysis.controlArmId)?.value ?? 0.05;
  const controlUsers = analysis.arms.find((a) => a.armId === analysis.controlArmId)?.users ?? null;
  const liftBars = analysis.metrics.flatMap((m) =>
    m.comparisons
      .filter((c) => Number.isFinite(c.lift))
      .map((c) => ({
        label: analysis.arms.length > 2 ? `${m.label} · ${c.armId}` : m.label,
        estimate: 100 * c.lift,
        low: 100 * c.liftCi[0],
        high: 100 * c.liftCi[1],
        fill: TONE_FILL[directionTone(m.higherIsBetter, c.lift, c.significant)],
      })),
  );
  return (
    <>
      <div className="panel">
        <h2>Verdict</h2>
        <ul className="sentences" data-testid="ab-verdict">
          {analysis.verdict.map((s, i) => <li key={i}>{s}</li>)}
        </ul>
        <SampleRatio analysis={analysis} />
        {selfGraded.length > 0 ? (
          <div className="alert warn" data-testid="ab-self-graded">
            Graded by itself: {selfGraded.map((id) => `${id} (${label(id)})`).join(", ")} {selfGraded.length === 1 ? "is" : "are"} of the ground truth&apos;s model family ({test.simulation?.groundTruthFamily}), so the simulator favours {selfGraded.length === 1 ? "it" : "them"}. Read {selfGraded.length === 1 ? "its" : "their"} lift with care.
          </div>
        ) : null}
      </div>

      <div className="panel">
        <h2>Metrics</h2>
        <p className="muted">Users are the unit: each was randomised to one arm. p-values are Holm-adjusted across every metric and arm; green and red mark significant changes for the better and the worse, by each metric&apos;s direction.</p>
        <MetricTable analysis={analysis} rows={primary} caption="Primary metrics" testId="ab-metrics" />
        <MetricTable analysis={analysis} rows={guardrails} caption="Guardrail metrics (must not get worse)" testId="ab-guardrails" />
      </div>

      <div className="grid two">
        <div className="panel" data-testid="ab-lift-chart">
          <h2>Lift against {analysis.controlArmId} (%, 95% CI)</h2>
          <IntervalBarChart bars={liftBars} valueLabel="lift (%)" baseline={0} />
        </div>
        {test.positionCtr ? (
          <div className="panel" data-testid="ab-position-chart">
            <h2>CTR by position</h2>
            <LineChartCard xLabel="position" series={test.positionCtr.map((p) => ({ key: p.armId, label: `${p.armId}: ${label(p.armId)}`, points: p.ctr.map((value, k) => ({ step: k + 1, value })) }))} />
          </div>
        ) : null}
      </div>

      {test.ope && test.ope.length > 0 ? <OpeTable ope={test.ope} label={label} /> : null}

      {test.simulation ? (
        <div className="panel" data-testid="ab-assumptions">
          <h2>Simulator assumptions</h2>
          <p className="muted">The simulated shop behaves as follows; every number on this page follows from them. Ground truth model family: {test.simulation.groundTruthFamily}.</p>
          <div className="table-scroll">
            <table className="data">
              <tbody>
                {test.simulation.assumptions.map((a) => (
                  <tr key={a.label}><th scope="row">{a.label}</th><td className="wrap">{a.value}</td></tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      ) : null}

      <div className="panel">
        <h2>Power planner</h2>
        <PowerPlanner baselineRate={control} arms={analysis.arms.length} usersPerArm={controlUsers} />
      </div>
    </>
  );
}

function SampleRatio({ analysis }: { analysis: AbAnalysis }) {
  const { srm } = analysis;
  const split = analysis.arms.map((a, i) => `${a.armId} ${a.users.toLocaleString("en-US")} (expected ${Math.round(srm.expected[i] ?? 0).toLocaleString("en-US")})`).join(", ");
  return srm.mismatch ? (
    <div className="alert error" data-testid="ab-srm">Sample ratio mismatch (χ² = {srm.chiSquare.toFixed(2)}, p = {formatP(srm.pValue)}): users per arm {split}. The assignment is broken; do not trust these results.</div>
  ) : (
    <div className="alert ok" data-testid="ab-srm">Sample ratio as recorded (χ² = {srm.chiSquare.toFixed(2)}, p = {formatP(srm.pValue)}): users per arm {split}.</div>
  );
}

/** Below this mean importance weight the logging arm misses much of what the target shows. */
const MIN_SUPPORT = 0.8;

function OpeTable({ ope, label }: { ope: OpeEstimate[]; label: (armId: string) => string }) {
  const weak = [...new Map(ope.filter((e) => e.support !== undefined && e.support < MIN_SUPPORT).map((e) => [`${e.targetArmId}<${e.loggingArmId}`, e])).values()];
  return (
    <div className="panel" data-testid="ab-ope">
      <h2>Off-policy estimates of CTR</h2>
      <p className="muted">What each estimator predicts for an arm from another arm&apos;s logged impressions (its exploration gives the propensities), beside the arm&apos;s simulated online CTR: trust the estimator whose interval covers the truth and whose error is smallest before running an online test.</p>
      {weak.map((e) => (
        <div className="alert" key={`${e.targetArmId}<${e.loggingArmId}`} data-testid="ab-ope-support">
          Weak support ({e.support!.toFixed(2)}): the log of {label(e.loggingArmId)} rarely shows {label(e.targetArmId)}&apos;s items where {label(e.targetArmId)} shows them, so none of its estimates from that log can be trusted. Raise {label(e.loggingArmId)}&apos;s exploration, or log with a policy closer to the target.
        </div>
      ))}
      <div className="table-scroll">
        <table className="data">
          <thead>
            <tr><th>Target arm</th><th>From the log of</th><th>Estimator</th><th className="num">Estimate</th><th className="num">95% CI</th><th className="num">Simulated truth</th><th className="num">Error</th></tr>
          </thead>
          <tbody>
            {ope.map((e, i) => {
              const covers = e.truth !== null && e.ci[0] <= e.truth && e.truth <= e.ci[1];
              return (
                <tr key={i}>
                  <td>{e.targetArmId}: {label(e.targetArmId)}</td>
                  <td>{e.loggingArmId}: {label(e.loggingArmId)}</td>
                  <td>{e.estimator}</td>
                  <td className="num">{formatAbValue("ctr", e.value)}</td>
                  <td className="num">{formatAbValue("ctr", e.ci[0])} to {formatAbValue("ctr", e.ci[1])}</td>
                  <td className="num">{e.truth === null ? "–" : formatAbValue("ctr", e.truth)}</td>
                  <td className={`num ${e.truth === null ? "" : covers ? "tone-better" : "tone-worse"}`}>{e.truth === null || e.truth === 0 ? "–" : `${((100 * (e.value - e.truth)) / e.truth).toFixed(1)}%`}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
