"use client";
import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { isBaselineModel } from "@/lib/experiments/baseline";
import { changeTone, TONE_CLASS, TONE_WORDS } from "@/lib/metrics/direction";
import { metricLabel } from "@/lib/metrics/registry";
import type { RunBaselineView, RunDetail } from "@/lib/server/dto";
import { formatMetric } from "@/lib/util/format";
import { fetchJson, sendJson } from "../ui/fetch-json";

/**
 * A finished ranking run beside the strongest simple baseline (ItemKNN or EASE) on its dataset,
 * with the paired significance sentence; when there is none, an offer to launch one on the same
 * split, so no model is read without its baseline.
 */
export function BaselinePanel({ run, mayLaunch }: { run: RunDetail; mayLaunch: boolean }) {
  const router = useRouter();
  const { data } = useQuery({
    queryKey: ["run-baseline", run.id],
    queryFn: () => fetchJson<{ baseline: RunBaselineView }>(`/api/runs/${run.id}/baseline`),
    // The paired test reads both runs' per-user values (seconds at 100,000+ users): not again on every
    // window focus; a new baseline run shows on the next visit.
    staleTime: 5 * 60_000,
  });
  const launch = useMutation({
    mutationFn: (modelId: string) =>
      sendJson<{ id: string }>("/api/runs", { datasetId: run.datasetId, config: { modelId, split: run.config.split, ks: run.config.ks, monitor: run.config.monitor } }),
    onSuccess: ({ id }) => router.push(`/runs/${id}`),
  });
  const view = data?.baseline;
  if (!view || view.unavailable || view.runValue === null) return null;
  const label = metricLabel(view.metric);
  const { baseline, suggestion } = view;
  const runValue = `${label} ${formatMetric(view.runValue)}`;
  const tone = baseline ? changeTone(view.metric, view.runValue - baseline.value, view.significant) : "neutral";
  return (
    <div className="panel" data-testid="baseline-panel">
      <h2>Against the strongest simple baseline</h2>
      {baseline ? (
        <>
          <p>
            This run: {label} <strong className={TONE_CLASS[tone]} title={TONE_WORDS[tone]}>{formatMetric(view.runValue)}</strong> ·{" "}
            <BaselineName {...baseline} />: {formatMetric(baseline.value)} ·{" "}
            <Link href={`/compare?runs=${run.id},${baseline.runId}`}>compare</Link>
          </p>
          {view.sentence ? <p className="muted" data-testid="baseline-sentence">{view.sentence}.</p> : null}
        </>
      ) : (
        <>
          <p data-testid="baseline-missing">
            {isBaselineModel(run.modelId)
              ? `No other simple baseline (ItemKNN or EASE) on this dataset yet: ${runValue} has no other baseline to be compared with.`
              : `No ItemKNN or EASE run on this dataset yet: ${runValue} has no simple baseline to be judged against.`}
          </p>
          {suggestion && mayLaunch ? (
            <button type="button" className="secondary" onClick={() => launch.mutate(suggestion.modelId)} disabled={launch.isPending}>
              {launch.isPending ? "Launching…" : `Launch ${suggestion.modelName} on the same split`}
            </button>
          ) : null}
          {launch.isError ? <p className="alert error" role="alert">{(launch.error as Error).message}</p> : null}
        </>
      )}
    </div>
  );
}

/** The baseline run's link, after its model's name unless the run's name already starts with it (default names do). */
function BaselineName({ modelName, name, runId }: { modelName: string; name: string; runId: string }) {
  const link = <Link href={`/runs/${runId}`}>{name}</Link>;
  return name.startsWith(modelName) ? link : <>{modelName} ({link})</>;
}
