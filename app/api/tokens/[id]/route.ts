// DELETE /api/tokens/:id — revoke an API token at once.
import { revokeApiToken } from "@/lib/auth/api-tokens";
import { recordAudit } from "@/lib/auth/audit";
import { getDb } from "@/lib/db/client";
import { route } from "@/lib/server/http";

export const dynamic = "force-dynamic";

export const DELETE = route<{ id: string }>("token:manage", async (_request, { id }, { principal, ip }) => {
  const db = getDb();
  await revokeApiToken(db, principal, id);
  await recordAudit(db, { actor: principal, action: "token.revoke", target: `token:${id}`, ip });
  return { revoked: id };
});
