import { z } from "zod";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { ROLES, roleRank, type Role } from "./policy";
import type { Principal } from "./principal";
import { hashSecret, randomSecret } from "./secrets";

const TOKEN_PREFIX = "rlk_";

export const createTokenSchema = z.object({
  name: z.string().trim().min(1).max(100).describe("What the token is for, e.g. 'CI pipeline'"),
  role: z.enum(ROLES).optional().describe("Role the token acts with; at most the owner's role (default: the owner's)"),
  expiresInDays: z.number().int().min(1).max(3650).optional().describe("Days until the token stops working (default: never)"),
});

export interface ApiTokenView {
  id: string;
  name: string;
  role: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

/** Creates a personal API token. The secret is returned once and stored only as a hash. */
export async function createApiToken(
  db: Db,
  owner: Principal,
  input: z.infer<typeof createTokenSchema>,
): Promise<{ token: string; record: ApiTokenView }> {
  if (!owner.userId) throw new AppError("BAD_INPUT", "API tokens belong to accounts; single-user mode has none");
  const role: Role = input.role ?? owner.role;
  if (roleRank(role) > roleRank(owner.role)) {
    throw new AppError("FORBIDDEN", `a ${owner.role} cannot create a token with the ${role} role`);
  }
  const secret = randomSecret();
  const token = `${TOKEN_PREFIX}${secret}`;
  const row = await db.apiToken.create({
    data: {
      userId: owner.userId,
      name: input.name,
      tokenHash: hashSecret(token),
      role,
      expiresAt: input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null,
    },
  });
  return { token, record: toView(row) };
}

/** The principal behind a bearer token, or null when unknown, revoked, expired or disabled. */
export async function authenticateApiToken(db: Db, token: string): Promise<Principal | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const row = await db.apiToken.findUnique({ where: { tokenHash: hashSecret(token) }, include: { user: true } });
  if (!row || row.revokedAt || row.user.disabled) return null;
  if (row.expiresAt && row.expiresAt.getTime() <= Date.now()) return null;
  await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  // A token never acts above its owner's current role.
  const ownerRole = row.user.role as Role;
  const role = roleRank(row.role as Role) <= roleRank(ownerRole) ? (row.role as Role) : ownerRole;
  return { userId: row.user.id, email: row.user.email, role, teamId: row.user.teamId, via: "token", tokenId: row.id };
}

export async function listApiTokens(db: Db, userId: string): Promise<ApiTokenView[]> {
  const rows = await db.apiToken.findMany({ where: { userId }, orderBy: { createdAt: "desc" } });
  return rows.map(toView);
}

/** Revokes one of the owner's tokens (admins may revoke anyone's). */
export async function revokeApiToken(db: Db, principal: Principal, tokenId: string): Promise<void> {
  const row = await db.apiToken.findUnique({ where: { id: tokenId } });
  if (!row || (row.userId !== principal.userId && principal.role !== "admin")) {
    throw new AppError("NOT_FOUND", `token ${tokenId} does not exist`);
  }
  if (!row.revokedAt) await db.apiToken.update({ where: { id: tokenId }, data: { revokedAt: new Date() } });
}

/** Revokes every live token of an account ("log out everywhere, tokens too"); returns how many. */
export async function revokeAllApiTokens(db: Db, userId: string): Promise<number> {
  const { count } = await db.apiToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: new Date() } });
  return count;
}

// The list shows no part of the secret: the name and dates tell tokens apart.
function toView(row: { id: string; name: string; role: string; createdAt: Date; lastUsedAt: Date | null; expiresAt: Date | null; revokedAt: Date | null }): ApiTokenView {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}
