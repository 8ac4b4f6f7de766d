import { AppError, parseError } from "../../errors";
import type { InteractionTable } from "../types";
import type { ReaderContext } from "./reader";

/** Assigns dense indices to string keys in first-seen order. */
export class KeyEncoder {
  readonly keys: string[] = [];
  private readonly index = new Map<string, number>();

  encode(key: string): number {
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.keys.length;
      this.index.set(key, i);
      this.keys.push(key);
    }
    return i;
  }

  lookup(key: string): number | undefined {
    return this.index.get(key);
  }
}

/**
 * Growable typed columns for interaction rows (doubling capacity), with id encoding and the
 * empty-id and row-count checks shared by every reader.
 */
export class RowCollector {
  readonly userIds = new KeyEncoder();
  readonly itemIds = new KeyEncoder();
  private users = new Int32Array(1024);
  private items = new Int32Array(1024);
  private ratings = new Float32Array(1024);
  private timestamps = new Float64Array(1024);
  private n = 0;

  constructor(private readonly ctx: ReaderContext) {}

  get length(): number {
    return this.n;
  }

  /** Adds one row; ids are trimmed; `line` is used in error messages. */
  push(user: string, item: string, rating: number, timestamp: number, line: number): void {
    if (this.n >= this.ctx.maxRows) {
      throw new AppError("TOO_LARGE", `the file has more than ${this.ctx.maxRows} rows`, { line });
    }
    if (this.n === this.users.length) this.grow();
    this.users[this.n] = this.encodeId(this.userIds, user, "user id", line);
    this.items[this.n] = this.encodeId(this.itemIds, item, "item id", line);
    this.ratings[this.n] = rating;
    this.timestamps[this.n] = timestamp;
    this.n++;
  }

  /** The collected rows, trimmed to length. */
  toTable(): InteractionTable {
    return {
      users: this.users.slice(0, this.n),
      items: this.items.slice(0, this.n),
      ratings: this.ratings.slice(0, this.n),
      timestamps: this.timestamps.slice(0, this.n),
    };
  }

  private encodeId(encoder: KeyEncoder, raw: string, label: string, line: number): number {
    const key = raw.trim();
    if (key !== "") return encoder.encode(key);
    if (this.ctx.allowMissingIds) return -1;
    throw parseError(line, `${label} is empty`, label);
  }

  private grow(): void {
    const size = this.users.length * 2;
    const users = new Int32Array(size);
    users.set(this.users);
    const items = new Int32Array(size);
    items.set(this.items);
    const ratings = new Float32Array(size);
    ratings.set(this.ratings);
    const timestamps = new Float64Array(size);
    timestamps.set(this.timestamps);
    this.users = users;
    this.items = items;
    this.ratings = ratings;
    this.timestamps = timestamps;
  }
}
