// GET /api/datasets/:id — dataset with statistics; DELETE — remove it and everything derived.
import { deleteDataset } from "@/lib/server/delete-dataset";
import { getDatasetOrThrow } from "@/lib/server/get-dataset-or-throw";
import { route } from "@/lib/server/http";

export const dynamic = "force-dynamic";

export const GET = route<{ id: string }>("dataset:read", async (_request, { id }, { principal }) => ({
  dataset: await getDatasetOrThrow(id, principal),
}));

export const DELETE = route<{ id: string }>("dataset:delete", async (_request, { id }, { principal, ip }) =>
  deleteDataset(id, principal, ip),
);
