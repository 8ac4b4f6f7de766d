import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";

/**
 * PostgreSQL restarts, failovers and `pg_terminate_backend` drop connections; for a few seconds
 * new ones are refused. Statements that fail that way are retried here, below Prisma, with
 * backoff for up to `maxWaitMs`, so a worker's in-flight writes land once the server is back
 * instead of failing the job. Only what is safe to repeat is retried: single statements outside
 * a transaction (the server rolled back a statement whose connection died) and the start of a
 * transaction. A transaction that loses its connection mid-way fails as a whole, for its caller
 * to retry (the worker retries the job; metric points are upserts, claims are compare-and-set).
 */
export interface TransientRetryOptions {
  maxWaitMs?: number;
  onRetry?: (error: unknown, attempt: number) => void;
}

/** SQLSTATEs of a lost or refused connection (class 08, admin shutdown 57P0x, too many connections). */
const TRANSIENT_CODES = new Set(["08000", "08001", "08003", "08004", "08006", "57P01", "57P02", "57P03", "53300"]);
const TRANSIENT_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);
const TRANSIENT_MESSAGE = /Connection terminated|ECONNREFUSED|ECONNRESET|terminating connection|not currently accepting connections|the database system is (starting up|shutting down)/i;

/** Whether a driver error means "the connection went away, try again" rather than "this statement is wrong". */
export function isTransientConnectionError(error: unknown): boolean {
  // node-postgres errors (lib/db/pg-bytes) carry the SQLSTATE themselves; Prisma's, in `cause`.
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && TRANSIENT_CODES.has(code)) return true;
  const cause = (error as { cause?: { kind?: string; originalCode?: string; originalMessage?: string } } | null)?.cause;
  if (cause?.originalCode && TRANSIENT_CODES.has(cause.originalCode)) return true;
  // 55000 is a broad class; only "database ... is not currently accepting connections" is transient.
  if (cause?.originalCode === "55000") return TRANSIENT_MESSAGE.test(cause.originalMessage ?? "");
  if (cause?.kind && TRANSIENT_KINDS.has(cause.kind)) return true;
  const message = error instanceof Error ? error.message : String(error);
  return TRANSIENT_MESSAGE.test(message) || TRANSIENT_MESSAGE.test(cause?.originalMessage ?? "");
}

export function retryTransient<T>(operation: () => Promise<T>, options: TransientRetryOptions = {}): Promise<T> {
  return retryWithBackoff(operation, isTransientConnectionError, { maxWaitMs: options.maxWaitMs ?? 30_000, firstDelayMs: 100, maxDelayMs: 1000, onRetry: options.onRetry });
}

/**
 * Runs `operation` until it succeeds, retrying the errors `retryable` accepts after waits that
 * double from `firstDelayMs` up to `maxDelayMs`, for at most `maxWaitMs`; then the error stands.
 */
export async function retryWithBackoff<T>(
  operation: () => Promise<T>,
  retryable: (error: unknown) => boolean,
  options: { maxWaitMs: number; firstDelayMs: number; maxDelayMs: number; onRetry?: (error: unknown, attempt: number) => void },
): Promise<T> {
  const deadline = Date.now() + options.maxWaitMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (!retryable(error) || Date.now() > deadline) throw error;
      options.onRetry?.(error, attempt);
      await new Promise((r) => setTimeout(r, Math.min(options.maxDelayMs, options.firstDelayMs * 2 ** (attempt - 1))));
    }
  }
}

const RETRIED = new Set<PropertyKey>(["queryRaw", "executeRaw", "startTransaction"]);

function wrapAdapter(adapter: SqlDriverAdapter, options: TransientRetryOptions): SqlDriverAdapter {
  return new Proxy(adapter, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      const method = value as (...args: unknown[]) => Promise<unknown>;
      if (!RETRIED.has(property)) return method.bind(target);
      return (...args: unknown[]) => retryTransient(() => method.apply(target, args), options);
    },
  });
}

/** The adapter factory with transient connection errors retried (see above). */
export function withTransientRetry<F extends SqlMigrationAwareDriverAdapterFactory>(factory: F, options: TransientRetryOptions = {}): F {
  return new Proxy(factory, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (property === "connect") return async () => wrapAdapter(await target.connect(), options);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
