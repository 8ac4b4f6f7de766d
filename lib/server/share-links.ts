import "server-only";
import { z } from "zod";
import { teamScope, type Principal } from "../auth/principal";
import { hashSecret, randomSecret } from "../auth/secrets";
import type { Db } from "../db/client";
import { AppError, notFound } from "../errors";
import { EXPORTABLE_KINDS, reportTargetInputSchema, targetFromParts, targetIds, toReportTarget, type ExportableKind, type ExportableTarget } from "../reports/report-target";
import { resolveReportTarget } from "./resolve-report-target";
import { isSharingEnabled } from "./sharing-setting";

/**
 * Read-only share links: each shows one report to anyone holding the link, until it expires or
 * is revoked, and only while sharing is on. The token (32 random bytes, 256 bits) is returned
 * once; the database keeps its SHA-256, so a lookup by hash is the only comparison made.
 */

export const SHARE_EXPIRY_HOURS = { min: 1, max: 90 * 24, default: 7 * 24 } as const;
/** A team keeps at most this many live links; revoke some to make more. */
export const MAX_LIVE_LINKS_PER_TEAM = 500;

export const createShareLinkSchema = z
  .object({
    target: reportTargetInputSchema.describe("The one report the link shows"),
    expiresInHours: z
      .number({ message: "expiresInHours must be a number" })
      .int("expiresInHours must be a whole number")
      .min(SHARE_EXPIRY_HOURS.min, "a link lives at least 1 hour")
      .max(SHARE_EXPIRY_HOURS.max, "a link lives at most 90 days (2160 hours)")
      .default(SHARE_EXPIRY_HOURS.default)
      .describe("Hours until the link stops working: 1 to 2160 (90 days), default 168 (7 days)"),
  })
  .strict();

export type ShareLinkStatus = "active" | "expired" | "revoked";

export interface ShareLinkView {
  id: string;
  kind: ExportableKind;
  ids: string[];
  label: string;
  createdBy: string | null;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  lastOpenedAt: string | null;
  status: ShareLinkStatus;
}

type ShareLinkRow = {
  id: string;
  kind: string;
  targetIds: string;
  label: string;
  createdById: string | null;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  lastOpenedAt: Date | null;
};

/** A valid token: 32 bytes in base64url. Anything else is not looked up at all. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export async function createShareLink(
  db: Db,
  principal: Principal,
  input: z.output<typeof createShareLinkSchema>,
): Promise<{ token: string; link: ShareLinkView }> {
  if (!(await isSharingEnabled(db))) throw new AppError("CONFLICT", "an admin has turned report sharing off");
  const target = toReportTarget(input.target);
  const { teamId, label } = await resolveReportTarget(target, principal);
  const live = await db.shareLink.count({ where: { teamId, revokedAt: null, expiresAt: { gt: new Date() } } });
  if (live >= MAX_LIVE_LINKS_PER_TEAM) {
    throw new AppError("CONFLICT", `the team already has ${live} live share links (at most ${MAX_LIVE_LINKS_PER_TEAM}); revoke some first`);
  }
  const token = randomSecret(32);
  const row = await db.shareLink.create({
    data: {
      teamId,
      kind: target.kind,
      targetIds: JSON.stringify(targetIds(target)),
      label,
      tokenHash: hashSecret(token),
      createdById: principal.userId,
      expiresAt: new Date(Date.now() + input.expiresInHours * 3_600_000),
    },
  });
  return { token, link: toView(row, principal.userId ? principal.email : null) };
}

/** The team's links, newest first (admins: every team's); never any part of a token. */
export async function listShareLinks(db: Db, principal: Principal, limit = 200): Promise<ShareLinkView[]> {
  const rows = await db.shareLink.findMany({ where: teamScope(principal), orderBy: { createdAt: "desc" }, take: limit });
  const creatorIds = [...new Set(rows.map((r) => r.createdById).filter((id): id is string => id !== null))];
  const creators = creatorIds.length ? await db.user.findMany({ where: { id: { in: creatorIds } }, select: { id: true, email: true } }) : [];
  const emails = new Map(creators.map((u) => [u.id, u.email]));
  return rows.map((r) => toView(r, r.createdById ? emails.get(r.createdById) ?? null : null));
}

/** Revokes a link of the principal's team (admins: any); other teams' links are NOT_FOUND. */
export async function revokeShareLink(db: Db, principal: Principal, id: string): Promise<ShareLinkView> {
  const row = await db.shareLink.findFirst({ where: { id, ...teamScope(principal) } });
  if (!row) throw notFound(`share link ${id} does not exist`);
  const updated = row.revokedAt ? row : await db.shareLink.update({ where: { id }, data: { revokedAt: new Date() } });
  return toView(updated, null);
}

export interface OpenedShareLink {
  id: string;
  teamId: string;
  target: ExportableTarget;
}

/**
 * The report a token opens, or null when the token is malformed, unknown, revoked or expired,
 * or sharing is off: callers answer all of these with the same 404.
 */
export async function openShareLink(db: Db, token: string, now = new Date()): Promise<OpenedShareLink | null> {
  if (!TOKEN_PATTERN.test(token)) return null;
  const row = await db.shareLink.findUnique({ where: { tokenHash: hashSecret(token) } });
  if (!row || row.revokedAt || row.expiresAt.getTime() <= now.getTime()) return null;
  if (!(EXPORTABLE_KINDS as readonly string[]).includes(row.kind)) return null;
  if (!(await isSharingEnabled(db))) return null;
  // One write a minute at most, however often the link is opened.
  if (!row.lastOpenedAt || now.getTime() - row.lastOpenedAt.getTime() > 60_000) {
    await db.shareLink.update({ where: { id: row.id }, data: { lastOpenedAt: now } });
  }
  return { id: row.id, teamId: row.teamId, target: targetFromParts(row.kind as ExportableKind, JSON.parse(row.targetIds) as string[]) };
}

/**
 * Who reads a shared report: a viewer of the link's team with no account, so the report holds
 * exactly what a viewer of that team may read, and nothing of other teams.
 */
export function sharePrincipal(link: OpenedShareLink): Principal {
  return { userId: null, email: `share link ${link.id}`, role: "viewer", teamId: link.teamId, via: "share-link" };
}

function statusOf(row: ShareLinkRow, now = Date.now()): ShareLinkStatus {
  if (row.revokedAt) return "revoked";
  return row.expiresAt.getTime() <= now ? "expired" : "active";
}

function toView(row: ShareLinkRow, createdBy: string | null): ShareLinkView {
  return {
    id: row.id,
    kind: row.kind as ExportableKind,
    ids: JSON.parse(row.targetIds) as string[],
    label: row.label,
    createdBy,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
    lastOpenedAt: row.lastOpenedAt?.toISOString() ?? null,
    status: statusOf(row),
  };
}
