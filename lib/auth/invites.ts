import { z } from "zod";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { createUser, emailSchema, type UserView } from "./accounts";
import { recordAudit } from "./audit";
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

/** Accepting an invitation creates the account with the invited role and team. */
export async function acceptInvite(db: Db, input: z.infer<typeof acceptInviteSchema>): Promise<UserView> {
  const invite = await findInvite(db, input.token);
  if (!invite) throw new AppError("NOT_FOUND", "this invitation link is invalid, used or expired");
  const user = await createUser(db, { email: invite.email, password: input.password, role: invite.role as UserView["role"], name: input.name, teamId: invite.teamId });
  await db.invite.update({ where: { id: invite.id }, data: { acceptedAt: new Date() } });
  await recordAudit(db, { actor: { email: user.email, userId: user.id }, action: "user.join", target: `user:${user.id}`, detail: user.role });
  return user;
}
