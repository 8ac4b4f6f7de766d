import { ZodError } from "zod";
import type { Csr } from "../datasets/types";
import { badInput, notFound } from "../errors";
import { calibratedDefinition } from "./calibrated";
import type { CandidateLists } from "./candidates";
import { exposureConstraintDefinition } from "./exposure-constraint";
import { mmrDefinition } from "./mmr";
import { popularityPenaltyDefinition } from "./popularity-penalty";
import type { RerankContext, RerankerDefinition, UserReranker } from "./rerank-base";
import { xquadDefinition } from "./xquad";

/** Every post-processing re-ranker, by id. Adding one is one file plus one line here. */
const definitions: Record<string, RerankerDefinition> = {
  mmr: mmrDefinition,
  calibrated: calibratedDefinition,
  xquad: xquadDefinition,
  "popularity-penalty": popularityPenaltyDefinition,
  "exposure-constraint": exposureConstraintDefinition,
};

for (const [key, definition] of Object.entries(definitions)) {
  if (key !== definition.id) throw new Error(`re-ranker registry key "${key}" does not match definition id "${definition.id}"`);
}

export function listRerankers(): RerankerDefinition[] {
  return Object.values(definitions);
}

export function getRerankerDefinition(id: string): RerankerDefinition {
  const definition = Object.hasOwn(definitions, id) ? definitions[id] : undefined;
  if (!definition) throw notFound(`unknown re-ranker "${id}"; available: ${Object.keys(definitions).join(", ")}`);
  return definition;
}

const NEED_LABELS = { genres: "item genres", tail: "long-tail membership", popularity: "item popularity" } as const;

/**
 * A per-user re-ranker from an id and raw parameters: parameters are validated (λ outside
 * [0, 1] is refused with a BAD_INPUT error naming the re-ranker) and the context must hold
 * what the re-ranker needs.
 */
export function createReranker(id: string, params: unknown, ctx: RerankContext): UserReranker {
  const definition = getRerankerDefinition(id);
  let parsed: Record<string, unknown>;
  try {
    parsed = definition.paramsSchema.parse(params ?? {});
  } catch (error) {
    if (!(error instanceof ZodError)) throw error;
    const issues = error.issues.map((i) => `${i.path.join(".") || "params"}: ${i.message}`).join("; ");
    throw badInput(`${definition.displayName}: ${issues}`, { field: "params", reranker: id });
  }
  for (const need of definition.needs) {
    if (!ctx[need]) throw badInput(`${definition.displayName} needs ${NEED_LABELS[need]}, which this dataset does not have`, { reranker: id });
  }
  return definition.create(parsed, ctx);
}

/** Re-ranked lists, row-major with stride `k`: row r holds `counts[r]` items of `users[r]`. */
export interface RerankedLists {
  users: Int32Array;
  k: number;
  counts: Int32Array;
  items: Int32Array;
}

/** Re-ranks every user's candidates into a list of `k` (fewer when a user has fewer candidates). */
export function rerankAll(id: string, params: unknown, ctx: RerankContext, candidates: CandidateLists, history: Csr, k: number): RerankedLists {
  if (!Number.isInteger(k) || k < 1) throw badInput(`k must be a positive integer, got ${k}`, { field: "k" });
  const rerank = createReranker(id, params, ctx);
  const { users, size, counts } = candidates;
  const out: RerankedLists = { users, k, counts: new Int32Array(users.length), items: new Int32Array(users.length * k) };
  for (let r = 0; r < users.length; r++) {
    const u = users[r];
    const from = r * size;
    const user = {
      items: candidates.items.subarray(from, from + counts[r]),
      scores: candidates.scores.subarray(from, from + counts[r]),
      history: u < history.numRows ? history.indices.subarray(history.indptr[u], history.indptr[u + 1]) : new Int32Array(0),
    };
    out.counts[r] = rerank(user, k, out.items.subarray(r * k, (r + 1) * k));
  }
  return out;
}
