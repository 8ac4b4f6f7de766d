import { badInput } from "../errors";
import type { RankingEvalResult } from "./evaluate";

/**
 * Per-user metric vectors: pairing two runs for significance tests, and a compact binary form
 * for database storage.
 */

export type PerUser = RankingEvalResult["perUser"];

/** Run artefact kinds holding encoded per-user vectors: on test, or on validation for search trials (which skip test). */
export const PER_USER_ARTIFACT = "per-user-metrics";
export const VALIDATION_PER_USER_ARTIFACT = "validation-per-user-metrics";

export interface AlignedPerUser {
  /** Users both runs evaluated, in the order of run `a`. */
  users: Int32Array;
  a: Float64Array;
  b: Float64Array;
}

/**
 * Pairs the values of metric `key` ("ndcg@10") over the users both runs evaluated, for paired
 * tests (t-test, Wilcoxon) and bootstrap intervals. Throws BAD_INPUT when a run lacks `key`.
 */
export function alignPerUser(a: PerUser, b: PerUser, key: string): AlignedPerUser {
  const va = a.values[key];
  const vb = b.values[key];
  if (!va || !vb) throw badInput(`per-user values for "${key}" are missing from ${va ? "the second" : "the first"} run`, { key });
  const indexInB = new Map<number, number>();
  for (let i = 0; i < b.users.length; i++) indexInB.set(b.users[i], i);
  const users: number[] = [];
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < a.users.length; i++) {
    const j = indexInB.get(a.users[i]);
    if (j === undefined) continue;
    users.push(a.users[i]);
    xs.push(va[i]);
    ys.push(vb[j]);
  }
  return { users: Int32Array.from(users), a: Float64Array.from(xs), b: Float64Array.from(ys) };
}

const MAGIC = 0x52505531; // "RPU1"

interface Header {
  version: 1;
  /** Length of `users` and of every value vector. */
  length: number;
  /** Value vectors in storage order. */
  keys: string[];
}

/**
 * Binary layout (little-endian): u32 magic "RPU1", u32 header byte length H, H bytes of JSON
 * header `{ version, length, keys }` padded with spaces to a multiple of 4, then `users` as int32
 * and one float32 vector per key, `length` values each.
 */
export function encodePerUser(perUser: PerUser): Uint8Array {
  const length = perUser.users.length;
  const keys = Object.keys(perUser.values);
  for (const key of keys) {
    if (perUser.values[key].length !== length) {
      throw badInput(`per-user vector "${key}" has ${perUser.values[key].length} values for ${length} users`);
    }
  }
  const header: Header = { version: 1, length, keys };
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 4) * 4;
  if (padded !== json.length) {
    const withSpaces = new Uint8Array(padded).fill(0x20);
    withSpaces.set(json);
    json = withSpaces;
  }
  const bytes = new Uint8Array(8 + padded + 4 * length * (1 + keys.length));
  const view = new DataView(bytes.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, padded, true);
  bytes.set(json, 8);
  let at = 8 + padded;
  for (let i = 0; i < length; i++, at += 4) view.setInt32(at, perUser.users[i], true);
  for (const key of keys) {
    const v = perUser.values[key];
    for (let i = 0; i < length; i++, at += 4) view.setFloat32(at, v[i], true);
  }
  return bytes;
}

/** Inverse of encodePerUser; throws BAD_INPUT on bytes that are not an encoded per-user block. */
export function decodePerUser(bytes: Uint8Array): PerUser {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 8 || view.getUint32(0, true) !== MAGIC) throw badInput("not an encoded per-user block");
  const headerBytes = view.getUint32(4, true);
  if (8 + headerBytes > bytes.byteLength) throw badInput("per-user block truncated in its header");
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerBytes))) as Header;
  } catch {
    throw badInput("per-user block has a malformed header");
  }
  if (header.version !== 1) throw badInput(`unsupported per-user block version ${String(header.version)}`);
  const { length, keys } = header;
  let at = 8 + headerBytes;
  if (at + 4 * length * (1 + keys.length) !== bytes.byteLength) throw badInput("per-user block has the wrong size");
  const users = new Int32Array(length);
  for (let i = 0; i < length; i++, at += 4) users[i] = view.getInt32(at, true);
  const values: Record<string, Float32Array> = {};
  for (const key of keys) {
    const v = new Float32Array(length);
    for (let i = 0; i < length; i++, at += 4) v[i] = view.getFloat32(at, true);
    values[key] = v;
  }
  return { users, values };
}
