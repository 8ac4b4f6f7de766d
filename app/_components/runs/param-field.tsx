"use client";
import { paramLabel } from "@/lib/util/parse-list";
import type { FieldSpec } from "@/lib/util/zod-fields";

/** One input generated from a model hyperparameter's zod description. */
export function ParamField({ spec, value, onChange }: { spec: FieldSpec; value: unknown; onChange: (value: unknown) => void }) {
  const id = `param-${spec.name}`;
  let input;
  if (spec.kind === "boolean") {
    input = <input id={id} name={spec.name} type="checkbox" checked={Boolean(value)} onChange={(e) => onChange(e.target.checked)} />;
  } else if (spec.kind === "enum") {
    input = (
      <select id={id} name={spec.name} value={String(value ?? "")} onChange={(e) => onChange(e.target.value)}>
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
        value={value === undefined || value === null ? "" : String(value)}
        onChange={(e) => onChange(e.target.value === "" ? undefined : Number(e.target.value))}
      />
    );
  } else {
    input = <input id={id} name={spec.name} type="text" value={String(value ?? "")} onChange={(e) => onChange(e.target.value)} />;
  }
  return (
    <div className="field">
      <label htmlFor={id}>{paramLabel(spec.name)}</label>
      {input}
      {spec.description ? <span className="hint">{spec.description}</span> : null}
    </div>
  );
}
