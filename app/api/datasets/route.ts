// GET /api/datasets — list datasets; POST /api/datasets — import an upload (multipart/form-data,
// streamed to disk: no middleware buffers it; the web server's front sets the security headers).
import { route } from "@/lib/server/http";
import { importUpload } from "@/lib/server/import-upload";
import { listDatasets } from "@/lib/server/list-datasets";

export const dynamic = "force-dynamic";

export const GET = route("dataset:read", async (_request, _params, { principal }) => ({ datasets: await listDatasets(principal) }));

export const POST = route("dataset:create", async (request, _params, { principal, ip }) => {
  const result = await importUpload(request, principal, ip);
  return Response.json(result, { status: 201 });
});
