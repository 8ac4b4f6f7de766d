// GET /api/runs/:id — run status, progress, resolved config and final metrics.
import { getRunOrThrow } from "@/lib/server/get-run-or-throw";
import { route } from "@/lib/server/http";

export const dynamic = "force-dynamic";

export const GET = route<{ id: string }>("run:read", async (_request, { id }, { principal }) => ({ run: await getRunOrThrow(id, principal) }));
