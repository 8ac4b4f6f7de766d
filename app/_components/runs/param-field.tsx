"use client";
import { paramLabel } from "@/lib/util/parse-list";
import type { AutoChoice } from "@/lib/models/defaults/adaptive";
import type { FieldSpec } from "@/lib/util/zod-fields";

/** A field whose default adapts to the dataset: on auto, the rule's value is shown and sent as absent. */
export interface AutoControl {
  choice: AutoChoice;
  on: boolean;
  onToggle: (on: boolean) => void;
}

/** One input generated from a model hyperparameter's zod description. */
export function ParamField({ spec, value, onChange, auto }: { spec: FieldSpec; value: unknown; onChange: (value: unknown) => void; auto?: AutoControl }) {
  const id = `param-${spec.name}`;
  const shown = auto?.on ? auto.choice.value : value;
  const disabled = auto?.on ?? false;
  let input;
  if (spec.kind === "boolean") {
    input = <input id={id} name={spec.name} type="checkbox" checked={Boolean(shown)} disabled={disabled} onChange={(e) => onChange(e.target.checked)} />;
  } else if (spec.kind === "enum") {
    input = (
      <select id={id} name={spec.name} value={String(shown ?? "")} disabled={disabled} onChange={(e) => onChange(e.target.value)}>
        {spec.options?.map((o) => <option key={o} value={o}>{o}</option>)}
      </select>
    );
  } else if (spec.kind === "number" || spec.kind === "integer") {
    input = (
      <input
        id={id}
        name={spec.name}
        type="number"
        step={spec.kind === "integer" ? 1 : "any"}
        min={spec.min}
        max={spec.max}
        disabled={disabled}
        value={shown === undefined || shown === null ? "" : String(shown)}
        onChange={(e) => onChange(e.target.value === "" ? undefined : Number(e.target.value))}
      />
    );
  } else {
    input = <input id={id} name={spec.name} type="text" value={String(shown ?? "")} disabled={disabled} onChange={(e) => onChange(e.target.value)} />;
  }
  return (
    <div className="field">
      <label htmlFor={id}>{paramLabel(spec.name)}</label>
      {input}
      {auto ? <AutoToggle name={spec.name} auto={auto} /> : null}
      {spec.description ? <span className="hint">{spec.description}</span> : null}
    </div>
  );
}

/** "auto" checkbox beside a field with a dataset-adaptive default, with the rule's reason while on. */
export function AutoToggle({ name, auto }: { name: string; auto: AutoControl }) {
  return (
    <span className="hint" data-testid={`auto-${name}`}>
      <label>
        <input type="checkbox" checked={auto.on} onChange={(e) => auto.onToggle(e.target.checked)} aria-label={`${paramLabel(name)}: auto`} /> auto
      </label>
      {auto.on ? <> — {auto.choice.reason}</> : null}
    </span>
  );
}
