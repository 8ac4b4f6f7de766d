// GET /api/experiments/:id — progress, runs (validation vs test metrics) and the final result.
import { getExperimentOrThrow } from "@/lib/server/get-experiment-or-throw";
import { route } from "@/lib/server/http";

export const dynamic = "force-dynamic";

export const GET = route<{ id: string }>("experiment:read", async (_request, { id }, { principal }) => ({ experiment: await getExperimentOrThrow(id, principal) }));
