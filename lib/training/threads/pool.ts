import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { FromThread, ToThread } from "./thread-task";

/**
 * A set of worker threads running one task module (see thread-task.ts), for one fit.
 *
 * Starting a thread costs seconds (each loads its own TensorFlow.js wasm backend), so threads
 * of a pool closed normally wait, unreferenced, for the next pool in this process; a pool that
 * is terminated (cancellation, a failed step) kills its threads. Calls to one thread run in
 * order. The threads run TypeScript through tsx's loader, registered in each thread by ./tsx-bootstrap.mjs.
 */
export class ThreadPool {
  private closed = false;

  private constructor(private readonly threads: PoolThread[]) {}

  /** `size` threads, each with a task built by `module`'s export `exportName` from `init(i)`. */
  static async open(size: number, module: string, exportName: string, init: (thread: number) => unknown): Promise<ThreadPool> {
    const threads: PoolThread[] = [];
    for (let i = 0; i < size; i++) threads.push(idle.pop() ?? new PoolThread());
    const pool = new ThreadPool(threads);
    try {
      await Promise.all(threads.map((t, i) => t.call({ type: "init", module, exportName, init: init(i) })));
    } catch (error) {
      pool.terminate();
      throw error;
    }
    return pool;
  }

  get size(): number {
    return this.threads.length;
  }

  /** Sends `message` to thread `i`'s task; resolves with its answer. */
  run<T>(i: number, message: unknown): Promise<T> {
    if (this.closed) return Promise.reject(new Error("thread pool is closed"));
    return this.threads[i].call({ type: "run", message }) as Promise<T>;
  }

  /** Frees the tasks and keeps the threads for the next pool (falls back to terminating them). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await Promise.all(this.threads.map((t) => t.call({ type: "reset" })));
      for (const t of this.threads) idle.push(t.park());
    } catch {
      for (const t of this.threads) t.kill();
    }
  }

  /** Kills every thread now (their answers in flight are dropped). */
  terminate(): void {
    this.closed = true;
    for (const t of this.threads) t.kill();
  }
}

/** Threads left by closed pools, ready for reuse (unreferenced: they never keep the process alive). */
const idle: PoolThread[] = [];

/** Kills the threads kept for reuse (tests, shutdown). */
export function terminateIdleThreads(): void {
  for (const t of idle.splice(0)) t.kill();
}

/** A message to a thread before the pool numbers it. */
type Outgoing = ToThread extends infer T ? (T extends ToThread ? Omit<T, "id"> : never) : never;

class PoolThread {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private dead: Error | null = null;

  constructor() {
    this.worker = new Worker(new URL(siblingModule(import.meta.url, "tsx-bootstrap.mjs")), { workerData: { entry: siblingModule(import.meta.url, "thread-main.ts") } });
    this.worker.on("message", (reply: FromThread) => {
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if (reply.ok) waiting.resolve(reply.value);
      else waiting.reject(new Error(`training thread failed: ${reply.error}`));
    });
    this.worker.on("error", (error) => this.fail(error instanceof Error ? error : new Error(String(error))));
    this.worker.on("exit", (code) => this.fail(new Error(`training thread exited (code ${code})`)));
  }

  call(msg: Outgoing): Promise<unknown> {
    if (this.dead) return Promise.reject(this.dead);
    this.worker.ref();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...msg, id });
    });
  }

  park(): this {
    this.worker.unref();
    return this;
  }

  kill(): void {
    this.fail(new Error("training thread terminated"));
    void this.worker.terminate();
  }

  private fail(error: Error): void {
    if (this.dead) return;
    this.dead = error;
    const index = idle.indexOf(this);
    if (index >= 0) idle.splice(index, 1);
    for (const { reject } of this.pending.values()) reject(error);
    this.pending.clear();
  }
}

/**
 * The file URL of `file` beside the module at `moduleUrl` (pass `import.meta.url`). Not written as
 * `new URL(file, import.meta.url)`: bundlers would treat that as an asset to copy.
 */
export function siblingModule(moduleUrl: string, file: string): string {
  return pathToFileURL(path.join(path.dirname(fileURLToPath(moduleUrl)), file)).href;
}
