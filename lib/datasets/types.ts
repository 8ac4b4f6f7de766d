/**
 * In-memory dataset representation shared by readers, preprocessing, splits, models and the
 * worker. Interactions are column arrays (typed arrays), never arrays of objects.
 */

/** One column block per field; row i is (users[i], items[i], ratings[i], timestamps[i]). */
export interface InteractionTable {
  /** Dense user index in [0, numUsers). */
  users: Int32Array;
  /** Dense item index in [0, numItems). */
  items: Int32Array;
  /** Rating as given (explicit) or 1 (implicit). */
  ratings: Float32Array;
  /** Unix seconds; 0 when the source has no timestamps. */
  timestamps: Float64Array;
}

/** Item side information, indexed by dense item index. Absent fields are undefined. */
export interface ItemAttributes {
  title?: (string | null)[];
  /** Genres / categories per item. */
  genres?: string[][];
  /** Free text (description, review text summary) per item. */
  text?: (string | null)[];
}

/** User attributes, indexed by dense user index, e.g. { gender: ["M", "F", ...], age: ["25", ...] }. */
export type UserAttributes = Record<string, (string | null)[]>;

export type Feedback = "explicit" | "implicit";

/** A fully encoded dataset: what an import produces and what a worker loads. */
export interface Dataset {
  numUsers: number;
  numItems: number;
  table: InteractionTable;
  /** Original user id per dense index (pseudonymised where the dataset asks for it). */
  userIds: string[];
  /** Original item id per dense index. */
  itemIds: string[];
  feedback: Feedback;
  hasTimestamps: boolean;
  items?: ItemAttributes;
  users?: UserAttributes;
}

/** Row indices into a dataset's InteractionTable. */
export interface Split {
  train: Int32Array;
  validation: Int32Array;
  test: Int32Array;
  /**
   * User cold start only: rows of the held-out (validation and test) users that are not
   * evaluated but given to the model at evaluation time as those users' histories.
   */
  foldIn?: Int32Array;
  /** Time-based splits: users with held-out rows, and those whose held-out rows tie in time with an earlier part. */
  ties?: SplitTies;
}

export interface SplitTies {
  users: number;
  tiedUsers: number;
}

/** Compressed sparse rows by user: items of user u are indices[indptr[u] .. indptr[u+1]). */
export interface Csr {
  numRows: number;
  numCols: number;
  indptr: Int32Array;
  indices: Int32Array;
  values: Float32Array;
}
