import { gunzipSync, gzipSync } from "node:zlib";
import { badInput } from "../errors";
import type { CandidateLists } from "./candidates";
import type { Explainer, ExplanationKind } from "./explain/types";

/**
 * Every evaluated test user's top-10 explained with the run's own fitted model, stored once at
 * the end of the test evaluation as the run artefact EXPLANATIONS_ARTIFACT. Capped at the first
 * EXPLAINED_USERS evaluated users (and a time budget) so the artefact and the added training
 * time stay bounded; the drill-down page says when a user was not explained.
 */
export const EXPLANATIONS_ARTIFACT = "explanations";
/** Users explained at most (the first evaluated ones, in evaluation order). */
export const EXPLAINED_USERS = 5_000;
/** Items explained per user (the head of the stored top-C candidates). */
export const EXPLAINED_ITEMS = 10;
/** Reasons kept per item. */
export const EXPLAINED_REASONS = 3;
/** Wall-time budget for explaining; users past it are left unexplained (stated in `truncated`). */
export const EXPLAIN_BUDGET_SECONDS = 30;

/** One reason: a history item with its weight and share, or a named feature (genre, popularity count). */
export type Reason = { item: number; weight: number; share: number } | { feature: string; weight: number };

export interface ItemReasons {
  item: number;
  score: number;
  reasons: Reason[];
}

export interface RunExplanations {
  kind: ExplanationKind | "mixed";
  /** True when the reasons are an exact decomposition of the score. */
  exact: boolean;
  /** Users evaluated but not explained (past the cap or the time budget). */
  truncated: number;
  seconds: number;
  users: Record<number, ItemReasons[]>;
}

export interface ExplainRunOptions {
  maxUsers?: number;
  budgetSeconds?: number;
  /**
   * Awaited after every user: lets the event loop run (a worker's heartbeat and cancel poll) and
   * stops explaining when it returns true; the users done so far are kept, the rest `truncated`.
   */
  interrupted?: () => Promise<boolean>;
}

/** Explains the head of each candidate list (the caller catches failures: they must not fail the run). */
export async function explainRun(explainer: Explainer, candidates: CandidateLists, options: ExplainRunOptions = {}): Promise<RunExplanations> {
  const started = performance.now();
  const maxUsers = Math.min(candidates.users.length, options.maxUsers ?? EXPLAINED_USERS);
  const budget = 1000 * (options.budgetSeconds ?? EXPLAIN_BUDGET_SECONDS);
  const users: RunExplanations["users"] = {};
  const kinds = new Set<ExplanationKind>();
  let exact = true;
  let done = 0;
  for (let r = 0; r < maxUsers; r++) {
    if (performance.now() - started > budget) break;
    const user = candidates.users[r];
    const rows: ItemReasons[] = [];
    for (let i = 0; i < Math.min(EXPLAINED_ITEMS, candidates.counts[r]); i++) {
      const item = candidates.items[r * candidates.size + i];
      const e = explainer.explain(user, item, { limit: EXPLAINED_REASONS });
      kinds.add(e.kind);
      exact &&= e.exact;
      const reasons: Reason[] = e.items?.length
        ? e.items.slice(0, EXPLAINED_REASONS).map((x) => ({ item: x.item, weight: round(x.weight), share: round(x.share) }))
        : (e.features ?? []).slice(0, EXPLAINED_REASONS).map((f) => ({ feature: f.name, weight: round(f.weight) }));
      rows.push({ item, score: round(e.score), reasons });
    }
    users[user] = rows;
    done++;
    if (options.interrupted && (await options.interrupted())) break;
  }
  const kind = kinds.size === 1 ? [...kinds][0] : "mixed";
  return { kind, exact, truncated: candidates.users.length - done, seconds: (performance.now() - started) / 1000, users };
}

function round(x: number): number {
  return Number.isFinite(x) ? Math.round(x * 1e4) / 1e4 : 0;
}

/**
 * gzip'd JSON, reasons as tuples ([item, weight, share] or [feature, weight]). Bounded: 5,000
 * users × 10 items × 3 reasons is ~2 MB of JSON before gzip, typically 0.5–0.8 MB stored.
 */
export function encodeExplanations(e: RunExplanations): Uint8Array {
  const users = Object.entries(e.users).map(([u, rows]) => [
    Number(u),
    rows.map((r) => [r.item, r.score, r.reasons.map((x) => ("item" in x ? [x.item, x.weight, x.share] : [x.feature, x.weight]))]),
  ]);
  return gzipSync(JSON.stringify({ v: 1, kind: e.kind, exact: e.exact, truncated: e.truncated, seconds: round(e.seconds), users }));
}

type Packed = { v: 1; kind: RunExplanations["kind"]; exact: boolean; truncated: number; seconds: number; users: [number, [number, number, (number | string)[][]][]][] };

/** Inverse of encodeExplanations; BAD_INPUT on anything else. */
export function decodeExplanations(bytes: Uint8Array): RunExplanations {
  let packed: Packed;
  try {
    packed = JSON.parse(gunzipSync(bytes).toString("utf8")) as Packed;
  } catch {
    throw badInput("not an encoded explanation block");
  }
  if (packed.v !== 1 || !Array.isArray(packed.users)) throw badInput("not an encoded explanation block");
  const users: RunExplanations["users"] = {};
  for (const [u, rows] of packed.users) {
    users[u] = rows.map(([item, score, reasons]) => ({
      item,
      score,
      reasons: reasons.map((x) => (typeof x[0] === "string" ? { feature: x[0], weight: Number(x[1]) } : { item: Number(x[0]), weight: Number(x[1]), share: Number(x[2]) })),
    }));
  }
  return { kind: packed.kind, exact: packed.exact, truncated: packed.truncated, seconds: packed.seconds, users };
}
