/**
 * Numbered requests to linear-algebra worker threads awaiting their `{ done: id }` replies; an
 * `{ error }` reply (or a worker error) rejects every pending request, since the phase cannot finish.
 */
export class PendingReplies {
  private readonly pending = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  private nextId = 0;

  /** A fresh request id and the promise its reply settles. */
  open(): { id: number; done: Promise<void> } {
    const id = this.nextId++;
    const done = new Promise<void>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    return { id, done };
  }

  settle(msg: { done?: number; error?: string }): void {
    if (msg.error !== undefined) return this.failAll(new Error(`linear-algebra worker failed: ${msg.error}`));
    const p = this.pending.get(msg.done!);
    this.pending.delete(msg.done!);
    p?.resolve();
  }

  failAll(e: Error): void {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }
}
