// POST /api/auth/setup — first run only: create the first admin account and sign in.
import { NextResponse } from "next/server";
import { setupFirstAdmin, setupSchema } from "@/lib/auth/accounts";
import { createSession } from "@/lib/auth/sessions";
import { getDb } from "@/lib/db/client";
import { publicRoute, readJson } from "@/lib/server/http";
import { withSessionCookies } from "@/lib/server/session-cookies";

export const dynamic = "force-dynamic";

export const POST = publicRoute(async (request) => {
  const db = getDb();
  const user = await setupFirstAdmin(db, setupSchema.parse(await readJson(request)));
  return withSessionCookies(request, NextResponse.json({ user }, { status: 201 }), await createSession(db, user.id));
});
