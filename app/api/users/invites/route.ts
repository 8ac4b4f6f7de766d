// POST /api/users/invites — invite someone by email with a role; returns the link token once.
import { createInvite, createInviteSchema } from "@/lib/auth/invites";
import { getDb } from "@/lib/db/client";
import { readJson, route } from "@/lib/server/http";

export const dynamic = "force-dynamic";

export const POST = route("user:manage", async (request, _params, { principal }) => {
  const invite = await createInvite(getDb(), principal, createInviteSchema.parse(await readJson(request)));
  return Response.json({ ...invite, path: `/invite/${invite.token}` }, { status: 201 });
});
