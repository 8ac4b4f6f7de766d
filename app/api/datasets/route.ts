// GET /api/datasets — list datasets; POST /api/datasets — import an upload (multipart/form-data).
import { route } from "@/lib/server/http";
import { importUpload } from "@/lib/server/import-upload";
import { listDatasets } from "@/lib/server/list-datasets";

export const dynamic = "force-dynamic";

export const GET = route(async () => ({ datasets: await listDatasets() }));

export const POST = route(async (request) => {
  const result = await importUpload(request);
  return Response.json(result, { status: 201 });
});
