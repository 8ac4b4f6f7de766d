import "server-only";
import { NextResponse } from "next/server";
import { ZodError } from "zod";
import { can, type Action } from "../auth/policy";
import type { Principal } from "../auth/principal";
import { AppError, classifyError, errorDetails, formatZodIssues, type AppErrorCode } from "../errors";
import { logger } from "../ops/logger";
import { SAFE_METHODS, authenticateRequest, checkCsrf, clientIp, unauthenticatedMessage } from "./authenticate";
import { clearSharedReads } from "./shared-reads";

const STATUS: Record<AppErrorCode, number> = {
  BAD_INPUT: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  TOO_LARGE: 413,
  TOO_MANY_REQUESTS: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

export interface ErrorBody {
  error: { code: AppErrorCode; message: string; details?: Record<string, unknown> };
}

/**
 * Maps any thrown value to a JSON error response. AppError and ZodError carry messages written
 * for users; anything else is sorted by classifyError into 503 (a dependency was unavailable) or
 * 500, both with a generic message and a reference id that the server log line also carries.
 */
export function errorResponse(error: unknown): NextResponse<ErrorBody> {
  if (error instanceof AppError) {
    const retryAfter = error.details?.retryAfterSeconds;
    return NextResponse.json(
      { error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } },
      { status: STATUS[error.code], ...(typeof retryAfter === "number" ? { headers: { "retry-after": String(retryAfter) } } : {}) },
    );
  }
  if (error instanceof ZodError) {
    return NextResponse.json(
      { error: { code: "BAD_INPUT" as const, message: formatZodIssues(error.issues, "body"), details: { issues: error.issues } } },
      { status: 400 },
    );
  }
  const report = classifyError(error);
  const code = report.kind === "infrastructure" ? ("UNAVAILABLE" as const) : ("INTERNAL" as const);
  logger.error({ component: "api", kind: report.kind, ref: report.ref, details: errorDetails(error) }, "request failed");
  return NextResponse.json({ error: { code, message: report.message, details: { ref: report.ref } } }, { status: STATUS[code] });
}

type RouteContext<P> = { params: Promise<P> };

export interface RequestAuth<TPrincipal = Principal> {
  principal: TPrincipal;
  ip: string;
}

/** A route handler as Next.js calls it, labelled with the policy action it enforces. */
export type RouteHandler<P> = ((request: Request, context: RouteContext<P>) => Promise<Response>) & { action: Action };

function wrap<P, TPrincipal extends Principal | null>(
  action: Action,
  handler: (request: Request, params: P, auth: RequestAuth<TPrincipal>) => Promise<unknown>,
): RouteHandler<P> {
  const wrapped = async (request: Request, context: RouteContext<P>): Promise<Response> => {
    try {
      const principal = await authenticateRequest(request.headers);
      if (action !== "public") {
        if (!principal) throw new AppError("UNAUTHORIZED", unauthenticatedMessage(request.headers));
        if (!can(principal.role, action)) throw new AppError("FORBIDDEN", `the ${principal.role} role may not do this (${action})`);
      }
      checkCsrf(request, principal);
      const params = ((await context?.params) ?? {}) as P;
      const result = await handler(request, params, { principal: principal as TPrincipal, ip: clientIp(request.headers) });
      // A change made through the API shows on the caller's next read, not after the cache's interval.
      if (!SAFE_METHODS.has(request.method)) clearSharedReads();
      if (result instanceof Response) return result;
      return NextResponse.json(result ?? { ok: true });
    } catch (error) {
      return errorResponse(error);
    }
  };
  return Object.assign(wrapped, { action });
}

/**
 * Wraps a route handler: authenticates the caller, enforces the policy action (401 anonymous,
 * 403 forbidden), checks CSRF on cookie-authenticated mutations, then runs the handler, which
 * validates with zod, calls lib/server and returns a value that becomes JSON (or a Response).
 */
export function route<P = Record<string, never>>(
  action: Exclude<Action, "public">,
  handler: (request: Request, params: P, auth: RequestAuth) => Promise<unknown>,
): RouteHandler<P> {
  return wrap<P, Principal>(action, handler);
}

/** A route anyone may call (health, sign-in); the caller may still be known. */
export function publicRoute<P = Record<string, never>>(
  handler: (request: Request, params: P, auth: RequestAuth<Principal | null>) => Promise<unknown>,
): RouteHandler<P> {
  return wrap<P, Principal | null>("public", handler);
}

/** Every JSON body RecLab accepts is small (configs, credentials); uploads are multipart and streamed. */
export const MAX_JSON_BODY_BYTES = 1024 * 1024;

/** Reads a body as UTF-8 text, refusing it (413) as soon as it passes `maxBytes`, before buffering the rest. */
async function readBoundedText(request: Request, maxBytes: number): Promise<string> {
  const tooLarge = () => new AppError("TOO_LARGE", `the request body is larger than ${maxBytes / 1024 / 1024} MB`);
  if (Number(request.headers.get("content-length") ?? 0) > maxBytes) throw tooLarge();
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Parses a JSON body, turning malformed JSON into a 400 instead of a 500. */
export async function readJson(request: Request): Promise<unknown> {
  const text = await readBoundedText(request, MAX_JSON_BODY_BYTES);
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("BAD_INPUT", "the request body is not valid JSON");
  }
}
