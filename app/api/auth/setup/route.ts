// POST /api/auth/setup — first run only: create the first admin account and sign in.
import { NextResponse } from "next/server";
import { setupFirstAdmin, setupSchema } from "@/lib/auth/accounts";
import { createSession } from "@/lib/auth/sessions";
import { getDb } from "@/lib/db/client";
import { isSingleUserMode } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { clientAddress } from "@/lib/server/authenticate";
import { publicRoute, readJson } from "@/lib/server/http";
import { withSessionCookies } from "@/lib/server/session-cookies";

export const dynamic = "force-dynamic";

export const POST = publicRoute(async (request) => {
  // Single-user mode keeps the database without accounts, so this door would stay open to anyone
  // reaching the server through a proxy.
  if (isSingleUserMode() && clientAddress(request.headers).forwarded) {
    throw new AppError("FORBIDDEN", "in single-user mode the first account can only be created directly on this machine, not through a proxy");
  }
  const db = getDb();
  const user = await setupFirstAdmin(db, setupSchema.parse(await readJson(request)));
  return withSessionCookies(request, NextResponse.json({ user }, { status: 201 }), await createSession(db, user.id));
});
