// POST /api/ab-tests/import — upload an A/B log CSV (multipart/form-data, field "log"); queued for a worker.
// Outside the middleware (see middleware.ts) so the body streams to disk; the handler sets the security headers.
import { route } from "@/lib/server/http";
import { importAbLogUpload } from "@/lib/server/import-ab-log-upload";
import { withSecurityHeaders } from "@/lib/server/security-headers";

export const dynamic = "force-dynamic";

export const POST = withSecurityHeaders(
  route("abtest:create", async (request, _params, { principal, ip }) => {
    return Response.json(await importAbLogUpload(request, principal, ip), { status: 202 });
  }),
);
