/**
 * Who may do what: one table (role x action) used by every route handler and page.
 * Admins may do everything; analysts work with their team's datasets, runs and experiments;
 * viewers (product managers) read results and reports and export them, but cannot launch,
 * delete or see raw per-user rows. "public" actions need no account (health, login).
 */
export const ROLES = ["admin", "analyst", "viewer"] as const;
export type Role = (typeof ROLES)[number];

const ALL: readonly Role[] = ROLES;
const WRITERS: readonly Role[] = ["admin", "analyst"];
const ADMIN: readonly Role[] = ["admin"];

export const POLICY = {
  public: "public",
  "dataset:read": ALL,
  "dataset:read-raw": WRITERS,
  "dataset:create": WRITERS,
  "dataset:delete": WRITERS,
  "run:read": ALL,
  "run:create": WRITERS,
  "run:cancel": WRITERS,
  "run:export": ALL,
  "run:rerank": WRITERS,
  /** One user's history, recommendations and reasons: per-user rows, so not for viewers. */
  "run:inspect-user": WRITERS,
  "experiment:read": ALL,
  "experiment:create": WRITERS,
  "experiment:cancel": WRITERS,
  /** A/B tests: product managers review them; analysts and admins launch, import and delete them. */
  "abtest:read": ALL,
  "abtest:create": WRITERS,
  "abtest:delete": WRITERS,
  "job:read": ALL,
  "job:cancel": WRITERS,
  "model:read": ALL,
  "report:read": ALL,
  "report:export": ALL,
  /** Create, list and revoke read-only share links to the team's reports. */
  "report:share": WRITERS,
  /** Turn report sharing on or off for everyone. */
  "sharing:manage": ADMIN,
  "account:read": ALL,
  "token:manage": ALL,
  "user:manage": ADMIN,
  "user:unlock": ADMIN,
  "audit:read": ADMIN,
} as const satisfies Record<string, readonly Role[] | "public">;

export type Action = keyof typeof POLICY;

export function isAction(value: string): value is Action {
  return Object.hasOwn(POLICY, value);
}

/** True when `role` may perform `action`. */
export function can(role: Role | null, action: Action): boolean {
  const allowed = POLICY[action];
  if (allowed === "public") return true;
  return role !== null && (allowed as readonly Role[]).includes(role);
}

/** A role may hand out API tokens of its own role or a lesser one. */
export function roleRank(role: Role): number {
  return { viewer: 0, analyst: 1, admin: 2 }[role];
}
