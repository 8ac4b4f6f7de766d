import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { can, type Action } from "../auth/policy";
import type { Principal } from "../auth/principal";
import { getDb } from "../db/client";
import { authenticateRequest } from "./authenticate";

/** The signed-in principal of the current page request, or null. */
export async function getPagePrincipal(): Promise<Principal | null> {
  try {
    return await authenticateRequest(await headers());
  } catch {
    return null;
  }
}

/**
 * For pages: the principal, or a redirect to sign-in (to first-run setup on an empty database),
 * or to /forbidden when the role may not perform `action`.
 */
export async function requirePagePrincipal(action: Exclude<Action, "public"> = "dataset:read"): Promise<Principal> {
  const principal = await getPagePrincipal();
  if (!principal) {
    if ((await getDb().user.count()) === 0) redirect("/setup");
    redirect("/login");
  }
  if (!can(principal.role, action)) redirect("/forbidden");
  return principal;
}
