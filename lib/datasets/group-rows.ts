/** Row indices grouped by a key column: rows of key k are order[start[k] .. start[k+1]). */
export interface RowGroups {
  start: Int32Array;
  order: Int32Array;
}

/**
 * Groups row indices by key (a counting sort; input order kept within a key). Rows with
 * `keep[i] === 0` are left out when a mask is given.
 */
export function groupRows(keys: Int32Array, numKeys: number, keep?: Uint8Array): RowGroups {
  const start = new Int32Array(numKeys + 1);
  for (let i = 0; i < keys.length; i++) if (!keep || keep[i]) start[keys[i] + 1]++;
  for (let k = 0; k < numKeys; k++) start[k + 1] += start[k];
  const cursor = start.slice(0, numKeys);
  const order = new Int32Array(start[numKeys]);
  for (let i = 0; i < keys.length; i++) if (!keep || keep[i]) order[cursor[keys[i]]++] = i;
  return { start, order };
}
