// PATCH /api/users/:id — change an account's role or team, or disable it (admins only).
import { updateUser, updateUserSchema } from "@/lib/auth/accounts";
import { getDb } from "@/lib/db/client";
import { readJson, route } from "@/lib/server/http";

export const dynamic = "force-dynamic";

export const PATCH = route<{ id: string }>("user:manage", async (request, { id }, { principal }) => ({
  user: await updateUser(getDb(), principal, id, updateUserSchema.parse(await readJson(request))),
}));
