// GET /api/auth/me — who the caller is (email, role, team, how they authenticated).
import { route } from "@/lib/server/http";

export const dynamic = "force-dynamic";

export const GET = route("account:read", async (_request, _params, { principal }) => ({
  user: { id: principal.userId, email: principal.email, role: principal.role, teamId: principal.teamId, via: principal.via },
}));
