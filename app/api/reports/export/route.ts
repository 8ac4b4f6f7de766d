// GET /api/reports/export?kind=&id=|ids=&format= — one report as a file (HTML, PDF, CSV, JSON).
import { recordAudit } from "@/lib/auth/audit";
import { getDb } from "@/lib/db/client";
import { parseExportQuery } from "@/lib/reports/report-target";
import { exportReport, fileResponse } from "@/lib/server/export-report";
import { route } from "@/lib/server/http";

export const dynamic = "force-dynamic";

export const GET = route("report:export", async (request, _params, { principal, ip }) => {
  const { target, format } = parseExportQuery(Object.fromEntries(new URL(request.url).searchParams));
  const file = await exportReport(target, format, principal);
  await recordAudit(getDb(), { actor: principal, action: "export", target: `report:${target.kind}`, detail: `${file.label} (${format})`, ip });
  return fileResponse(file);
});
