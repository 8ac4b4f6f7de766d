// GET /api/models — the model registry with each model's paper and hyperparameters.
import { route } from "@/lib/server/http";
import { listModelInfos } from "@/lib/server/list-models";

export const dynamic = "force-dynamic";

export const GET = route("model:read", async () => ({ models: listModelInfos() }));
