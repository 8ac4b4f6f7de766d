import { notFound } from "next/navigation";
import { ExportMenu } from "../../_components/reports/export-menu";
import { RunView } from "../../_components/runs/run-view";
import { AppError } from "@/lib/errors";
import { can } from "@/lib/auth/policy";
import { getRunOrThrow } from "@/lib/server/get-run-or-throw";
import { requirePagePrincipal } from "@/lib/server/page-auth";
import { mayShareReports } from "@/lib/server/sharing-setting";

export const dynamic = "force-dynamic";

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const principal = await requirePagePrincipal("run:read");
  const run = await getRunOrThrow(id, principal).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
    throw error;
  });
  const exportMenu = <ExportMenu target={{ kind: "run", runId: id }} mayShare={await mayShareReports(principal)} />;
  return <RunView initialRun={run} actions={exportMenu} mayCancel={can(principal.role, "run:cancel")} mayRerank={can(principal.role, "run:rerank")} mayInspectUsers={can(principal.role, "run:inspect-user")} mayRerun={can(principal.role, "run:create")} />;
}
