// POST /api/runs/:id/cancel — cancel a queued run, or stop a running one within one batch.
import { cancelRun } from "@/lib/server/cancel-run";
import { readJson, route } from "@/lib/server/http";
import { cancelRequestSchema } from "@/lib/tracking/cancel-request";

export const dynamic = "force-dynamic";

export const POST = route<{ id: string }>("run:cancel", async (request, { id }, { principal, ip }) =>
  cancelRun(id, principal, ip, cancelRequestSchema.parse(await readJson(request))),
);
