// POST /api/jobs/:id/cancel — cancel a queued job, or stop a running one at its next progress report.
import { cancelJob } from "@/lib/server/cancel-job";
import { route } from "@/lib/server/http";

export const dynamic = "force-dynamic";

export const POST = route<{ id: string }>("job:cancel", async (_request, { id }, { principal, ip }) => cancelJob(id, principal, ip));
