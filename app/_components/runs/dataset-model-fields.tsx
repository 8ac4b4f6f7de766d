"use client";
import type { DatasetSummary } from "@/lib/server/dto";
import type { ModelInfo } from "@/lib/server/list-models";

/** The dataset and model pickers shared by the run and experiment launch forms. */
export function DatasetModelFields({ datasets, datasetId, onDataset, models, modelId, onModel }: {
  datasets: DatasetSummary[];
  datasetId: string;
  onDataset: (id: string) => void;
  models: ModelInfo[];
  modelId: string;
  onModel: (id: string) => void;
}) {
  const model = models.find((m) => m.id === modelId);
  return (
    <>
      <div className="field">
        <label htmlFor="dataset">Dataset</label>
        <select id="dataset" value={datasetId} onChange={(e) => onDataset(e.target.value)}>
          {datasets.map((d) => <option key={d.id} value={d.id}>{d.name} ({d.numInteractions.toLocaleString("en-US")} interactions)</option>)}
        </select>
      </div>
      <div className="field">
        <label htmlFor="model">Model</label>
        <select id="model" value={modelId} onChange={(e) => onModel(e.target.value)}>
          {models.map((m) => <option key={m.id} value={m.id}>{m.displayName}</option>)}
        </select>
        {model ? <span className="hint">{model.summary}</span> : null}
      </div>
    </>
  );
}
