// POST /api/auth/logout?everywhere=1 — end this session (or every session of the account).
import { NextResponse } from "next/server";
import { recordAudit } from "@/lib/auth/audit";
import { endAllSessions, endSession } from "@/lib/auth/sessions";
import { getDb } from "@/lib/db/client";
import { route } from "@/lib/server/http";
import { clearSessionCookies } from "@/lib/server/session-cookies";

export const dynamic = "force-dynamic";

export const POST = route("account:read", async (request, _params, { principal, ip }) => {
  const db = getDb();
  const everywhere = new URL(request.url).searchParams.get("everywhere") === "1";
  let ended = 0;
  if (everywhere && principal.userId) ended = await endAllSessions(db, principal.userId);
  else if (principal.sessionId) {
    await endSession(db, principal.sessionId);
    ended = 1;
  }
  await recordAudit(db, { actor: principal, action: "logout", detail: everywhere ? `everywhere (${ended} sessions)` : undefined, ip });
  return clearSessionCookies(NextResponse.json({ ended }));
});
