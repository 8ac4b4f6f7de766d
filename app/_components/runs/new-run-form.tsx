"use client";
import { useRouter } from "next/navigation";
import { useMemo, useState, type FormEvent } from "react";
import { estimateRunMemory, formatBytes } from "@/lib/models/memory";
import type { RunPrefill } from "@/lib/experiments/run-prefill";
import type { DatasetSummary } from "@/lib/server/dto";
import type { ModelInfo } from "@/lib/server/list-models";
import { sendJson } from "../ui/fetch-json";
import { DatasetModelFields } from "./dataset-model-fields";
import { autoDefaultsFor, type AutoChoice } from "@/lib/models/defaults/adaptive";
import { datasetShape } from "@/lib/experiments/auto-params";
import { AutoToggle, ParamField } from "./param-field";
import { defaultSplitDraft, draftFromSplit, splitBlocker, SplitFields, splitFromDraft } from "./split-fields";
import { TimeEstimate } from "./time-estimate";

const defaultsOf = (model?: ModelInfo) => Object.fromEntries((model?.params ?? []).map((p) => [p.name, p.default]));

/** The launch form: dataset, model, hyperparameters (generated from the model's schema), split. */
export function NewRunForm({ datasets, models, initialDatasetId, prefill }: { datasets: DatasetSummary[]; models: ModelInfo[]; initialDatasetId?: string; prefill?: RunPrefill }) {
  const router = useRouter();
  const [datasetId, setDatasetId] = useState(prefill?.datasetId ?? initialDatasetId ?? datasets[0]?.id ?? "");
  const [modelId, setModelId] = useState(prefill?.modelId ?? models.find((m) => m.id === "bpr")?.id ?? models[0]?.id ?? "");
  const model = useMemo(() => models.find((m) => m.id === modelId), [models, modelId]);
  const [params, setParams] = useState<Record<string, unknown>>(() => prefill?.params ?? defaultsOf(model));
  const [name, setName] = useState(prefill?.name ?? "");
  const [splitDraft, setSplitDraft] = useState(() => (prefill ? draftFromSplit(prefill.split) : defaultSplitDraft));
  const [seed, setSeed] = useState(prefill?.seed ?? 42);
  const [monitor, setMonitor] = useState(prefill?.monitor ?? "ndcg@10");
  const [patience, setPatience] = useState(prefill?.patience ?? 5);
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const dataset = datasets.find((d) => d.id === datasetId);
  // Settings with a dataset-adaptive default start on auto (a re-run keeps its recorded values).
  const choices = useMemo(() => (dataset && modelId ? autoDefaultsFor(modelId, datasetShape(dataset)) : { params: {}, run: {} }), [dataset, modelId]);
  const [autoOn, setAutoOn] = useState<Record<string, boolean>>({});
  const isAuto = (field: string) => autoOn[field] ?? !prefill;
  // Unticking auto starts the field from the auto value, so the user edits from what would have run.
  const autoControl = (field: string, choice: AutoChoice | undefined) =>
    choice
      ? {
          choice,
          on: isAuto(field),
          onToggle: (on: boolean) => {
            setAutoOn((a) => ({ ...a, [field]: on }));
            if (on) return;
            if (field === "patience") setPatience(Number(choice.value));
            else setParams((p) => ({ ...p, [field]: choice.value }));
          },
        }
      : undefined;
  const autoParams = Object.entries(choices.params).filter(([key]) => isAuto(key));
  // What the run will use: for estimates here; fields on auto are left out of the request.
  const effectiveParams = { ...params, ...Object.fromEntries(autoParams.map(([key, c]) => [key, c.value])) };
  const explicitParams = Object.fromEntries(Object.entries(params).filter(([key]) => !(key in choices.params && isAuto(key))));
  const patienceAuto = choices.run.patience && isAuto("patience") ? choices.run.patience : undefined;
  const effectivePatience = patienceAuto ? Number(patienceAuto.value) : patience;

  const chooseModel = (id: string) => {
    setModelId(id);
    const next = models.find((m) => m.id === id);
    setParams(defaultsOf(next));
    setMonitor(next?.feedback === "explicit" ? "rmse" : "ndcg@10");
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    const split = splitFromDraft(splitDraft);
    const problem = "error" in split ? split.error : splitBlocker(splitDraft, model);
    if (problem) {
      setError(problem);
      return;
    }
    setSubmitting(true);
    setError(null);
    try {
      const created = await sendJson<{ id: string }>("/api/runs", { datasetId, name: name || undefined, config: { modelId, params: explicitParams, split: "split" in split ? split.split : undefined, monitor, ...(patienceAuto ? {} : { patience }), seed } });
      router.push(`/runs/${created.id}`);
    } catch (e) {
      setError((e as Error).message);
      setSubmitting(false);
    }
  }

  if (datasets.length === 0) return <div className="empty">Import or generate a dataset first.</div>;
  return (
    <form onSubmit={submit} aria-label="Launch a run">
      {error ? <div className="alert error" role="alert">{error}</div> : null}
      <div className="row">
        <DatasetModelFields datasets={datasets} datasetId={datasetId} onDataset={setDatasetId} models={models} modelId={modelId} onModel={chooseModel} />
        <div className="field">
          <label htmlFor="run-name">Run name (optional)</label>
          <input id="run-name" type="text" value={name} onChange={(e) => setName(e.target.value)} placeholder={model ? `${model.displayName} on …` : ""} />
        </div>
      </div>
      <fieldset>
        <legend>Hyperparameters</legend>
        <div className="row">
          {model?.params.map((spec) => (
            <ParamField
              key={`${modelId}-${spec.name}`}
              spec={spec}
              value={params[spec.name]}
              onChange={(v) => setParams((p) => ({ ...p, [spec.name]: v }))}
              auto={autoControl(spec.name, choices.params[spec.name])}
            />
          ))}
        </div>
        {choices.run.evalEvery ? <p className="hint" data-testid="auto-evalEvery">Validation: {choices.run.evalEvery.reason}.</p> : null}
        <MemoryEstimate modelId={modelId} params={effectiveParams} dataset={dataset} />{" "}
        <TimeEstimate modelId={modelId} params={effectiveParams} patience={effectivePatience} dataset={dataset} />
      </fieldset>
      <fieldset>
        <legend>Split and evaluation</legend>
        <div className="row">
          <SplitFields draft={splitDraft} onChange={setSplitDraft} model={model} />
          <div className="field">
            <label htmlFor="seed">Seed</label>
            <input id="seed" type="number" step={1} value={seed} onChange={(e) => setSeed(Number(e.target.value))} />
          </div>
          <div className="field">
            <label htmlFor="monitor">Early-stopping metric (validation)</label>
            <select id="monitor" value={monitor} onChange={(e) => setMonitor(e.target.value)}>
              {["ndcg@10", "recall@10", "map@10", "hit@10", ...(model?.feedback === "explicit" ? ["rmse"] : [])].map((m) => <option key={m} value={m}>{m}</option>)}
            </select>
          </div>
          <div className="field">
            <label htmlFor="patience">Patience (evaluations)</label>
            <input id="patience" type="number" min={1} step={1} value={effectivePatience} disabled={Boolean(patienceAuto)} onChange={(e) => setPatience(Number(e.target.value))} />
            {choices.run.patience ? <AutoToggle name="patience" auto={autoControl("patience", choices.run.patience)!} /> : null}
          </div>
        </div>
      </fieldset>
      <button type="submit" disabled={submitting || !datasetId || !modelId}>{submitting ? "Launching…" : "Launch run"}</button>
    </form>
  );
}

/** The run's estimated peak memory (lib/models/memory.ts), computed here from the dataset's sizes. */
function MemoryEstimate({ modelId, params, dataset }: { modelId: string; params: Record<string, unknown>; dataset?: DatasetSummary }) {
  if (!dataset || !modelId) return null;
  const bytes = estimateRunMemory(modelId, params, dataset);
  return (
    <span className="hint" data-testid="memory-estimate">
      Estimated memory: about {formatBytes(bytes)} for {dataset.numItems.toLocaleString("en-US")} items. Workers refuse runs above their limit (RECLAB_MAX_MODEL_MEMORY_GB, default 80% of RAM).
    </span>
  );
}
