import { transposeCsr } from "../datasets/csr";
import type { Csr } from "../datasets/types";
import { itemCategories, itemPopularity, popularityOrder, shortHead, type ItemCategories } from "./beyond";

/**
 * What the beyond-accuracy metrics need besides the top-K lists, built once per evaluation from
 * the training data: item popularity, the short head, the Popularity order (for the primitive
 * lists of serendipity), each user's training items (calibration) and item categories (ILD,
 * calibration). O(items + training interactions) memory.
 */
export interface BeyondContext {
  /** pop(i): training interactions of item i (entries, whatever their values). */
  popularity: Float64Array;
  /** Items by popularity descending, ties by `tieRank` (see buildBeyondContext). */
  popularityOrder: Int32Array;
  /** 1 for the short head: the most popular items holding ≥ 20% of training interactions. */
  head: Uint8Array;
  /** Users of the training matrix (novelty's denominator). */
  numUsers: number;
  /** Training items per user (rows = users). */
  history: Csr;
  /** Null when the dataset has no item categories: miscalibration is then absent. */
  categories: ItemCategories | null;
  /**
   * Item vectors of intra-list diversity: the categories when the dataset has them, otherwise
   * each item's binary vector of training users (co-interaction cosine, the model-independent
   * item embedding of neighbourhood methods), so ILD exists for every dataset.
   */
  diversityVectors: ItemCategories;
  diversityBasis: "categories" | "interactions";
}

export interface BeyondContextInput {
  /** The training matrix (users × items). */
  train: Csr;
  /** Categories / genres per item (Dataset.items.genres). */
  genres?: readonly (readonly string[] | null | undefined)[];
  /**
   * Original item ids (Dataset.itemIds). Popularity ties then go to the lower id (numerically
   * when every id is an integer), so the short head and Popularity's lists do not depend on
   * the row order of the imported file; without them, to the lower dense index.
   */
  itemIds?: readonly string[];
}

export function buildBeyondContext({ train, genres, itemIds }: BeyondContextInput): BeyondContext {
  const popularity = itemPopularity(train);
  const order = popularityOrder(popularity, itemIds ? itemIdRanks(itemIds) : undefined);
  const categories = genres ? itemCategories(genres, train.numCols) : null;
  return {
    popularity,
    popularityOrder: order,
    head: shortHead(popularity, order),
    numUsers: train.numRows,
    history: train,
    categories,
    diversityVectors: categories ?? itemUserVectors(train),
    diversityBasis: categories ? "categories" : "interactions",
  };
}

/** Each item's training users as a sorted index list (the transpose of the training matrix). */
function itemUserVectors(train: Csr): ItemCategories {
  const byItem = transposeCsr(train);
  return { numCategories: train.numRows, indptr: byItem.indptr, indices: byItem.indices };
}

/** Rank of each item's id in ascending id order: numeric when every id is an integer, else by code unit. */
export function itemIdRanks(itemIds: readonly string[]): Int32Array {
  const numeric = itemIds.every((id) => /^-?[0-9]{1,15}$/.test(id));
  const order = Array.from(itemIds.keys());
  if (numeric) order.sort((a, b) => Number(itemIds[a]) - Number(itemIds[b]));
  else order.sort((a, b) => (itemIds[a] < itemIds[b] ? -1 : itemIds[a] > itemIds[b] ? 1 : 0));
  const ranks = new Int32Array(itemIds.length);
  order.forEach((item, rank) => (ranks[item] = rank));
  return ranks;
}
