import type { APIRequestContext } from "@playwright/test";

/** Cookie-session API calls echo the session's CSRF token (as the app's own pages do). */
export async function csrf(request: APIRequestContext): Promise<Record<string, string>> {
  const token = (await request.storageState()).cookies.find((c) => c.name === "reclab_csrf")?.value;
  return token ? { "x-csrf-token": decodeURIComponent(token) } : {};
}
