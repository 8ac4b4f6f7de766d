// GET /api/datasets — list datasets; POST /api/datasets — import an upload (multipart/form-data).
// Outside the middleware (see middleware.ts), so the handlers set the security headers.
import { route } from "@/lib/server/http";
import { importUpload } from "@/lib/server/import-upload";
import { listDatasets } from "@/lib/server/list-datasets";
import { withSecurityHeaders } from "@/lib/server/security-headers";

export const dynamic = "force-dynamic";

export const GET = withSecurityHeaders(route("dataset:read", async (_request, _params, { principal }) => ({ datasets: await listDatasets(principal) })));

export const POST = withSecurityHeaders(
  route("dataset:create", async (request, _params, { principal, ip }) => {
    const result = await importUpload(request, principal, ip);
    return Response.json(result, { status: 201 });
  }),
);
