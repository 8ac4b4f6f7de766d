"use client";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useState, type FormEvent } from "react";
import type { DatasetSummary } from "@/lib/server/dto";
import type { FieldSpec } from "@/lib/util/zod-fields";
import { sendJson } from "../ui/fetch-json";
import { ParamField } from "../runs/param-field";
import { humanize } from "@/lib/util/field-labels";

export interface ArmRunOption {
  id: string;
  name: string;
  datasetId: string;
  modelName: string;
  variant: boolean;
}

export interface NewAbTestProps {
  datasets: DatasetSummary[];
  runs: ArmRunOption[];
  /** users, sessionsPerUser, slateSize, seed — from the test schema (labels, bounds, defaults). */
  sizeFields: FieldSpec[];
  simulatorFields: FieldSpec[];
  bandits: { kind: string; params: FieldSpec[] }[];
  armFields: { epsilon: FieldSpec };
  limits: { minArms: number; maxArms: number };
}

type ArmState = { kind: "run"; runId: string; epsilon: number } | { kind: "bandit"; bandit: string; params: Record<string, unknown> };

const defaults = (fields: FieldSpec[]) => Object.fromEntries(fields.map((f) => [f.name, f.default]));
const LETTERS = ["A", "B", "C", "D"];
/** Lifts the planner hint reports on. */
const HINT_LIFTS = [0.02, 0.05, 0.1];

/**
 * The simulated A/B test form, generated from the test, simulator and bandit schemas: dataset,
 * 2–4 arms (a finished run of that dataset or a bandit with its parameters), ratio, sizes,
 * simulator assumptions and seed; a power hint from the planner; errors as the API words them.
 */
export function NewAbTestForm({ datasets, runs, sizeFields, simulatorFields, bandits, armFields, limits }: NewAbTestProps) {
  const router = useRouter();
  const [name, setName] = useState("");
  const [datasetId, setDatasetId] = useState(() => datasets.find((d) => runs.filter((r) => r.datasetId === d.id).length >= 2)?.id ?? datasets[0]?.id ?? "");
  const runsOfDataset = useMemo(() => runs.filter((r) => r.datasetId === datasetId), [runs, datasetId]);
  const initialArm = (i: number): ArmState =>
    runsOfDataset[i] ? { kind: "run", runId: runsOfDataset[i].id, epsilon: Number(armFields.epsilon.default ?? 0) } : { kind: "bandit", bandit: bandits[0]?.kind ?? "", params: defaults(bandits[0]?.params ?? []) };
  const [arms, setArms] = useState<ArmState[]>(() => [initialArm(0), initialArm(1)]);
  const [ratio, setRatio] = useState<number[]>([1, 1]);
  const [sizes, setSizes] = useState<Record<string, unknown>>(() => defaults(sizeFields));
  const [simulator, setSimulator] = useState<Record<string, unknown>>(() => defaults(simulatorFields));
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  const chooseDataset = (id: string) => {
    setDatasetId(id);
    const mine = runs.filter((r) => r.datasetId === id);
    setArms((current) => current.map((arm, i) => (arm.kind === "run" ? { ...arm, runId: mine[i]?.id ?? mine[0]?.id ?? "" } : arm)));
  };
  const updateArm = (i: number, next: ArmState) => setArms((current) => current.map((a, j) => (j === i ? next : a)));
  const addArm = () => {
    setArms((current) => [...current, initialArm(current.length)]);
    setRatio((current) => [...current, 1]);
  };
  const removeArm = (i: number) => {
    setArms((current) => current.filter((_, j) => j !== i));
    setRatio((current) => current.filter((_, j) => j !== i));
  };

  const users = Number(sizes.users ?? 0);
  const usersPerArm = Math.floor((users * Math.min(...ratio)) / ratio.reduce((a, b) => a + b, 0));
  const hint = usePowerHint(arms.length, usersPerArm);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitting(true);
    setError(null);
    const body = {
      name,
      datasetId,
      arms: arms.map((arm) => (arm.kind === "run" ? { kind: "run", runId: arm.runId, epsilon: arm.epsilon } : { kind: "bandit", bandit: arm.bandit, params: arm.params })),
      ratio,
      ...sizes,
      simulator,
    };
    try {
      const created = await sendJson<{ id: string }>("/api/ab-tests", body);
      router.push(`/ab-tests/${created.id}`);
    } catch (e) {
      setError(inLabelWords((e as Error).message, [...sizeFields, ...simulatorFields.map((f) => ({ ...f, name: `simulator.${f.name}` }))]));
      setSubmitting(false);
    }
  }

  if (datasets.length === 0) return <div className="empty">Import or generate a dataset and train runs on it first.</div>;
  return (
    <form onSubmit={submit} aria-label="New simulated A/B test">
      {error ? <div className="alert error" role="alert">{error}</div> : null}
      <div className="row">
        <div className="field">
          <label htmlFor="ab-name">Test name</label>
          <input id="ab-name" type="text" value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} />
        </div>
        <div className="field">
          <label htmlFor="ab-dataset">Dataset</label>
          <select id="ab-dataset" value={datasetId} onChange={(e) => chooseDataset(e.target.value)}>
            {datasets.map((d) => <option key={d.id} value={d.id}>{d.name}</option>)}
          </select>
          <span className="hint">The simulated users and the ground truth come from it; run arms must be trained on it ({runsOfDataset.length} finished runs).</span>
        </div>
      </div>

      {arms.map((arm, i) => (
        <fieldset key={i} data-testid={`ab-arm-${LETTERS[i]}`}>
          <legend>Arm {LETTERS[i]}{i === 0 ? " (control)" : ""}</legend>
          <div className="row">
            <div className="field">
              <label htmlFor={`arm-${i}-kind`}>Arm {LETTERS[i]} policy</label>
              <select
                id={`arm-${i}-kind`}
                value={arm.kind === "run" ? `run:${arm.runId}` : `bandit:${arm.bandit}`}
                onChange={(e) => {
                  const [kind, id] = e.target.value.split(/:(.*)/s);
                  if (kind === "run") updateArm(i, { kind: "run", runId: id, epsilon: arm.kind === "run" ? arm.epsilon : Number(armFields.epsilon.default ?? 0) });
                  else updateArm(i, { kind: "bandit", bandit: id, params: defaults(bandits.find((b) => b.kind === id)?.params ?? []) });
                }}
              >
                <optgroup label="Finished runs of this dataset">
                  {runsOfDataset.map((r) => <option key={r.id} value={`run:${r.id}`}>{r.name}{r.variant ? " (re-ranked variant)" : ""}</option>)}
                </optgroup>
                <optgroup label="Bandit and RL policies (learn online)">
                  {bandits.map((b) => <option key={b.kind} value={`bandit:${b.kind}`}>{b.kind}</option>)}
                </optgroup>
              </select>
            </div>
            <div className="field">
              <label htmlFor={`arm-${i}-ratio`}>Arm {LETTERS[i]} ratio weight</label>
              <input id={`arm-${i}-ratio`} type="number" min={0.01} max={100} step="any" value={ratio[i]} onChange={(e) => setRatio((current) => current.map((w, j) => (j === i ? Number(e.target.value) : w)))} />
            </div>
            {arm.kind === "run" ? (
              <ParamField spec={{ ...armFields.epsilon, name: `Arm ${LETTERS[i]} exploration` }} value={arm.epsilon} onChange={(v) => updateArm(i, { ...arm, epsilon: Number(v ?? 0) })} />
            ) : (
              (bandits.find((b) => b.kind === arm.bandit)?.params ?? []).map((spec) => (
                <ParamField key={spec.name} spec={{ ...spec, name: `Arm ${LETTERS[i]} ${spec.name}` }} value={arm.params[spec.name]} onChange={(v) => updateArm(i, { ...arm, params: { ...arm.params, [spec.name]: v } })} />
              ))
            )}
          </div>
          {arms.length > limits.minArms ? <button type="button" className="secondary" onClick={() => removeArm(i)}>Remove arm {LETTERS[i]}</button> : null}
        </fieldset>
      ))}
      {arms.length < limits.maxArms ? <p><button type="button" className="secondary" onClick={addArm}>Add an arm</button></p> : null}

      <fieldset>
        <legend>Size</legend>
        <div className="row">
          {sizeFields.map((spec) => (
            <LabelledField key={spec.name} spec={spec} value={sizes[spec.name]} onChange={(v) => setSizes((s) => ({ ...s, [spec.name]: v }))} />
          ))}
        </div>
        <p className="muted" data-testid="ab-power-hint">{hint}</p>
      </fieldset>

      <fieldset>
        <legend>Simulator assumptions</legend>
        <div className="row">
          {simulatorFields.map((spec) => (
            <LabelledField key={spec.name} spec={spec} value={simulator[spec.name]} onChange={(v) => setSimulator((s) => ({ ...s, [spec.name]: v }))} />
          ))}
        </div>
      </fieldset>

      <button type="submit" disabled={submitting || !name.trim()}>{submitting ? "Queueing…" : "Launch the test"}</button>
    </form>
  );
}

/**
 * A field's label: its description's first words when they are a short name ("Users (simulated
 * visitors …)" → "Users"), otherwise its key in words ("positionDecay" → "Position decay") — the
 * simulator's descriptions are whole sentences, and several start with the same model name.
 */
const labelOf = (spec: FieldSpec) => {
  const lead = spec.description?.split(/[(:]/)[0].trim();
  const key = spec.name.split(".").at(-1) ?? spec.name;
  return lead && lead.length <= 32 && !spec.description?.includes(": ") ? lead : humanize(key);
};

/** "sessionsPerUser: …; arms.1.runId: …" → "Sessions per user: …; Arm B: …" (the API names fields by their JSON path). */
function inLabelWords(message: string, fields: FieldSpec[]): string {
  return message
    .split("; ")
    .map((issue) => {
      const [path, ...rest] = issue.split(": ");
      if (rest.length === 0) return issue;
      const field = fields.find((f) => f.name === path);
      const arm = /^arms\.(\d)/.exec(path);
      const label = field ? labelOf(field) : arm ? `Arm ${LETTERS[Number(arm[1])]}` : path === "arms" ? "Arms" : path === "name" ? "Test name" : path;
      return `${label}: ${rest.join(": ")}`;
    })
    .join("; ");
}

/** A schema field labelled with its description (the words the API's errors use). */
function LabelledField({ spec, value, onChange }: { spec: FieldSpec; value: unknown; onChange: (v: unknown) => void }) {
  const label = labelOf(spec);
  const bounds = spec.min !== undefined || spec.max !== undefined ? `${spec.min ?? ""} to ${spec.max ?? ""}` : "";
  const hint = [spec.description !== label ? spec.description : "", bounds].filter(Boolean).join(" · ");
  return <ParamField spec={{ ...spec, name: label, description: hint || undefined }} value={value} onChange={onChange} />;
}

/** "With 2,500 users per arm and a 5% baseline CTR, a 10% lift is detectable; a 2% lift needs 750,000 per arm." */
function usePowerHint(arms: number, usersPerArm: number): string {
  const [needed, setNeeded] = useState<number[] | null>(null);
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      Promise.all(HINT_LIFTS.map((relativeLift) => sendJson<{ usersPerArm: number }>("/api/ab-tests/plan", { baselineRate: 0.05, relativeLift, arms: Math.max(2, arms) })))
        .then((plans) => live && setNeeded(plans.map((p) => p.usersPerArm)))
        .catch(() => live && setNeeded(null));
    }, 300);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [arms]);
  if (!needed) return "";
  const fmt = (n: number) => n.toLocaleString("en-US");
  const detectable = HINT_LIFTS.filter((_, i) => needed[i] <= usersPerArm);
  const parts = HINT_LIFTS.map((lift, i) => `${Math.round(lift * 100)}% lift: ${fmt(needed[i])} users per arm`);
  const verdict = detectable.length > 0 ? `lifts of ${Math.round(detectable[0] * 100)}% or more are detectable` : "none of these lifts is reliably detectable";
  return `Power (80%, α = 0.05, baseline CTR 5%): ${parts.join("; ")}. With ${fmt(usersPerArm)} users per arm, ${verdict}.`;
}

