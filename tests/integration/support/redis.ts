import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";

/**
 * Redis for integration tests: the local server named by RECLAB_TEST_REDIS_URL (default
 * redis://127.0.0.1:6379), used under a fresh key prefix per test and never flushed; tests that
 * restart Redis start their own throwaway `redis-server` instead.
 */
export const REDIS_TEST_URL = process.env.RECLAB_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

async function redisReachable(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 2000 });
  client.on("error", () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

export const REDIS_AVAILABLE = await redisReachable(REDIS_TEST_URL);
if (!REDIS_AVAILABLE) console.warn(`[tests] Redis not reachable at ${REDIS_TEST_URL}: skipping the BullMQ queue tests (set RECLAB_TEST_REDIS_URL)`);

/** A key prefix no other test (or helper) uses. */
export function testPrefix(): string {
  return `reclab-test-${randomBytes(6).toString("hex")}`;
}

/** Deletes every key under `prefix` (SCAN + DEL: the shared server is never flushed). */
export async function deletePrefix(url: string, prefix: string): Promise<number> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  let deleted = 0;
  try {
    let cursor = "0";
    do {
      const [next, keys] = await client.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
      cursor = next;
      if (keys.length > 0) deleted += await client.del(...keys);
    } while (cursor !== "0");
  } finally {
    client.disconnect();
  }
  return deleted;
}


/** A private, non-persistent redis-server that a test may stop and start again (state is lost). */
export class ThrowawayRedis {
  private child: ChildProcess | null = null;
  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn("redis-server", ["--port", String(this.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no"], { stdio: "ignore" });
    this.child = child;
    const deadline = Date.now() + 10_000;
    while (!(await redisReachable(this.url))) {
      if (child.exitCode !== null) throw new Error(`redis-server on port ${this.port} exited with ${child.exitCode}`);
      if (Date.now() > deadline) throw new Error(`redis-server on port ${this.port} did not start`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      child.kill("SIGKILL");
    });
  }
}
