// POST /api/auth/logout?everywhere=1[&tokens=1] — end this session, or every session of the
// account (and with tokens=1 also revoke all its API tokens).
import { NextResponse } from "next/server";
import { revokeAllApiTokens } from "@/lib/auth/api-tokens";
import { recordAudit } from "@/lib/auth/audit";
import { endAllSessions, endSession } from "@/lib/auth/sessions";
import { getDb } from "@/lib/db/client";
import { route } from "@/lib/server/http";
import { clearSessionCookies } from "@/lib/server/session-cookies";

export const dynamic = "force-dynamic";

export const POST = route("account:read", async (request, _params, { principal, ip }) => {
  const db = getDb();
  const query = new URL(request.url).searchParams;
  const everywhere = query.get("everywhere") === "1";
  const alsoTokens = everywhere && query.get("tokens") === "1";
  let ended = 0;
  let revokedTokens = 0;
  if (everywhere && principal.userId) {
    ended = await endAllSessions(db, principal.userId);
    if (alsoTokens) revokedTokens = await revokeAllApiTokens(db, principal.userId);
  } else if (principal.sessionId) {
    await endSession(db, principal.sessionId);
    ended = 1;
  }
  const detail = everywhere ? `everywhere (${ended} sessions${alsoTokens ? `, ${revokedTokens} API tokens revoked` : ""})` : undefined;
  await recordAudit(db, { actor: principal, action: "logout", detail, ip });
  return clearSessionCookies(NextResponse.json({ ended, revokedTokens }));
});
