// POST /api/users/:id/unlock — let an account sign in again at once after failed attempts (admins only).
import { unlockUser } from "@/lib/auth/accounts";
import { getDb } from "@/lib/db/client";
import { route } from "@/lib/server/http";

export const dynamic = "force-dynamic";

export const POST = route<{ id: string }>("user:unlock", async (_request, { id }, { principal, ip }) => ({
  user: await unlockUser(getDb(), principal, id, ip),
}));
