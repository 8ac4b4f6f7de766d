/**
 * What a module run on a pool thread exports: a factory (named in ThreadPool.open) that builds
 * the thread's task from the `init` payload sent once per fit, then answers `run` messages in
 * order. Payloads are structured-cloned; SharedArrayBuffers inside them are shared, not copied.
 */
export interface ThreadTask<In = unknown, Out = unknown> {
  run(message: In): Out | Promise<Out>;
  /** Frees what the task holds (tensors); the thread then waits for its next task. */
  dispose?(): void;
}

export type ThreadTaskFactory<Init = unknown, In = unknown, Out = unknown> = (init: Init) => ThreadTask<In, Out> | Promise<ThreadTask<In, Out>>;

/** Messages between a pool and its threads. */
export type ToThread =
  | { id: number; type: "init"; module: string; exportName: string; init: unknown }
  | { id: number; type: "run"; message: unknown }
  | { id: number; type: "reset" };

export type FromThread = { id: number; ok: true; value?: unknown } | { id: number; ok: false; error: string };
