// POST /api/ab-tests/import — upload an A/B log CSV (multipart/form-data, field "log"); queued for a worker.
// The body streams to disk (no middleware buffers it; the web server's front sets the security headers).
import { route } from "@/lib/server/http";
import { importAbLogUpload } from "@/lib/server/import-ab-log-upload";

export const dynamic = "force-dynamic";

export const POST = route("abtest:create", async (request, _params, { principal, ip }) => {
  return Response.json(await importAbLogUpload(request, principal, ip), { status: 202 });
});
