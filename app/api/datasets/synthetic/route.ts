// POST /api/datasets/synthetic — generate a synthetic dataset with known ground truth.
import { getDb } from "@/lib/db/client";
import { readJson, route } from "@/lib/server/http";
import { createSyntheticDataset, createSyntheticSchema } from "@/lib/storage/create-synthetic-dataset";

export const dynamic = "force-dynamic";

export const POST = route(async (request) => {
  const input = createSyntheticSchema.parse(await readJson(request));
  return Response.json(await createSyntheticDataset(getDb(), input), { status: 201 });
});
