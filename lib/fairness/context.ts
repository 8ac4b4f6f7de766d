import type { Csr, ItemAttributes } from "../datasets/types";
import { genreVectors } from "./genres";
import { itemPopularity, longTail } from "../metrics/beyond";
import type { RerankContext } from "./rerank-base";

/**
 * Everything the re-rankers read about items, from the training matrix and the item
 * attributes: popularity, long-tail membership (short head = `headShare` of the interactions)
 * and genre vectors when the dataset has genres (at least one item with one).
 */
export function buildRerankContext(train: Csr, items?: ItemAttributes, headShare = 0.2): RerankContext {
  const popularity = itemPopularity(train);
  const genres = items?.genres?.some((g) => g.length > 0) ? genreVectors(items.genres, train.numCols) : undefined;
  return { numItems: train.numCols, popularity, tail: longTail(popularity, headShare), ...(genres ? { genres } : {}) };
}
