"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { betterFirst } from "@/lib/metrics/direction";
import { metricLabel } from "@/lib/metrics/registry";
import { formatMetric } from "@/lib/util/format";
import { sendJson } from "../ui/fetch-json";

type Curve = { step: number; value: number }[];

/** The best validation epoch so far on `monitor`, by the metric's direction. */
export function bestSoFar(curve: Curve | undefined, monitor: string): { step: number; value: number } | null {
  const finite = (curve ?? []).filter((p) => Number.isFinite(p.value));
  if (finite.length === 0) return null;
  const order = betterFirst(monitor);
  return finite.reduce((best, p) => (order(p.value, best.value) < 0 ? p : best));
}

/**
 * Cancel with confirmation: a modal dialog saying what is kept (the learning curve, the best
 * epoch's state) and offering to evaluate that epoch on test before the run stops.
 */
export function CancelRunButton({ runId, running, monitor, curve }: { runId: string; running: boolean; monitor: string; curve?: Curve }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const queryClient = useQueryClient();
  const [evaluateBest, setEvaluateBest] = useState(false);
  const cancel = useMutation({
    mutationFn: () => sendJson<{ status: string }>(`/api/runs/${runId}/cancel`, { evaluateBest }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ["run", runId] }),
  });
  const best = running ? bestSoFar(curve, monitor) : null;
  useEffect(() => {
    if (cancel.isSuccess) dialog.current?.close();
  }, [cancel.isSuccess]);

  if (cancel.isSuccess) {
    return <span className="badge CANCELLED" role="status" data-testid="cancelling">{cancel.data.status === "CANCELLED" ? "cancelled" : "cancelling…"}</span>;
  }
  return (
    <>
      <button type="button" className="danger" onClick={() => dialog.current?.showModal()}>Cancel run</button>
      <dialog ref={dialog} className="confirm-dialog" aria-labelledby={`cancel-title-${runId}`} data-testid="cancel-dialog">
        <h2 id={`cancel-title-${runId}`}>Cancel this run?</h2>
        {running ? (
          <>
            <p>Training stops within one batch (about a second). The unfinished epoch is dropped.</p>
            <p>Kept: the learning curve so far{best ? <> and the model of the best epoch, <strong>epoch {best.step}</strong> (validation {metricLabel(monitor)} {formatMetric(best.value)})</> : " (no epoch has finished yet, so there is no model to keep)"}.</p>
            <label className="check">
              <input type="checkbox" checked={evaluateBest} disabled={!best} onChange={(e) => setEvaluateBest(e.target.checked)} />
              Evaluate the best epoch on test before stopping (its test metrics stay with the cancelled run; takes as long as one evaluation)
            </label>
          </>
        ) : (
          <p>The run has not started: it is removed from the queue and nothing is trained.</p>
        )}
        {cancel.isError ? <p className="alert error" role="alert">{(cancel.error as Error).message}</p> : null}
        <div className="actions">
          <button type="button" className="danger" onClick={() => cancel.mutate()} disabled={cancel.isPending}>{cancel.isPending ? "Cancelling…" : "Cancel run"}</button>
          <button type="button" className="secondary" onClick={() => dialog.current?.close()} autoFocus>Keep running</button>
        </div>
      </dialog>
    </>
  );
}
