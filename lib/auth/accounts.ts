import { z } from "zod";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { recordAudit } from "./audit";
import { accountKey, blockedKeys, resetThrottle } from "./login-throttle";
import { checkPasswordStrength, hashPassword } from "./passwords";
import { ROLES, type Role } from "./policy";
import type { Principal } from "./principal";

export const emailSchema = z.string().trim().toLowerCase().email("enter a valid email address").max(254);

export interface UserView {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  teamId: string;
  disabled: boolean;
  /** Set while sign-in is backing off after failed attempts (an admin can unlock it). */
  lockedUntil: string | null;
  createdAt: string;
}

export function toUserView(row: { id: string; email: string; name: string | null; role: string; teamId: string; disabled: boolean; createdAt: Date }, lockedUntil?: Date): UserView {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role as Role,
    teamId: row.teamId,
    disabled: row.disabled,
    lockedUntil: lockedUntil?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

export async function createUser(
  db: Db,
  input: { email: string; password: string; role: Role; name?: string; teamId?: string },
): Promise<UserView> {
  const email = emailSchema.parse(input.email);
  checkPasswordStrength(input.password);
  if (await db.user.findUnique({ where: { email } })) throw new AppError("CONFLICT", `an account for ${email} already exists`);
  const row = await db.user.create({
    data: { email, name: input.name ?? null, role: input.role, teamId: input.teamId ?? "default", passwordHash: await hashPassword(input.password) },
  });
  return toUserView(row);
}

export const setupSchema = z.object({
  email: emailSchema,
  password: z.string().describe("At least 10 characters"),
  name: z.string().trim().max(100).optional(),
});

/** First-run setup: creates the first admin, and only while no account exists. */
export async function setupFirstAdmin(db: Db, input: z.infer<typeof setupSchema>): Promise<UserView> {
  if ((await db.user.count()) > 0) throw new AppError("CONFLICT", "RecLab is already set up; sign in instead");
  const user = await createUser(db, { ...input, role: "admin" });
  await recordAudit(db, { actor: { email: user.email, userId: user.id }, action: "setup", target: `user:${user.id}` });
  return user;
}

/** Creates the admin named by ADMIN_EMAIL / ADMIN_PASSWORD on an empty database. */
export async function ensureAdminFromEnv(db: Db, env: { ADMIN_EMAIL?: string; ADMIN_PASSWORD?: string }): Promise<boolean> {
  if (!env.ADMIN_EMAIL || !env.ADMIN_PASSWORD) return false;
  if ((await db.user.count()) > 0) return false;
  await setupFirstAdmin(db, { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD });
  return true;
}

export const updateUserSchema = z.object({
  role: z.enum(ROLES).optional(),
  disabled: z.boolean().optional(),
  teamId: z.string().trim().min(1).max(64).optional(),
});

/** Admin edits: role, team, disabled. An admin cannot demote or disable themselves. */
export async function updateUser(db: Db, actor: Principal, userId: string, patch: z.infer<typeof updateUserSchema>): Promise<UserView> {
  const user = await db.user.findUnique({ where: { id: userId } });
  if (!user) throw new AppError("NOT_FOUND", `user ${userId} does not exist`);
  if (userId === actor.userId && ((patch.role && patch.role !== "admin") || patch.disabled)) {
    throw new AppError("CONFLICT", "you cannot demote or disable your own account");
  }
  const row = await db.user.update({ where: { id: userId }, data: patch });
  if (patch.disabled) await db.session.deleteMany({ where: { userId } });
  if (patch.role && patch.role !== user.role) {
    await recordAudit(db, { actor, action: "user.role-change", target: `user:${userId}`, detail: `${user.role} -> ${patch.role}` });
  }
  if (patch.disabled !== undefined && patch.disabled !== user.disabled) {
    await recordAudit(db, { actor, action: "user.disable", target: `user:${userId}`, detail: patch.disabled ? "disabled" : "enabled" });
  }
  return toUserView(row);
}

/** Admin action: the account may sign in again at once, whatever its recent failed attempts. */
export async function unlockUser(db: Db, actor: Principal, userId: string, ip?: string): Promise<UserView> {
  const user = await db.user.findUnique({ where: { id: userId } });
  if (!user) throw new AppError("NOT_FOUND", `user ${userId} does not exist`);
  await resetThrottle(db, accountKey(user.email));
  await recordAudit(db, { actor, action: "user.unlock", target: `user:${userId}`, ip });
  return toUserView(user);
}

export async function listUsers(db: Db): Promise<UserView[]> {
  const rows = await db.user.findMany({ orderBy: { createdAt: "asc" } });
  const blocked = await blockedKeys(db, rows.map((r) => accountKey(r.email)));
  return rows.map((r) => toUserView(r, blocked.get(accountKey(r.email))));
}
