// GET /api/datasets — one page of the dataset list, newest first (?limit=, ?cursor=); POST /api/datasets — import an upload (multipart/form-data,
// streamed to disk: no middleware buffers it; the web server's front sets the security headers).
import { route } from "@/lib/server/http";
import { importUpload } from "@/lib/server/import-upload";
import { listDatasetsPage, parseDatasetsPageQuery } from "@/lib/server/list-datasets";

export const dynamic = "force-dynamic";

export const GET = route("dataset:read", async (request, _params, { principal }) => listDatasetsPage(principal, parseDatasetsPageQuery(new URL(request.url).searchParams)));

export const POST = route("dataset:create", async (request, _params, { principal, ip }) => {
  const result = await importUpload(request, principal, ip);
  return Response.json(result, { status: 201 });
});
