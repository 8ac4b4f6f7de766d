// GET /api/reports/schema.json — the versioned JSON Schema of report documents (the JSON export), beside /api/openapi.json.
import { publicRoute } from "@/lib/server/http";
import { reportJsonSchema } from "@/lib/reports/schema";

export const dynamic = "force-dynamic";

export const GET = publicRoute(async () => reportJsonSchema());
