// POST /api/datasets/synthetic — generate a synthetic dataset with known ground truth.
import { getDb } from "@/lib/db/client";
import { readJson, route } from "@/lib/server/http";
import { createSyntheticDataset, createSyntheticSchema } from "@/lib/storage/create-synthetic-dataset";

export const dynamic = "force-dynamic";

export const POST = route("dataset:create", async (request, _params, { principal }) => {
  const input = createSyntheticSchema.parse(await readJson(request));
  const created = await createSyntheticDataset(getDb(), input, { teamId: principal.teamId, createdById: principal.userId });
  return Response.json(created, { status: 201 });
});
