"use client";
import type { ModelInfo } from "@/lib/server/list-models";

/** Split kinds a form offers (k-fold is the cross-validation experiment's own). */
export type FormSplitKind = "random" | "temporal" | "leave-one-out" | "item-cold-start" | "user-cold-start";

export interface SplitDraft {
  kind: FormSplitKind;
  ratios: string;
  seed: number;
  foldIn: number;
}

export const defaultSplitDraft: SplitDraft = { kind: "random", ratios: "80 / 10 / 10", seed: 42, foldIn: 80 };

const KINDS: { kind: FormSplitKind; label: string; help: string }[] = [
  { kind: "random", label: "per-user random", help: "Each user's rows shuffled and cut train / validation / test." },
  { kind: "temporal", label: "global temporal", help: "All rows by time: the earliest train, the latest test (needs timestamps)." },
  { kind: "leave-one-out", label: "per-user leave-one-out by time", help: "Each user's last item is test, the one before validation." },
  { kind: "item-cold-start", label: "item cold start", help: "Whole items held out: test items never appear in training; ranked among the test items." },
  { kind: "user-cold-start", label: "user cold start", help: "Whole users held out: test users never appear in training; part of each one's rows (the fold-in) is given to the model at test time, the rest is evaluated." },
];

/**
 * The split as the API takes it, or the problem in the form's words. Ratios are typed as
 * "80 / 10 / 10" (percent) or "0.8 / 0.1 / 0.1".
 */
const FORM_KINDS: readonly string[] = ["random", "temporal", "leave-one-out", "item-cold-start", "user-cold-start"];

/** The form's draft of a stored split config (Re-run); kinds the form does not offer fall back to the default. */
export function draftFromSplit(split: { kind: string; ratios?: number[]; seed?: number; foldInRatio?: unknown }): SplitDraft {
  if (!FORM_KINDS.includes(split.kind)) return defaultSplitDraft;
  return {
    kind: split.kind as FormSplitKind,
    ratios: split.ratios ? split.ratios.map((r) => String(Math.round(r * 1000) / 10)).join(" / ") : defaultSplitDraft.ratios,
    seed: split.seed ?? defaultSplitDraft.seed,
    foldIn: typeof split.foldInRatio === "number" ? Math.round(split.foldInRatio * 100) : defaultSplitDraft.foldIn,
  };
}

export function splitFromDraft(draft: SplitDraft): { split: Record<string, unknown> } | { error: string } {
  if (draft.kind === "leave-one-out") return { split: { kind: draft.kind } };
  const parts = draft.ratios.split("/").map((t) => t.trim());
  const bad = parts.find((t) => t === "" || !Number.isFinite(Number(t)));
  if (parts.length !== 3) return { error: "Split ratios: give three shares, train / validation / test, e.g. 80 / 10 / 10" };
  if (bad !== undefined) return { error: `Split ratios: '${bad}' is not a number` };
  let ratios = parts.map(Number);
  const sum = ratios.reduce((a, b) => a + b, 0);
  if (ratios.some((r) => r < 0)) return { error: "Split ratios: shares cannot be negative" };
  if (Math.abs(sum - 100) < 1e-6) ratios = ratios.map((r) => r / 100);
  else if (Math.abs(sum - 1) > 1e-6) return { error: `Split ratios: the shares add up to ${sum}, not 100 (or 1)` };
  if (draft.kind === "temporal") return { split: { kind: draft.kind, ratios } };
  if (draft.kind === "user-cold-start") {
    if (!(draft.foldIn >= 10 && draft.foldIn <= 90)) return { error: "Fold-in share: give a percentage from 10 to 90" };
    return { split: { kind: draft.kind, ratios, seed: draft.seed, foldInRatio: draft.foldIn / 100 } };
  }
  return { split: { kind: draft.kind, ratios, seed: draft.seed } };
}

/** Why the chosen model cannot run the chosen split, or null. */
export function splitBlocker(draft: SplitDraft, model?: ModelInfo): string | null {
  if (draft.kind === "user-cold-start" && model && !model.scoresUnseenUsers) {
    return `${model.displayName} cannot score users unseen in training, so it cannot run a user cold-start split; pick a model that scores from a user's history (e.g. Mult-VAE, SASRec) or Popularity.`;
  }
  return null;
}

/** Split kind, ratios, seed and (user cold start) fold-in share; shared by the run and experiment forms. */
export function SplitFields({ draft, onChange, model }: { draft: SplitDraft; onChange: (next: SplitDraft) => void; model?: ModelInfo }) {
  const set = (patch: Partial<SplitDraft>) => onChange({ ...draft, ...patch });
  const help = KINDS.find((k) => k.kind === draft.kind)?.help;
  const blocker = splitBlocker(draft, model);
  return (
    <>
      <div className="field">
        <label htmlFor="split-kind">Split</label>
        <select id="split-kind" value={draft.kind} onChange={(e) => set({ kind: e.target.value as FormSplitKind })}>
          {KINDS.map((k) => <option key={k.kind} value={k.kind}>{k.label}</option>)}
        </select>
        <span className="hint">{help}</span>
        {blocker ? <span className="hint" role="alert" style={{ color: "var(--bad)" }} data-testid="split-blocker">{blocker}</span> : null}
      </div>
      {draft.kind !== "leave-one-out" ? (
        <div className="field">
          <label htmlFor="ratios">{draft.kind.endsWith("cold-start") ? `Split ratios (${draft.kind === "item-cold-start" ? "items" : "users"}) train / validation / test` : "Split ratios train / validation / test"}</label>
          <input id="ratios" type="text" value={draft.ratios} onChange={(e) => set({ ratios: e.target.value })} placeholder="80 / 10 / 10" />
        </div>
      ) : null}
      {draft.kind === "random" || draft.kind === "item-cold-start" || draft.kind === "user-cold-start" ? (
        <div className="field">
          <label htmlFor="split-seed">Split seed</label>
          <input id="split-seed" type="number" step={1} value={draft.seed} onChange={(e) => set({ seed: Number(e.target.value) })} />
        </div>
      ) : null}
      {draft.kind === "user-cold-start" ? (
        <div className="field">
          <label htmlFor="fold-in">Fold-in share (%)</label>
          <input id="fold-in" type="number" min={10} max={90} step={5} value={draft.foldIn} onChange={(e) => set({ foldIn: Number(e.target.value) })} />
          <span className="hint">Share of each held-out user's rows the model reads at test time; the rest is evaluated.</span>
        </div>
      ) : null}
    </>
  );
}
