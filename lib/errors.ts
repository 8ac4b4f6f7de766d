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
