// POST /api/auth/login — sign in with email and password; sets the session cookies and returns a
// notice of failed attempts since the previous sign-in.
import { NextResponse } from "next/server";
import { login, loginSchema } from "@/lib/auth/login";
import { getDb } from "@/lib/db/client";
import { publicRoute, readJson } from "@/lib/server/http";
import { withSessionCookies } from "@/lib/server/session-cookies";

export const dynamic = "force-dynamic";

export const POST = publicRoute(async (request, _params, { ip }) => {
  const input = loginSchema.parse(await readJson(request));
  const session = await login(getDb(), input, ip);
  return withSessionCookies(request, NextResponse.json({ ok: true, notice: session.notice }), session);
});
