const CSRF_COOKIE = "reclab_csrf";

function csrfToken(): string | undefined {
  const match = document.cookie.split("; ").find((c) => c.startsWith(`${CSRF_COOKIE}=`));
  return match ? decodeURIComponent(match.slice(CSRF_COOKIE.length + 1)) : undefined;
}

/**
 * Fetches JSON from the RecLab API; a non-2xx answer throws the API's user-facing message.
 * Mutations echo the session's CSRF token (from the reclab_csrf cookie) in x-csrf-token.
 */
export async function fetchJson<T>(url: string, init: RequestInit = {}): Promise<T> {
  const method = (init.method ?? "GET").toUpperCase();
  const headers = new Headers(init.headers);
  const token = method === "GET" || method === "HEAD" ? undefined : csrfToken();
  if (token) headers.set("x-csrf-token", token);
  const response = await fetch(url, { ...init, headers });
  const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
  if (!response.ok) throw new Error(body?.error?.message ?? `request failed (${response.status})`);
  return body as T;
}

/** Sends `body` as JSON (POST by default) and returns the parsed answer; errors as in fetchJson. */
export function sendJson<T>(url: string, body: unknown, method: "POST" | "PATCH" | "PUT" = "POST"): Promise<T> {
  return fetchJson<T>(url, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
}
