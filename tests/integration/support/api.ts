import type { Db } from "@/lib/db/client";
import type { DbHandle } from "@/lib/db/client";

/** Points the app's process-wide database client (lib/db/client.ts) at a test database. */
export function useDatabase(handle: DbHandle): Db {
  (globalThis as unknown as { reclabDb?: DbHandle }).reclabDb = handle;
  return handle.db;
}

type Handler<P> = (request: Request, context: { params: Promise<P> }) => Promise<Response>;

/** Calls a route handler the way Next.js does and returns status and parsed JSON. */
export async function call<P = Record<string, never>>(
  handler: Handler<P>,
  init: { method?: string; url?: string; json?: unknown; body?: BodyInit; headers?: Record<string, string>; params?: P } = {},
): Promise<{ status: number; body: any }> {
  const headers = new Headers(init.headers);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set("content-type", "application/json");
    body = typeof init.json === "string" ? init.json : JSON.stringify(init.json);
  }
  const request = new Request(init.url ?? "http://localhost/api/test", { method: init.method ?? "GET", headers, body });
  const response = await handler(request, { params: Promise.resolve((init.params ?? {}) as P) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** A multipart upload body for POST /api/datasets. */
export function uploadForm(fields: Record<string, string>, files: Record<string, { name: string; content: string | Uint8Array<ArrayBuffer> }>): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  for (const [k, f] of Object.entries(files)) form.set(k, new Blob([typeof f.content === "string" ? f.content : Uint8Array.from(f.content)]), f.name);
  return form;
}
