// GET /api/tokens — your API tokens; POST — create one (the secret is shown once).
import { createApiToken, createTokenSchema, listApiTokens } from "@/lib/auth/api-tokens";
import { recordAudit } from "@/lib/auth/audit";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { readJson, route } from "@/lib/server/http";

export const dynamic = "force-dynamic";

export const GET = route("token:manage", async (_request, _params, { principal }) => ({
  tokens: principal.userId ? await listApiTokens(getDb(), principal.userId) : [],
}));

export const POST = route("token:manage", async (request, _params, { principal, ip }) => {
  if (principal.via === "token") throw new AppError("FORBIDDEN", "API tokens cannot create more tokens; sign in to do that");
  const db = getDb();
  const created = await createApiToken(db, principal, createTokenSchema.parse(await readJson(request)));
  await recordAudit(db, { actor: principal, action: "token.create", target: `token:${created.record.id}`, detail: `${created.record.name} (${created.record.role})`, ip });
  return Response.json(created, { status: 201 });
});
