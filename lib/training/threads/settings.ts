import os from "node:os";
import { z } from "zod";

/**
 * How many threads one training run may use — the one place RecLab reads it:
 *   1. `RECLAB_THREADS` (a whole number ≥ 1) when set;
 *   2. otherwise the cores this process may use (`os.availableParallelism()`) divided, rounded
 *      down, by `RECLAB_WORKERS_PER_MACHINE` (default 1: one worker process per machine), so
 *      several workers on one machine share its cores fairly instead of each taking all of them;
 *   3. never less than 1.
 * The count changes results (each thread draws its own dropout masks or samples), so a run is
 * reproducible from its seed together with this count; `threads: 1` is the single-thread path.
 */
const threadsEnvSchema = z.object({
  RECLAB_THREADS: z.coerce.number().int().min(1).max(256).optional().describe("Threads one training run uses (default: cores ÷ RECLAB_WORKERS_PER_MACHINE)"),
  RECLAB_WORKERS_PER_MACHINE: z.coerce
    .number()
    .int()
    .min(1)
    .max(1024)
    .default(1)
    .describe("Worker processes sharing this machine's cores; divides the default thread count"),
});

export function threadsSetting(env: Record<string, string | undefined> = process.env, cores = availableCores()): number {
  const parsed = threadsEnvSchema.safeParse({
    RECLAB_THREADS: blankToUndefined(env.RECLAB_THREADS),
    RECLAB_WORKERS_PER_MACHINE: blankToUndefined(env.RECLAB_WORKERS_PER_MACHINE),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${issue.path.join(".")} must be a whole number ≥ 1 (${issue.message})`);
  }
  const { RECLAB_THREADS: threads, RECLAB_WORKERS_PER_MACHINE: workers } = parsed.data;
  return threads ?? Math.max(1, Math.floor(cores / workers));
}

export function availableCores(): number {
  return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
}

const blankToUndefined = (v: string | undefined) => (v === undefined || v.trim() === "" ? undefined : v);

/**
 * A fit's size and the least size at which its threads pay for their start-up (each thread
 * loads its own runtime: about a second for TensorFlow.js, a fraction for typed-array kernels),
 * in one unit of the model's choosing (FLOPs, sampled triples).
 */
export interface ParallelWork {
  work: number;
  minWork: number;
}

/** Threads a fit uses: `allowed` when its work reaches the threshold, else 1 (tiny fits stay on one thread). */
export function threadsForWork(allowed: number, size: ParallelWork | null): number {
  return size && size.work >= size.minWork ? allowed : 1;
}
