import { createApiToken } from "@/lib/auth/api-tokens";
import { createUser } from "@/lib/auth/accounts";
import type { Role } from "@/lib/auth/policy";
import type { Db, DbHandle } from "@/lib/db/client";

/** Points the app's process-wide database client (lib/db/client.ts) at a test database. */
export function useDatabase(handle: DbHandle): Db {
  (globalThis as unknown as { reclabDb?: DbHandle }).reclabDb = handle;
  return handle.db;
}

/** Creates an account with `role` (and team) and returns a bearer token acting as it. */
export async function tokenFor(db: Db, role: Role, options: { email?: string; teamId?: string } = {}): Promise<string> {
  const email = options.email ?? `${role}-${Math.random().toString(36).slice(2, 8)}@example.test`;
  const user = await createUser(db, { email, password: "correct horse battery", role, teamId: options.teamId });
  const { token } = await createApiToken(db, { userId: user.id, email, role, teamId: user.teamId, via: "session" }, { name: "test" });
  return token;
}

type Handler<P> = (request: Request, context: { params: Promise<P> }) => Promise<Response>;

export interface CallInit<P> {
  method?: string;
  url?: string;
  json?: unknown;
  body?: BodyInit;
  headers?: Record<string, string>;
  params?: P;
  /** Bearer token; defaults to the suite's `defaultToken`, null for anonymous. */
  token?: string | null;
  /** Aborts the request as a client going away would (request.signal). */
  signal?: AbortSignal;
}

let defaultToken: string | null = null;

/** The token `call` sends when none is given (an admin's, set in the suite's beforeAll). */
export function setDefaultToken(token: string | null): void {
  defaultToken = token;
}

/** Calls a route handler the way Next.js does and returns status, headers and parsed JSON. */
export async function call<P = Record<string, never>>(handler: Handler<P>, init: CallInit<P> = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const headers = new Headers(init.headers);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set("content-type", "application/json");
    body = typeof init.json === "string" ? init.json : JSON.stringify(init.json);
  }
  const token = init.token === undefined ? defaultToken : init.token;
  if (token) headers.set("authorization", `Bearer ${token}`);
  const request = new Request(init.url ?? "http://localhost/api/test", {
    method: init.method ?? "GET",
    headers,
    body,
    signal: init.signal,
    ...(body instanceof ReadableStream ? { duplex: "half" } : {}),
  } as RequestInit);
  const response = await handler(request, { params: Promise.resolve((init.params ?? {}) as P) });
  const text = await response.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

/** A multipart upload body for POST /api/datasets. */
export function uploadForm(fields: Record<string, string>, files: Record<string, { name: string; content: string | Uint8Array<ArrayBuffer> }>): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  for (const [k, f] of Object.entries(files)) form.set(k, new Blob([typeof f.content === "string" ? f.content : Uint8Array.from(f.content)]), f.name);
  return form;
}

/**
 * The usual cast of a multi-team test on the app's database: an analyst (the default caller),
 * a viewer of the same team and an analyst of another team, each as a bearer token.
 */
export async function useTeamDatabase(handle: DbHandle): Promise<{ db: Db; analyst: string; viewer: string; otherTeam: string }> {
  const db = useDatabase(handle);
  const analyst = await tokenFor(db, "analyst");
  const viewer = await tokenFor(db, "viewer");
  const otherTeam = await tokenFor(db, "analyst", { teamId: "other-team" });
  setDefaultToken(analyst);
  return { db, analyst, viewer, otherTeam };
}
