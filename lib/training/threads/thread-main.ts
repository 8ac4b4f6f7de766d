import { parentPort } from "node:worker_threads";
import type { FromThread, ThreadTask, ThreadTaskFactory, ToThread } from "./thread-task";

/**
 * The body of every pool thread: loads a task module on "init", runs its messages one at a time
 * (in arrival order, so a pool's calls to one thread are serialised), disposes it on "reset".
 */
if (!parentPort) throw new Error("thread-main.ts must run in a worker thread");
const port = parentPort;
let task: ThreadTask | null = null;
let queue: Promise<void> = Promise.resolve();

port.on("message", (msg: ToThread) => {
  queue = queue.then(() => handle(msg));
});

async function handle(msg: ToThread): Promise<void> {
  let reply: FromThread;
  try {
    if (msg.type === "init") {
      task?.dispose?.();
      task = null;
      const mod = (await import(msg.module)) as Record<string, unknown>;
      const factory = mod[msg.exportName] as ThreadTaskFactory | undefined;
      if (typeof factory !== "function") throw new Error(`${msg.module} exports no thread task factory "${msg.exportName}"`);
      task = await factory(msg.init);
      reply = { id: msg.id, ok: true };
    } else if (msg.type === "run") {
      if (!task) throw new Error("thread has no task: init it first");
      reply = { id: msg.id, ok: true, value: await task.run(msg.message) };
    } else {
      task?.dispose?.();
      task = null;
      reply = { id: msg.id, ok: true };
    }
  } catch (error) {
    reply = { id: msg.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  port.postMessage(reply);
}
