// POST /api/runs/:id/cancel — cancel a queued run, or stop a running one at its next epoch.
import { cancelRun } from "@/lib/server/cancel-run";
import { route } from "@/lib/server/http";

export const dynamic = "force-dynamic";

export const POST = route<{ id: string }>("run:cancel", async (_request, { id }, { principal, ip }) => cancelRun(id, principal, ip));
