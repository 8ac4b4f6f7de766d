import { genreVectors } from "@/lib/fairness/genres";
import type { RerankContext, UserCandidates } from "@/lib/fairness/rerank-base";

/**
 * Six items: genres 0 A, 1 A, 2 B, 3 A+B, 4 none, 5 C; items 0, 1 and 5 are the short head,
 * 2, 3 and 4 the long tail; popularity 100, 10, 0, 5, 1, 50.
 */
export const tinyContext: RerankContext = {
  numItems: 6,
  genres: genreVectors([["A"], ["A"], ["B"], ["A", "B"], [], ["C"]], 6),
  tail: Uint8Array.from([0, 0, 1, 1, 1, 0]),
  popularity: Float64Array.from([100, 10, 0, 5, 1, 50]),
};

export function user(items: number[], scores: number[], history: number[] = []): UserCandidates {
  return { items: Int32Array.from(items), scores: Float32Array.from(scores), history: Int32Array.from(history) };
}
