// GET /api/queue — what the workers are running and where the reader's team's waiting jobs stand.
import { getQueueStatus } from "@/lib/server/get-queue-status";
import { route } from "@/lib/server/http";

export const dynamic = "force-dynamic";

export const GET = route("job:read", async (_request, _params, { principal }) => ({ queue: await getQueueStatus(principal) }));
