// GET /api/openapi.json — the OpenAPI 3.1 document of every route, generated from their zod schemas.
import { publicRoute } from "@/lib/server/http";
import { buildOpenApiDocument } from "@/lib/openapi/document";

export const dynamic = "force-dynamic";

export const GET = publicRoute(async () => buildOpenApiDocument());
