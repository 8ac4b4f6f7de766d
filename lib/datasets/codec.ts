import { AppError } from "../errors";
import type { Dataset, Feedback, InteractionTable } from "./types";

/** One stored piece of a dataset: `kind` names the column or JSON document, `part` orders chunks. */
export interface DatasetBlob {
  kind: string;
  part: number;
  data: Uint8Array;
}

export interface DatasetBlobMeta {
  numUsers: number;
  numItems: number;
  feedback: Feedback;
  hasTimestamps: boolean;
}

/** Largest blob part (databases handle many moderate blobs better than one huge one). */
export const MAX_PART_BYTES = 16 * 1024 * 1024;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

type Column = keyof InteractionTable;
interface ColumnCodec {
  kind: string;
  column: Column;
  size: number;
  make: (b: ArrayBuffer) => InteractionTable[Column];
}
const COLUMNS: ColumnCodec[] = [
  { kind: "users", column: "users", size: 4, make: (b) => new Int32Array(b) },
  { kind: "items", column: "items", size: 4, make: (b) => new Int32Array(b) },
  { kind: "ratings", column: "ratings", size: 4, make: (b) => new Float32Array(b) },
  { kind: "timestamps", column: "timestamps", size: 8, make: (b) => new Float64Array(b) },
];

/**
 * Encodes a dataset as blobs: interaction columns as raw little-endian typed-array bytes
 * ("users", "items", "ratings" (explicit only), "timestamps" (when present)), ids and attributes
 * as UTF-8 JSON ("user-ids", "item-ids", "item-attributes", "user-attributes"). Each kind is
 * cut into parts of at most `maxPartBytes`.
 */
export function encodeDataset(dataset: Dataset, options: { maxPartBytes?: number } = {}): DatasetBlob[] {
  if (!LITTLE_ENDIAN) throw new AppError("INTERNAL", "dataset blobs need a little-endian machine");
  const max = options.maxPartBytes ?? MAX_PART_BYTES;
  const blobs: DatasetBlob[] = [];
  const add = (kind: string, bytes: Uint8Array) => {
    let part = 0;
    for (let at = 0; at < bytes.length || part === 0; at += max) blobs.push({ kind, part: part++, data: bytes.subarray(at, at + max) });
  };
  for (const { kind, column } of COLUMNS) {
    if (column === "ratings" && dataset.feedback === "implicit") continue;
    if (column === "timestamps" && !dataset.hasTimestamps) continue;
    const a = dataset.table[column];
    add(kind, new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  }
  const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
  add("user-ids", json(dataset.userIds));
  add("item-ids", json(dataset.itemIds));
  if (dataset.items) add("item-attributes", json(dataset.items));
  if (dataset.users) add("user-attributes", json(dataset.users));
  return blobs;
}

/** Rebuilds a dataset from its blobs (in any order); implicit ratings and absent timestamps are filled. */
export function decodeDataset(blobs: DatasetBlob[], meta: DatasetBlobMeta): Dataset {
  const byKind = new Map<string, DatasetBlob[]>();
  for (const b of blobs) {
    const list = byKind.get(b.kind);
    if (list) list.push(b);
    else byKind.set(b.kind, [b]);
  }
  // A fresh, aligned ArrayBuffer per kind: views over Node Buffers may start at odd offsets.
  const bytes = (kind: string): ArrayBuffer | null => {
    const parts = byKind.get(kind);
    if (!parts) return null;
    parts.sort((a, b) => a.part - b.part);
    const out = new Uint8Array(parts.reduce((s, p) => s + p.data.byteLength, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p.data, at);
      at += p.data.byteLength;
    }
    return out.buffer;
  };
  const required = (kind: string): ArrayBuffer => {
    const b = bytes(kind);
    if (!b) throw new AppError("INTERNAL", `the stored dataset has no '${kind}' blob`);
    return b;
  };
  const json = <T>(kind: string): T | undefined => {
    const b = bytes(kind);
    return b ? (JSON.parse(new TextDecoder().decode(b)) as T) : undefined;
  };

  const column = <C extends Column>(c: ColumnCodec): InteractionTable[C] => {
    const b = required(c.kind);
    if (b.byteLength % c.size !== 0) throw new AppError("INTERNAL", `the stored '${c.kind}' blob has a partial value`);
    return c.make(b) as InteractionTable[C];
  };
  const [usersCodec, itemsCodec, ratingsCodec, timestampsCodec] = COLUMNS;
  const users = column<"users">(usersCodec);
  const n = users.length;
  const table: InteractionTable = {
    users,
    items: column<"items">(itemsCodec),
    ratings: meta.feedback === "explicit" ? column<"ratings">(ratingsCodec) : new Float32Array(n).fill(1),
    timestamps: meta.hasTimestamps ? column<"timestamps">(timestampsCodec) : new Float64Array(n),
  };
  for (const { kind, column } of COLUMNS) {
    if (table[column].length !== n) throw new AppError("INTERNAL", `the stored '${kind}' column has ${table[column].length} rows, expected ${n}`);
  }
  const dataset: Dataset = {
    numUsers: meta.numUsers,
    numItems: meta.numItems,
    table,
    userIds: json<string[]>("user-ids") ?? [],
    itemIds: json<string[]>("item-ids") ?? [],
    feedback: meta.feedback,
    hasTimestamps: meta.hasTimestamps,
  };
  const items = json<Dataset["items"]>("item-attributes");
  const userAttributes = json<Dataset["users"]>("user-attributes");
  if (items) dataset.items = items;
  if (userAttributes) dataset.users = userAttributes;
  return dataset;
}
