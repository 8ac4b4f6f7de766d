// GET /api/admin/sharing — whether report sharing is on; PUT { enabled } — turn it on or off (admins).
import { recordAudit } from "@/lib/auth/audit";
import { getDb } from "@/lib/db/client";
import { readJson, route } from "@/lib/server/http";
import { isSharingEnabled, setSharingEnabled, sharingSettingSchema } from "@/lib/server/sharing-setting";

export const dynamic = "force-dynamic";

export const GET = route("sharing:manage", async () => ({ enabled: await isSharingEnabled(getDb()) }));

export const PUT = route("sharing:manage", async (request, _params, { principal, ip }) => {
  const { enabled } = sharingSettingSchema.parse(await readJson(request));
  const db = getDb();
  await setSharingEnabled(db, enabled, principal);
  await recordAudit(db, { actor: principal, action: enabled ? "sharing.enable" : "sharing.disable", target: "setting:sharing", ip });
  return { enabled };
});
