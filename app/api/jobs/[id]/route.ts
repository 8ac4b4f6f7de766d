// GET /api/jobs/:id — a background job's status, progress, error and result (e.g. { datasetId }).
import { getJobOrThrow } from "@/lib/server/get-job-or-throw";
import { route } from "@/lib/server/http";

export const dynamic = "force-dynamic";

export const GET = route<{ id: string }>("job:read", async (_request, { id }, { principal }) => ({ job: await getJobOrThrow(id, principal) }));
