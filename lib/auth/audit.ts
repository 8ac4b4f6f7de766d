import type { Db } from "../db/client";
import { keysetPages, newestFirst, olderThan } from "../db/keyset-pages";
import type { Principal } from "./principal";

/** Audited actions: who did what and when. */
export type AuditAction =
  | "login"
  | "login-failed"
  | "logout"
  | "setup"
  | "dataset.upload"
  | "dataset.generate"
  | "dataset.delete"
  | "run.launch"
  | "run.cancel"
  | "run.rerank-sweep"
  | "run.variant"
  | "experiment.launch"
  | "experiment.cancel"
  | "job.cancel"
  | "abtest.simulate"
  | "abtest.import"
  | "abtest.delete"
  | "export"
  | "user.invite"
  | "user.join"
  | "user.role-change"
  | "user.disable"
  | "user.unlock"
  | "token.create"
  | "token.revoke"
  | "share.create"
  | "share.revoke"
  | "sharing.enable"
  | "sharing.disable";

export interface AuditEntry {
  actor: Principal | { email: string; userId?: string | null } | null;
  action: AuditAction;
  target?: string;
  detail?: string;
  ip?: string | null;
}

export async function recordAudit(db: Db, entry: AuditEntry): Promise<void> {
  await db.auditEvent.create({
    data: {
      actorId: entry.actor?.userId ?? null,
      actorEmail: entry.actor?.email ?? null,
      action: entry.action,
      target: entry.target ?? null,
      detail: entry.detail ?? null,
      ip: entry.ip ?? null,
    },
  });
}

export interface AuditEventView {
  id: string;
  at: string;
  actorEmail: string | null;
  action: string;
  target: string | null;
  detail: string | null;
  ip: string | null;
}

type AuditRow = Awaited<ReturnType<Db["auditEvent"]["findFirstOrThrow"]>>;
const NEWEST_FIRST = newestFirst("at");

const toView = (r: AuditRow): AuditEventView => ({ id: r.id, at: r.at.toISOString(), actorEmail: r.actorEmail, action: r.action, target: r.target, detail: r.detail, ip: r.ip });

/** The newest `limit` events (the audit page). */
export async function listAudit(db: Db, limit = 500): Promise<AuditEventView[]> {
  return (await db.auditEvent.findMany({ orderBy: NEWEST_FIRST, take: limit })).map(toView);
}

/** Every event, newest first, a page at a time (the CSV export: the whole log, never held at once). */
export async function* auditPages(db: Db, pageSize?: number): AsyncGenerator<AuditEventView[]> {
  const pages = keysetPages(
    (after: AuditRow | null, take) => db.auditEvent.findMany({ where: after ? olderThan("at", after) : {}, orderBy: NEWEST_FIRST, take }),
    pageSize,
  );
  for await (const page of pages) yield page.map(toView);
}
