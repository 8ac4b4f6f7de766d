// GET /api/reports/shares — the team's share links (no secrets); POST — create one (the URL is shown once).
import { recordAudit } from "@/lib/auth/audit";
import { getDb } from "@/lib/db/client";
import { readJson, route } from "@/lib/server/http";
import { createShareLink, createShareLinkSchema, listShareLinks } from "@/lib/server/share-links";
import { shareUrl } from "@/lib/server/share-url";

export const dynamic = "force-dynamic";

export const GET = route("report:share", async (_request, _params, { principal }) => ({ links: await listShareLinks(getDb(), principal) }));

export const POST = route("report:share", async (request, _params, { principal, ip }) => {
  const db = getDb();
  const { token, link } = await createShareLink(db, principal, createShareLinkSchema.parse(await readJson(request)));
  await recordAudit(db, { actor: principal, action: "share.create", target: `share:${link.id}`, detail: `${link.label} (${link.kind} ${link.ids.join(",")}) until ${link.expiresAt}`, ip });
  const path = `/share/${token}`;
  return Response.json({ url: shareUrl(request, path), path, expiresAt: link.expiresAt, link }, { status: 201, headers: { "cache-control": "no-store" } });
});
