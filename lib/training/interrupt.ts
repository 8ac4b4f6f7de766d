/**
 * Cancellation between mini-batches. Training loops are synchronous between epochs (typed-array
 * SGD, TensorFlow.js on wasm), so a cancel request that arrives over I/O (the worker's poll of the
 * job row) can only be seen if the loop lets the event loop run now and then. The check returned
 * here does that at most every `yieldEveryMs`: one clock read per batch otherwise, so it is cheap
 * enough to call after every optimizer step.
 */
export type InterruptCheck = () => Promise<boolean>;

export function batchInterrupt(isCancelled: () => boolean, yieldEveryMs = 100): InterruptCheck {
  let last = performance.now();
  return async () => {
    if (isCancelled()) return true;
    const now = performance.now();
    if (now - last < yieldEveryMs) return false;
    await new Promise<void>((resolve) => setImmediate(resolve));
    last = performance.now();
    return isCancelled();
  };
}

/** Per-sample SGD models (BPR, biased MF) look at cancellation once per this many updates. */
export const INTERRUPT_STEPS = 4096;
