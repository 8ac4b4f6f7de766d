// POST /api/experiments/:id/cancel — cancel queued runs now, stop running ones at their next epoch.
import { cancelExperiment } from "@/lib/server/cancel-experiment";
import { route } from "@/lib/server/http";

export const dynamic = "force-dynamic";

export const POST = route<{ id: string }>("experiment:cancel", async (_request, { id }, { principal, ip }) => cancelExperiment(id, principal, ip));
