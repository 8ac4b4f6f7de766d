import type { Role } from "./policy";

/** Who is making a request, after authentication. */
export interface Principal {
  /** null in single-user mode and for share-link readers, where no account exists. */
  userId: string | null;
  email: string;
  role: Role;
  teamId: string;
  via: "session" | "token" | "single-user" | "share-link";
  /** The session's CSRF token (session principals only). */
  csrfToken?: string;
  sessionId?: string;
  tokenId?: string;
}

/** Admins see every team's resources; everyone else their own team's. */
export function teamScope(principal: Principal): { teamId?: string } {
  return principal.role === "admin" ? {} : { teamId: principal.teamId };
}
