// GET /api/users — every account (admins only).
import { listUsers } from "@/lib/auth/accounts";
import { getDb } from "@/lib/db/client";
import { route } from "@/lib/server/http";

export const dynamic = "force-dynamic";

export const GET = route("user:manage", async () => ({ users: await listUsers(getDb()) }));
