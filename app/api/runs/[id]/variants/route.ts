// POST /api/runs/:id/variants — save one re-ranked point { rerankerId, lambda } as a variant run (201 { runId }).
import { createVariant } from "@/lib/server/create-rerank-variant";
import { readJson, route } from "@/lib/server/http";

export const dynamic = "force-dynamic";

export const POST = route<{ id: string }>("run:rerank", async (request, { id }, { principal, ip }) =>
  Response.json(await createVariant(id, await readJson(request), principal, ip), { status: 201 }),
);
