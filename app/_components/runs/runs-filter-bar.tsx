"use client";
import type { RunsListFilters } from "./runs-list-query";

export interface FilterOptions {
  datasets: { id: string; name: string }[];
  models: { id: string; name: string }[];
  splits: { id: string; name: string }[];
  /** Name of the experiment in the URL's experiment filter, when there is one. */
  experimentName?: string | null;
}

const STATUSES = ["QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"];

/** Scope switch and filters of the runs list; every change goes to the server (and the URL). */
export function RunsFilterBar({ filters, options, onChange }: { filters: RunsListFilters; options: FilterOptions; onChange: (next: RunsListFilters) => void }) {
  const set = (key: keyof RunsListFilters, value: string) => onChange({ ...filters, [key]: value || undefined });
  const select = (key: "dataset" | "model" | "split" | "status", label: string, choices: { id: string; name: string }[]) => (
    <label className="filter">
      <span>{label}</span>
      <select value={filters[key] ?? ""} onChange={(e) => set(key, e.target.value)} data-testid={`filter-${key}`}>
        <option value="">any</option>
        {choices.map((c) => (
          <option key={c.id} value={c.id}>{c.name}</option>
        ))}
      </select>
    </label>
  );
  const scope = filters.scope ?? "mine";
  return (
    <div className="filter-bar" role="group" aria-label="Filter runs">
      <div className="segmented" role="radiogroup" aria-label="Whose runs">
        {(["mine", "team"] as const).map((s) => (
          <button key={s} type="button" role="radio" aria-checked={scope === s} className={scope === s ? undefined : "secondary"} onClick={() => set("scope", s)}>
            {s === "mine" ? "Mine" : "Team"}
          </button>
        ))}
      </div>
      {select("dataset", "Dataset", options.datasets)}
      {select("model", "Model", options.models)}
      {select("split", "Split", options.splits)}
      {select("status", "Status", STATUSES.map((s) => ({ id: s, name: s.toLowerCase() })))}
      {filters.experiment ? (
        <span className="tag" data-testid="experiment-filter">
          runs of {options.experimentName ?? "an experiment"}{" "}
          <button type="button" className="link-dark" aria-label="Show all runs" onClick={() => set("experiment", "")}>✕</button>
        </span>
      ) : null}
    </div>
  );
}
