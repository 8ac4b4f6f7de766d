// GET /api/runs/:id/baseline — the run beside the strongest ItemKNN/EASE run on its dataset and split, with the paired test.
import { route } from "@/lib/server/http";
import { getRunBaseline } from "@/lib/server/run-baseline";

export const dynamic = "force-dynamic";

export const GET = route<{ id: string }>("run:read", async (_request, { id }, { principal }) => ({ baseline: await getRunBaseline(id, principal) }));
