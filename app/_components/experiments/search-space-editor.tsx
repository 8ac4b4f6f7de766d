"use client";
import type { FieldSpec } from "@/lib/util/zod-fields";
import { paramLabel, parseList } from "@/lib/util/parse-list";

export type RangeMode = "fixed" | "list" | "uniform" | "log-uniform";
export interface RangeDraft {
  mode: RangeMode;
  list: string;
  min: string;
  max: string;
}

export const emptyRange: RangeDraft = { mode: "fixed", list: "", min: "", max: "" };

/** Reads one typed value of a hyperparameter from text ("0.01", "true", "cosine"). */
export function parseParamValue(spec: FieldSpec, text: string): number | string | boolean {
  const t = text.trim();
  if (spec.kind === "number" || spec.kind === "integer") return Number(t);
  if (spec.kind === "boolean") return t === "true";
  return t;
}

/**
 * The search space of the API (`spec.space`) from the editor's drafts (fixed parameters left
 * out), the number of grid configurations, and every bad entry in the form's words.
 */
export function spaceFromDrafts(specs: FieldSpec[], drafts: Record<string, RangeDraft>): { space: Record<string, unknown>; configurations: number; errors: string[] } {
  const space: Record<string, unknown> = {};
  const errors: string[] = [];
  let configurations = 1;
  for (const spec of specs) {
    const d = drafts[spec.name];
    if (!d || d.mode === "fixed") continue;
    if (d.mode === "list") {
      const kind = spec.kind === "enum" ? "string" : spec.kind;
      const parsed = parseList(d.list, kind, paramLabel(spec.name));
      errors.push(...parsed.errors);
      configurations *= Math.max(1, parsed.values.length);
      space[spec.name] = { type: "values", values: parsed.values };
    } else {
      const [min, max] = [Number(d.min), Number(d.max)];
      if (d.min.trim() === "" || !Number.isFinite(min)) errors.push(`${paramLabel(spec.name)}, minimum: give a number`);
      if (d.max.trim() === "" || !Number.isFinite(max)) errors.push(`${paramLabel(spec.name)}, maximum: give a number`);
      space[spec.name] = { type: d.mode, min, max, integer: spec.kind === "integer" };
    }
  }
  return { space, configurations, errors };
}

/**
 * One row per hyperparameter of the model's schema: keep it fixed (the base value), give a list
 * of values (grid and random search), or a uniform / log-uniform range (random search only).
 */
export function SearchSpaceEditor({ specs, drafts, random, onChange }: { specs: FieldSpec[]; drafts: Record<string, RangeDraft>; random: boolean; onChange: (name: string, draft: RangeDraft) => void }) {
  const tunable = specs.filter((s) => s.kind !== "string");
  if (tunable.length === 0) return <div className="muted">This model has no hyperparameters to search.</div>;
  return (
    <div className="table-scroll">
    <table className="data" data-testid="search-space">
      <thead>
        <tr>
          <th>Hyperparameter</th>
          <th>Search</th>
          <th>Values or range</th>
        </tr>
      </thead>
      <tbody>
        {tunable.map((spec) => {
          const d = drafts[spec.name] ?? emptyRange;
          const numeric = spec.kind === "number" || spec.kind === "integer";
          const set = (patch: Partial<RangeDraft>) => onChange(spec.name, { ...d, ...patch });
          return (
            <tr key={spec.name}>
              <td>
                <label htmlFor={`space-${spec.name}-mode`}>{paramLabel(spec.name)}</label>
                {spec.description ? <div className="muted" style={{ fontSize: 12 }}>{spec.description}</div> : null}
              </td>
              <td>
                <select id={`space-${spec.name}-mode`} value={d.mode} onChange={(e) => set({ mode: e.target.value as RangeMode })}>
                  <option value="fixed">fixed (base value)</option>
                  <option value="list">list of values</option>
                  {random && numeric ? <option value="uniform">uniform range</option> : null}
                  {random && numeric && (spec.min === undefined || spec.min >= 0) ? <option value="log-uniform">log-uniform range</option> : null}
                </select>
              </td>
              <td>
                {d.mode === "list" ? (
                  <input
                    id={`space-${spec.name}-list`}
                    aria-label={`${paramLabel(spec.name)} values`}
                    type="text"
                    value={d.list}
                    placeholder={spec.kind === "boolean" ? "true, false" : spec.options ? spec.options.join(", ") : "e.g. 8, 16, 32"}
                    onChange={(e) => set({ list: e.target.value })}
                  />
                ) : d.mode === "uniform" || d.mode === "log-uniform" ? (
                  <div className="actions">
                    <input aria-label={`${paramLabel(spec.name)} min`} type="number" step="any" value={d.min} placeholder="min" onChange={(e) => set({ min: e.target.value })} style={{ width: 110 }} />
                    <input aria-label={`${paramLabel(spec.name)} max`} type="number" step="any" value={d.max} placeholder="max" onChange={(e) => set({ max: e.target.value })} style={{ width: 110 }} />
                  </div>
                ) : (
                  <span className="muted">base value</span>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
    </div>
  );
}
