import "server-only";
import { z } from "zod";
import type { Principal } from "../auth/principal";
import type { Db } from "../db/client";

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
