/**
 * The rule that cuts a step's batch across threads: contiguous, near-equal parts, the later
 * parts one longer when the batch does not divide evenly. Kept apart from the pool so model
 * files can name it without loading worker_threads.
 */
export function splitContiguous(batch: Int32Array, parts: number): Int32Array[] {
  const out: Int32Array[] = [];
  for (let s = 0; s < parts; s++) out.push(batch.subarray(Math.floor((s * batch.length) / parts), Math.floor(((s + 1) * batch.length) / parts)));
  return out;
}
