// DELETE /api/reports/shares/:id — revoke a share link at once.
import { recordAudit } from "@/lib/auth/audit";
import { getDb } from "@/lib/db/client";
import { route } from "@/lib/server/http";
import { revokeShareLink } from "@/lib/server/share-links";

export const dynamic = "force-dynamic";

export const DELETE = route<{ id: string }>("report:share", async (_request, { id }, { principal, ip }) => {
  const db = getDb();
  const link = await revokeShareLink(db, principal, id);
  await recordAudit(db, { actor: principal, action: "share.revoke", target: `share:${id}`, detail: link.label, ip });
  return { revoked: id };
});
