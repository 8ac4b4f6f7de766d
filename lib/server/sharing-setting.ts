import "server-only";
import { z } from "zod";
import { can } from "../auth/policy";
import type { Principal } from "../auth/principal";
import { getDb, type Db } from "../db/client";
import { sharedRead, sharedReadKey } from "./shared-reads";

/** The admins' switch for read-only share links; sharing is on until an admin turns it off. */
const KEY = "sharing.enabled";

export const sharingSettingSchema = z.object({ enabled: z.boolean({ message: "enabled must be true or false" }).describe("false: refuse new share links and answer 404 for existing ones") }).strict();

export async function isSharingEnabled(db: Db): Promise<boolean> {
  const row = await db.appSetting.findUnique({ where: { key: KEY } });
  return row ? row.value === "true" : true;
}

export async function setSharingEnabled(db: Db, enabled: boolean, admin: Principal): Promise<void> {
  const data = { value: String(enabled), updatedAt: new Date(), updatedById: admin.userId };
  await db.appSetting.upsert({ where: { key: KEY }, create: { key: KEY, ...data }, update: data });
}

/**
 * Whether pages offer "Share link…" to this reader: a writer, while sharing is on. Every run page
 * asks, so the switch is a shared read (lib/server/shared-reads.ts); the share routes themselves
 * read it afresh.
 */
export async function mayShareReports(principal: Principal): Promise<boolean> {
  return can(principal.role, "report:share") && (await sharedRead(sharedReadKey("sharing-enabled"), () => isSharingEnabled(getDb())));
}
