import type { Variable } from "@tensorflow/tfjs";
import { loadTensorflow } from "../tf-backend";
import { computeShard, type Replica, type ReplicaTaskInit, type ShardRequest, type ShardResult } from "./data-parallel";
import type { ThreadTask } from "./thread-task";

/**
 * The pool-thread side of DataParallelGradients: builds the model's replica on this thread's own
 * TensorFlow.js backend, loads the shared weights whenever their version moved, and writes each
 * shard's gradient into this thread's slot of the shared gradient buffer.
 */
export async function createReplicaTask(init: ReplicaTaskInit): Promise<ThreadTask<ShardRequest<unknown>, ShardResult>> {
  const { tf } = await loadTensorflow();
  const mod = (await import(init.replica.module)) as Record<string, unknown>;
  const factory = mod[init.replica.exportName] as ((init: unknown) => Replica<unknown> | Promise<Replica<unknown>>) | undefined;
  if (typeof factory !== "function") throw new Error(`${init.replica.module} exports no replica factory "${init.replica.exportName}"`);
  const replica = await factory(init.replica.init);
  const vars: Variable[] = init.names.map((name, k) => {
    const v = replica.vars[name];
    if (!v || v.size !== init.sizes[k]) throw new Error(`replica weight "${name}" is missing or has ${v?.size ?? 0} values, not ${init.sizes[k]}`);
    return v;
  });
  const offsets: number[] = [];
  let total = 0;
  for (const size of init.sizes) {
    offsets.push(total);
    total += size;
  }
  const weights = new Float32Array(init.weights);
  const slot = new Float32Array(init.grads, init.slot * total * 4, total);
  let loaded = -1;
  return {
    run({ version, shard, seed }) {
      if (version !== loaded) {
        // wasm copies a new tensor's values into its heap; elsewhere (cpu) the tensor keeps the
        // array, so it gets a private copy the caller never rewrites.
        const copies = tf.getBackend() !== "wasm";
        vars.forEach((v, k) => {
          const values = copies ? weights.slice(offsets[k], offsets[k] + init.sizes[k]) : weights.subarray(offsets[k], offsets[k] + init.sizes[k]);
          tf.tidy(() => v.assign(tf.tensor(values, v.shape)));
        });
        loaded = version;
      }
      return computeShard(tf, replica, init.names, offsets, slot, shard, seed);
    },
    dispose() {
      replica.dispose?.();
    },
  };
}
