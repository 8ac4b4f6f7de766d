// POST /api/ab-tests/plan — users needed to detect a relative lift of a rate (power / MDE planner).
import { readJson, route } from "@/lib/server/http";
import { planAbTest } from "@/lib/server/ab-tests";

export const dynamic = "force-dynamic";

export const POST = route("abtest:read", async (request) => planAbTest(await readJson(request)));
