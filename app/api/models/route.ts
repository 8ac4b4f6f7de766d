// GET /api/models — the model registry with each model's paper and hyperparameters.
import { route } from "@/lib/server/http";
import { listModelInfos } from "@/lib/server/list-models";

export const GET = route(async () => ({ models: listModelInfos() }));
