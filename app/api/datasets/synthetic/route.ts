// POST /api/datasets/synthetic — queue the generation of a synthetic dataset; 202 { jobId } at once.
import { enqueueSyntheticDataset } from "@/lib/server/enqueue-synthetic-dataset";
import { readJson, route } from "@/lib/server/http";

export const dynamic = "force-dynamic";

export const POST = route("dataset:create", async (request, _params, { principal, ip }) =>
  Response.json(await enqueueSyntheticDataset(await readJson(request), principal, ip), { status: 202 }),
);
