"use client";
import { useQuery } from "@tanstack/react-query";
import type { DatasetSummary } from "@/lib/server/dto";
import { estimateRunTime, type PastTiming } from "@/lib/training/cost-model";
import { formatEta } from "@/lib/util/format";
import { fetchJson } from "../ui/fetch-json";
import { Term } from "../ui/term";

/** "under 1 s" or "about 3 min 20 s": an estimate, never a promise. */
const about = (seconds: number) => (seconds < 1 ? "under 1 s" : `about ${formatEta(seconds)}`);
const upTo = (seconds: number) => formatEta(Math.max(1, seconds));

/**
 * Before launch: time per epoch and in total from the cost model (lib/training/cost-model.ts),
 * calibrated by earlier runs of the same model on the same dataset. With early stopping the total
 * is an upper bound, so it says "at most" and when the earliest stop could come.
 */
export function TimeEstimate({ modelId, params, patience, dataset }: { modelId: string; params: Record<string, unknown>; patience: number; dataset?: DatasetSummary }) {
  const { data } = useQuery({
    queryKey: ["run-timings", dataset?.id, modelId],
    queryFn: () => fetchJson<{ past: PastTiming[] }>(`/api/runs/timings?datasetId=${encodeURIComponent(dataset!.id)}&modelId=${encodeURIComponent(modelId)}`),
    enabled: Boolean(dataset && modelId),
    staleTime: 60_000,
  });
  if (!dataset || !modelId) return null;
  const e = estimateRunTime(modelId, params, dataset, { patience: Number.isFinite(patience) && patience >= 1 ? patience : 5, past: data?.past });
  const basis = e.calibratedOn > 0 ? `Calibrated on ${e.calibratedOn} earlier run${e.calibratedOn === 1 ? "" : "s"} of this model on this dataset.` : "From the model's cost and the dataset's size (no earlier run of this model here to calibrate it).";
  return (
    <span className="hint" data-testid="time-estimate" role="status">
      {e.closedForm ? (
        <>Estimated time: {about(e.secondsPerEpoch)} (one closed-form fit and evaluation). {basis}</>
      ) : (
        <>
          Estimated time: {about(e.secondsPerEpoch)} per epoch; at most {upTo(e.atMostSeconds)} for {e.maxEpochs} epochs —{" "}
          <Term id="early-stopping">early stopping</Term> can end it after {about(e.earliestStopSeconds)}. {basis}
        </>
      )}
    </span>
  );
}
