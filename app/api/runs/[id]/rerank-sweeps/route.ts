// GET /api/runs/:id/rerank-sweeps — trade-off curves and variants; POST — queue a λ sweep (202 { jobId }).
import { readJson, route } from "@/lib/server/http";
import { getRerankView, startRerankSweep } from "@/lib/server/rerank-sweeps";

export const dynamic = "force-dynamic";

export const GET = route<{ id: string }>("run:read", async (_request, { id }, { principal }) => getRerankView(id, principal));

export const POST = route<{ id: string }>("run:rerank", async (request, { id }, { principal, ip }) =>
  Response.json(await startRerankSweep(id, await readJson(request), principal, ip), { status: 202 }),
);
