"use client";
import { DatasetModelFields } from "../runs/dataset-model-fields";
import { useRouter } from "next/navigation";
import { useMemo, useState, type FormEvent } from "react";
import type { ExperimentKind } from "@/lib/experiments/experiment-spec";
import type { DatasetSummary } from "@/lib/server/dto";
import type { ModelInfo } from "@/lib/server/list-models";
import { ParamField } from "../runs/param-field";
import { sendJson } from "../ui/fetch-json";
import { parseParamValue, SearchSpaceEditor, spaceFromDrafts, type RangeDraft } from "./search-space-editor";
import { defaultSplitDraft, splitBlocker, SplitFields, splitFromDraft } from "../runs/split-fields";
import { MAX_EXPERIMENT_RUNS } from "@/lib/experiments/experiment-spec";
import { parseList } from "@/lib/util/parse-list";

interface VariantDraft {
  name: string;
  param: string;
  value: string;
}

const defaultsOf = (model?: ModelInfo) => Object.fromEntries((model?.params ?? []).map((p) => [p.name, p.default]));
const KIND_HELP: Record<ExperimentKind, string> = {
  grid: "Every combination of the listed values. Trials are ranked on validation; the best configuration is retrained and evaluated on test once.",
  random: "Trials drawn from lists and (log-)uniform ranges with a seed. Selection on validation, one test evaluation of the winner.",
  cv: "k-fold cross-validation with per-user folds: every metric as mean ± std over folds.",
  ablation: "The base configuration and each variant (one component switched off or replaced), each with the same seeds; deltas with 95% CIs.",
};

/** The experiment form: dataset, model, base configuration, and the plan generated from the model's schema. */
export function NewExperimentForm({ datasets, models, initialDatasetId }: { datasets: DatasetSummary[]; models: ModelInfo[]; initialDatasetId?: string }) {
  const router = useRouter();
  const [datasetId, setDatasetId] = useState(initialDatasetId ?? datasets[0]?.id ?? "");
  const [modelId, setModelId] = useState(models.find((m) => m.id === "bpr")?.id ?? models[0]?.id ?? "");
  const model = useMemo(() => models.find((m) => m.id === modelId), [models, modelId]);
  const [params, setParams] = useState<Record<string, unknown>>(() => defaultsOf(model));
  const [kind, setKind] = useState<ExperimentKind>("grid");
  const [name, setName] = useState("");
  const [drafts, setDrafts] = useState<Record<string, RangeDraft>>({});
  const [trials, setTrials] = useState(20);
  const [searchSeed, setSearchSeed] = useState(0);
  const [folds, setFolds] = useState(5);
  const [variants, setVariants] = useState<VariantDraft[]>([]);
  const [seeds, setSeeds] = useState("42");
  const [splitDraft, setSplitDraft] = useState(defaultSplitDraft);
  const [searchFolds, setSearchFolds] = useState(1);
  const [searchSeeds, setSearchSeeds] = useState("");
  const [seed, setSeed] = useState(42);
  const [selectionMetric, setSelectionMetric] = useState("ndcg@10");
  const [finalFit, setFinalFit] = useState<"train" | "train+validation">("train");
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  const chooseModel = (id: string) => {
    setModelId(id);
    const next = models.find((m) => m.id === id);
    setParams(defaultsOf(next));
    setDrafts({});
    setVariants([]);
    setSelectionMetric(next?.feedback === "explicit" ? "rmse" : "ndcg@10");
  };
  const specs = model?.params ?? [];
  const search = kind === "grid" || kind === "random";
  const space = spaceFromDrafts(specs, drafts);
  const seedList = (text: string, label: string) => (text.trim() === "" ? { values: [], errors: [] } : parseList(text, "integer", label));
  const repeatSeeds = seedList(searchSeeds, "Seeds");
  const ablationSeeds = parseList(seeds, "integer", "Seeds");
  const split = splitFromDraft(splitDraft);
  // Every problem the form can see before asking the server, in the words of its labels.
  const problems = [
    ...(search ? [...space.errors, ...repeatSeeds.errors] : []),
    ...(kind === "ablation" ? ablationSeeds.errors : []),
    ...(kind !== "cv" ? ["error" in split ? split.error : splitBlocker(splitDraft, model)].filter((p): p is string => p !== null) : []),
  ];
  const configurations = kind === "grid" ? space.configurations : trials;
  const repeats = Math.max(1, searchFolds) * Math.max(1, repeatSeeds.values.length);
  const planned = search ? configurations * repeats : kind === "cv" ? folds : (variants.length + 1) * ablationSeeds.values.length;
  const plannedText = search && repeats > 1
    ? `${configurations} configuration${configurations === 1 ? "" : "s"}${searchFolds > 1 ? ` × ${searchFolds} folds` : ""}${repeatSeeds.values.length > 1 ? ` × ${repeatSeeds.values.length} seeds` : ""} = ${planned} runs planned`
    : `${planned} run${planned === 1 ? "" : "s"} planned`;

  function buildSpec(): Record<string, unknown> {
    const repeatsSpec = { folds: searchFolds, ...(repeatSeeds.values.length ? { seeds: repeatSeeds.values } : {}) };
    switch (kind) {
      case "grid":
        return { kind, space: space.space, ...repeatsSpec };
      case "random":
        return { kind, space: space.space, trials, seed: searchSeed, ...repeatsSpec };
      case "cv":
        return { kind, folds, seed };
      case "ablation":
        return {
          kind,
          seeds: ablationSeeds.values,
          variants: variants.map((v) => {
            const spec = specs.find((s) => s.name === v.param)!;
            return { name: v.name || `${v.param} = ${v.value}`, params: { [v.param]: parseParamValue(spec, v.value) } };
          }),
        };
    }
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (problems.length > 0) {
      setError(problems[0]);
      return;
    }
    if (planned > MAX_EXPERIMENT_RUNS) {
      setError(`This plan has ${planned} runs; at most ${MAX_EXPERIMENT_RUNS} per experiment`);
      return;
    }
    setSubmitting(true);
    setError(null);
    try {
      const created = await sendJson<{ id: string }>("/api/experiments", {
          datasetId,
          name: name || undefined,
          base: { modelId, params, monitor: selectionMetric, seed, ...(kind !== "cv" && "split" in split ? { split: split.split } : {}) },
          spec: buildSpec(),
          selectionMetric,
          ...(kind === "grid" || kind === "random" ? { finalFit } : {}),
        });
      router.push(`/experiments/${created.id}`);
    } catch (e) {
      setError((e as Error).message);
      setSubmitting(false);
    }
  }

  if (datasets.length === 0) return <div className="empty">Import or generate a dataset first.</div>;
  return (
    <form onSubmit={submit} aria-label="Start an experiment">
      {error ? <div className="alert error" role="alert" data-testid="experiment-error">{error}</div> : null}
      <div className="row">
        <DatasetModelFields datasets={datasets} datasetId={datasetId} onDataset={setDatasetId} models={models} modelId={modelId} onModel={chooseModel} />
        <div className="field">
          <label htmlFor="kind">Kind</label>
          <select id="kind" value={kind} onChange={(e) => setKind(e.target.value as ExperimentKind)}>
            <option value="grid">grid search</option>
            <option value="random">random search</option>
            <option value="cv">k-fold cross-validation</option>
            <option value="ablation">ablation study</option>
          </select>
          <span className="hint">{KIND_HELP[kind]}</span>
        </div>
        <div className="field">
          <label htmlFor="experiment-name">Name (optional)</label>
          <input id="experiment-name" type="text" value={name} onChange={(e) => setName(e.target.value)} />
        </div>
      </div>
      <fieldset>
        <legend>Base configuration</legend>
        <div className="row">
          {specs.map((spec) => (
            <ParamField key={`${modelId}-${spec.name}`} spec={spec} value={params[spec.name]} onChange={(v) => setParams((p) => ({ ...p, [spec.name]: v }))} />
          ))}
          <div className="field">
            <label htmlFor="seed">Seed</label>
            <input id="seed" type="number" step={1} value={seed} onChange={(e) => setSeed(Number(e.target.value))} />
          </div>
          <div className="field">
            <label htmlFor="selection-metric">Selection metric (validation)</label>
            <select id="selection-metric" value={selectionMetric} onChange={(e) => setSelectionMetric(e.target.value)}>
              {["ndcg@10", "recall@10", "map@10", "hit@10", ...(model?.feedback === "explicit" ? ["rmse"] : [])].map((m) => <option key={m} value={m}>{m}</option>)}
            </select>
          </div>
        </div>
      </fieldset>
      {kind !== "cv" ? (
        <fieldset>
          <legend>Split</legend>
          <div className="row">
            <SplitFields draft={splitDraft} onChange={setSplitDraft} model={model} />
          </div>
        </fieldset>
      ) : null}
      {kind === "grid" || kind === "random" ? (
        <fieldset>
          <legend>Search space</legend>
          <SearchSpaceEditor specs={specs} drafts={drafts} random={kind === "random"} onChange={(n, d) => setDrafts((all) => ({ ...all, [n]: d }))} />
          <div className="row" style={{ marginTop: 12 }}>
            {kind === "random" ? (
              <>
                <div className="field">
                  <label htmlFor="trials">Trials</label>
                  <input id="trials" type="number" min={1} step={1} value={trials} onChange={(e) => setTrials(Number(e.target.value))} />
                </div>
                <div className="field">
                  <label htmlFor="search-seed">Search seed</label>
                  <input id="search-seed" type="number" step={1} value={searchSeed} onChange={(e) => setSearchSeed(Number(e.target.value))} />
                </div>
              </>
            ) : null}
            <div className="field">
              <label htmlFor="search-folds">Folds per configuration</label>
              <input id="search-folds" type="number" min={1} max={10} step={1} value={searchFolds} onChange={(e) => setSearchFolds(Number(e.target.value))} />
              <span className="hint">1: the split above. 2 or more: every configuration on per-user folds, selected on the mean; the winner is evaluated on every test fold.</span>
            </div>
            <div className="field">
              <label htmlFor="search-seeds">Seeds</label>
              <input id="search-seeds" type="text" value={searchSeeds} placeholder="base seed; e.g. 1, 2, 3" onChange={(e) => setSearchSeeds(e.target.value)} />
              <span className="hint">Every configuration runs with each seed; selection on the mean.</span>
            </div>
            <div className="field">
              <label htmlFor="final-fit">Retrain the selected configuration on</label>
              <select id="final-fit" value={finalFit} onChange={(e) => setFinalFit(e.target.value as "train" | "train+validation")}>
                <option value="train">train (early stopping on validation)</option>
                <option value="train+validation">train + validation (the trial's epochs)</option>
              </select>
            </div>
          </div>
        </fieldset>
      ) : null}
      {kind === "cv" ? (
        <fieldset>
          <legend>Folds</legend>
          <div className="field">
            <label htmlFor="folds">Folds (K)</label>
            <input id="folds" type="number" min={2} max={20} step={1} value={folds} onChange={(e) => setFolds(Number(e.target.value))} />
          </div>
        </fieldset>
      ) : null}
      {kind === "ablation" ? (
        <fieldset>
          <legend>Variants</legend>
          {variants.map((v, i) => {
            const spec = specs.find((s) => s.name === v.param);
            const update = (patch: Partial<VariantDraft>) => setVariants((all) => all.map((x, k) => (k === i ? { ...x, ...patch } : x)));
            return (
              <div className="actions" key={i} style={{ marginBottom: 8 }}>
                <input aria-label={`variant ${i + 1} name`} type="text" placeholder="e.g. no item bias" value={v.name} onChange={(e) => update({ name: e.target.value })} style={{ width: 200 }} />
                <select aria-label={`variant ${i + 1} parameter`} value={v.param} onChange={(e) => update({ param: e.target.value })} style={{ width: 180 }}>
                  {specs.map((s) => <option key={s.name} value={s.name}>{s.name}</option>)}
                </select>
                <span>→</span>
                <input aria-label={`variant ${i + 1} value`} type="text" value={v.value} placeholder={spec?.kind === "boolean" ? "false" : "0"} onChange={(e) => update({ value: e.target.value })} style={{ width: 120 }} />
                <button type="button" className="secondary" onClick={() => setVariants((all) => all.filter((_, k) => k !== i))}>Remove</button>
              </div>
            );
          })}
          <div className="actions">
            <button
              type="button"
              className="secondary"
              disabled={specs.length === 0}
              onClick={() => {
                const first = specs.find((s) => s.kind === "boolean") ?? specs[0];
                setVariants((all) => [...all, { name: "", param: first.name, value: first.kind === "boolean" ? String(!params[first.name]) : "0" }]);
              }}
            >
              Add variant
            </button>
            <label htmlFor="seeds">Seeds</label>
            <input id="seeds" type="text" value={seeds} onChange={(e) => setSeeds(e.target.value)} style={{ width: 140 }} />
          </div>
        </fieldset>
      ) : null}
      <div className="actions">
        <button type="submit" disabled={submitting || !datasetId || !modelId}>{submitting ? "Starting…" : "Launch experiment"}</button>
        <span className={planned > MAX_EXPERIMENT_RUNS ? "tone-worse" : "muted"} data-testid="planned-runs">
          {problems.length > 0 && search ? "– runs planned (fix the values below)" : plannedText}
          {planned > MAX_EXPERIMENT_RUNS ? ` — at most ${MAX_EXPERIMENT_RUNS}` : ""}
        </span>
      </div>
      {problems.length > 0 ? (
        <ul className="sentences muted" data-testid="form-problems" style={{ marginTop: 8 }}>
          {problems.map((p) => <li key={p}>{p}</li>)}
        </ul>
      ) : null}
    </form>
  );
}
