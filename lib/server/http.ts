import "server-only";
import { NextResponse } from "next/server";
import { ZodError } from "zod";
import { AppError, type AppErrorCode } from "../errors";

const STATUS: Record<AppErrorCode, number> = {
  BAD_INPUT: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  TOO_LARGE: 413,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

export interface ErrorBody {
  error: { code: AppErrorCode; message: string; details?: Record<string, unknown> };
}

/** Maps any thrown value to a JSON error response; unknown errors never leak their text. */
export function errorResponse(error: unknown): NextResponse<ErrorBody> {
  if (error instanceof AppError) {
    return NextResponse.json(
      { error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } },
      { status: STATUS[error.code] },
    );
  }
  if (error instanceof ZodError) {
    const message = error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ");
    return NextResponse.json(
      { error: { code: "BAD_INPUT" as const, message, details: { issues: error.issues } } },
      { status: 400 },
    );
  }
  console.error("[api] unexpected error", error);
  return NextResponse.json(
    { error: { code: "INTERNAL" as const, message: "Something went wrong on our side; the error was logged." } },
    { status: 500 },
  );
}

type RouteContext<P> = { params: Promise<P> };

/**
 * Wraps a route handler: the handler validates with zod, calls lib/server and returns a value
 * that becomes JSON (or a Response it built itself); thrown errors become error responses.
 */
export function route<P = Record<string, never>>(
  handler: (request: Request, params: P) => Promise<unknown>,
) {
  return async (request: Request, context: RouteContext<P>): Promise<Response> => {
    try {
      const result = await handler(request, (await context?.params) ?? ({} as P));
      if (result instanceof Response) return result;
      return NextResponse.json(result ?? { ok: true });
    } catch (error) {
      return errorResponse(error);
    }
  };
}

/** Parses a JSON body, turning malformed JSON into a 400 instead of a 500. */
export async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("BAD_INPUT", "the request body is not valid JSON");
  }
}
