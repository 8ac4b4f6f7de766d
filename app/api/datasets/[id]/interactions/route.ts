// GET /api/datasets/:id/interactions?offset=&limit= — raw interaction rows (per-user data).
import { datasetRowsQuerySchema, getDatasetRows } from "@/lib/server/get-dataset-rows";
import { route } from "@/lib/server/http";

export const dynamic = "force-dynamic";

export const GET = route<{ id: string }>("dataset:read-raw", async (request, { id }, { principal }) => {
  const query = datasetRowsQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return getDatasetRows(id, principal, query);
});
