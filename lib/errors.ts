import { ZodError } from "zod";

/**
 * The one error type users see. `code` decides the HTTP status (lib/server/http.ts); `message`
 * is written for the user ("line 1532: rating 'abc' is not a number"), never a stack trace.
 */
export type AppErrorCode =
  | "BAD_INPUT"
  | "NOT_FOUND"
  | "CONFLICT"
  | "TOO_LARGE"
  | "TOO_MANY_REQUESTS"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "UNAVAILABLE"
  | "INTERNAL";

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "AppError";
  }
}

/** A malformed input file: the message names the line (1-based) and field. */
export function parseError(line: number, message: string, field?: string): AppError {
  return new AppError("BAD_INPUT", `line ${line}: ${message}`, { line, ...(field ? { field } : {}) });
}

export const badInput = (message: string, details?: Record<string, unknown>) =>
  new AppError("BAD_INPUT", message, details);
export const notFound = (message: string) => new AppError("NOT_FOUND", message);

/** A failure as users may see it, and whether trying again can help. */
export interface ErrorReport {
  /**
   * user: bad input or a state the user can change (AppError other than UNAVAILABLE/INTERNAL,
   * ZodError): its own message, no retry. infrastructure: a dependency was unreachable (database
   * down, connection lost, lock timeout): retry. internal: a bug: retry, but users only see a
   * generic message with `ref`, and the details go to the log.
   */
  kind: "user" | "infrastructure" | "internal";
  message: string;
  retryable: boolean;
  /** Short id printed in the generic message and in the log line with the details. */
  ref?: string;
}

/** Prisma codes for "could not reach / lost the database" and for transient lock conflicts. */
const PRISMA_TRANSIENT = new Set(["P1001", "P1002", "P1008", "P1011", "P1017", "P2024", "P2034"]);
/** Node socket errors, SQLite busy/locked, PostgreSQL connection, shutdown and serialization states. */
const DRIVER_TRANSIENT = new Set([
  "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN",
  "SQLITE_BUSY", "SQLITE_LOCKED", "08000", "08001", "08003", "08006", "40001", "40P01", "53300", "57P01", "57P02", "57P03",
]);

function isInfrastructureError(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 4) return false;
  const e = error as { name?: unknown; code?: unknown; cause?: unknown; meta?: unknown };
  if (e.name === "PrismaClientInitializationError") return true;
  if (typeof e.code === "string" && (PRISMA_TRANSIENT.has(e.code) || DRIVER_TRANSIENT.has(e.code))) return true;
  const driver = (e.meta as { driverAdapterError?: { cause?: { originalCode?: unknown; kind?: unknown } } } | undefined)?.driverAdapterError?.cause;
  if (driver && typeof driver.originalCode === "string" && DRIVER_TRANSIENT.has(driver.originalCode)) return true;
  if (driver && typeof driver.kind === "string" && /^(DatabaseNotReachable|DatabaseDoesNotExist|SocketTimeout|TransactionWriteConflict|TooManyConnections|ConnectionClosed)$/.test(driver.kind)) return true;
  return isInfrastructureError(e.cause, depth + 1);
}

/** Six hex digits: short enough to read out, long enough to find in a day's log. */
export function errorReference(): string {
  const bytes = new Uint8Array(3);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** One line per zod issue: "options.numUsers: the number of users may be at most 200,000". */
export function formatZodIssues(issues: readonly { path: (string | number)[]; message: string }[], root: string): string {
  return issues.map((i) => `${i.path.join(".") || root}: ${i.message}`).join("; ");
}

/**
 * Sorts a thrown value into what users are told and whether to retry; the one place that
 * decides it for the API (lib/server/http.ts) and the worker (workers/worker.ts). Callers log
 * the full error with `ref` when there is one.
 */
export function classifyError(error: unknown, root = "input"): ErrorReport {
  if (error instanceof AppError) {
    if (error.code === "UNAVAILABLE") return { kind: "infrastructure", message: error.message, retryable: true };
    if (error.code === "INTERNAL") return { kind: "internal", message: error.message, retryable: true };
    return { kind: "user", message: error.message, retryable: false };
  }
  if (error instanceof ZodError) return { kind: "user", message: formatZodIssues(error.issues, root), retryable: false };
  const ref = errorReference();
  if (isInfrastructureError(error)) {
    return { kind: "infrastructure", message: `a service was unavailable (ref ${ref}): the details were logged; it is retried`, retryable: true, ref };
  }
  return { kind: "internal", message: `internal error (ref ${ref}): the details were logged`, retryable: true, ref };
}

/** Everything about an error for the log: stack, Prisma/driver code and causes. */
export function errorDetails(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    if (current instanceof Error) {
      const code = (current as { code?: unknown }).code;
      parts.push(`${current.stack ?? `${current.name}: ${current.message}`}${code ? ` [code ${String(code)}]` : ""}`);
      current = current.cause;
    } else {
      parts.push(String(current));
      current = undefined;
    }
  }
  return parts.join("\ncaused by: ");
}
