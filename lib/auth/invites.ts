import { z } from "zod";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { createUser, emailSchema, type UserView } from "./accounts";
import { recordAudit } from "./audit";
import { checkPasswordStrength } from "./passwords";
import { ROLES } from "./policy";
import type { Principal } from "./principal";
import { hashSecret, randomSecret } from "./secrets";

const INVITE_TTL_MS = 7 * 24 * 3600 * 1000;

export const createInviteSchema = z.object({
  email: emailSchema,
  role: z.enum(ROLES).describe("Role of the new account"),
  teamId: z.string().trim().min(1).max(64).default("default").describe("Team whose datasets and runs the account works with"),
});

export const acceptInviteSchema = z.object({
  token: z.string().min(10).max(200),
  password: z.string(),
  name: z.string().trim().max(100).optional(),
});

/** An admin invites someone; the returned token goes into the link (shown once). */
export async function createInvite(db: Db, admin: Principal, input: z.infer<typeof createInviteSchema>): Promise<{ token: string; expiresAt: string }> {
  if (await db.user.findUnique({ where: { email: input.email } })) throw new AppError("CONFLICT", `an account for ${input.email} already exists`);
  const token = randomSecret();
  const expiresAt = new Date(Date.now() + INVITE_TTL_MS);
  await db.invite.create({ data: { email: input.email, role: input.role, teamId: input.teamId, tokenHash: hashSecret(token), invitedById: admin.userId, expiresAt } });
  await recordAudit(db, { actor: admin, action: "user.invite", target: input.email, detail: input.role });
  return { token, expiresAt: expiresAt.toISOString() };
}

export async function findInvite(db: Db, token: string) {
  const invite = await db.invite.findUnique({ where: { tokenHash: hashSecret(token) } });
  if (!invite || invite.acceptedAt || invite.expiresAt.getTime() <= Date.now()) return null;
  return invite;
}

const INVITE_USED = "this invitation was already accepted; sign in instead";

/**
 * Accepting an invitation creates the account with the invited role and team. The invitation
 * is claimed first by a compare-and-set on acceptedAt, so of several concurrent accepts exactly
 * one creates the account and the others get 409; a claim whose account cannot be created
 * (weak password, email taken meanwhile) is released so the link still works.
 */
export async function acceptInvite(db: Db, input: z.infer<typeof acceptInviteSchema>): Promise<UserView> {
  const invite = await db.invite.findUnique({ where: { tokenHash: hashSecret(input.token) } });
  if (invite?.acceptedAt) throw new AppError("CONFLICT", INVITE_USED);
  if (!invite || invite.expiresAt.getTime() <= Date.now()) throw new AppError("NOT_FOUND", "this invitation link is invalid or expired");
  checkPasswordStrength(input.password);
  const claimedAt = new Date();
  const { count } = await db.invite.updateMany({ where: { id: invite.id, acceptedAt: null }, data: { acceptedAt: claimedAt } });
  if (count === 0) throw new AppError("CONFLICT", INVITE_USED);
  let user: UserView;
  try {
    user = await createUser(db, { email: invite.email, password: input.password, role: invite.role as UserView["role"], name: input.name, teamId: invite.teamId });
  } catch (error) {
    await db.invite.updateMany({ where: { id: invite.id, acceptedAt: claimedAt }, data: { acceptedAt: null } });
    throw (error as { code?: string }).code === "P2002" ? new AppError("CONFLICT", `an account for ${invite.email} already exists`) : error;
  }
  await recordAudit(db, { actor: { email: user.email, userId: user.id }, action: "user.join", target: `user:${user.id}`, detail: user.role });
  return user;
}
