// POST /api/auth/invites/accept — accept an invitation: set a password, create the account, sign in.
import { NextResponse } from "next/server";
import { acceptInvite, acceptInviteSchema } from "@/lib/auth/invites";
import { createSession } from "@/lib/auth/sessions";
import { getDb } from "@/lib/db/client";
import { publicRoute, readJson } from "@/lib/server/http";
import { withSessionCookies } from "@/lib/server/session-cookies";

export const dynamic = "force-dynamic";

export const POST = publicRoute(async (request) => {
  const db = getDb();
  const user = await acceptInvite(db, acceptInviteSchema.parse(await readJson(request)));
  return withSessionCookies(request, NextResponse.json({ user }, { status: 201 }), await createSession(db, user.id));
});
